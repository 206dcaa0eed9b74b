"""Decode stage: bytes of unknown encoding -> text, with the codec verified against the bytes."""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable

from charset_normalizer import from_bytes

from tasks.transforms.decode_scoring import (
    CHINESE_CODECS,
    JAPANESE_CODECS,
    KOREAN_CODECS,
    ZH_MIN_SCORE,
    CharStats,
    char_stats,
    confidence_from_score,
    score_decoding,
)
from tasks.transforms.models import DecodedText, DecodeError

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SNIFF_BYTES = (
    4096  # where HTML5 also stops looking for <meta charset> (its prescan reads 1024; feeds put it later)
)
_DETECT_BYTES = (
    65536  # detection on a prefix keeps big pages fast; the whole payload is then decoded strictly
)
# Bytes that never occur in text (NUL handled apart; TAB LF VT FF CR, ESC, SO/SI kept for ISO-2022).
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\x0b\x0c\r\x1b\x0e\x0f") + b"\x7f"

_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""")
_META_CHARSET = re.compile(rb"""<meta\b[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
# A Latin-1/cp1252 lead char of a UTF-8 sequence followed by a continuation byte read the same way.
_LATIN1_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)
_CP1252_TO_LATIN1 = {
    ord(ch): b for b in range(0x80, 0xA0) if (ch := bytes([b]).decode("cp1252", errors="ignore"))
}
_LABEL_ALIASES = {  # WHATWG labels Python does not know, and labels WHATWG redirects
    "x-gbk": "gbk",
    "x-x-big5": "big5",
    "x-euc-jp": "euc_jp",
    "x-sjis": "shift_jis",
    "windows-31j": "cp932",
    "ks_c_5601-1987": "cp949",
}


def _canonical_codec(label: str) -> str | None:
    """Python codec for a charset label; GB family -> gb18030 and Big5 family -> big5hkscs (supersets)."""
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(_LABEL_ALIASES.get(label, label)).name
    except LookupError:
        return None
    if name in ("gb2312", "gbk", "gb18030"):
        return "gb18030"
    if name in ("big5", "cp950", "big5hkscs"):
        return "big5hkscs"
    if name in ("ascii", "iso8859-1", "latin-1"):
        return "cp1252"  # what browsers do with these labels (WHATWG Encoding)
    return name


def _decode_prefix(sample: bytes, codec: str) -> str | None:
    """Strict decode; a multibyte char cut by the end of the sample (or a truncated file) is tolerated."""
    try:
        return sample.decode(codec)
    except UnicodeDecodeError as err:
        if err.start < len(sample) - 3:
            return None
        try:
            return sample[: err.start].decode(codec)
        except UnicodeDecodeError:
            return None
    except LookupError:
        return None


def _decode_whole(payload: bytes, codec: str, source_uri: str) -> tuple[str, float]:
    """Decode all bytes; a few bad sequences (e.g. a truncated last char) cost confidence, many reject."""
    try:
        return payload.decode(codec), 1.0
    except UnicodeDecodeError:
        text = payload.decode(codec, errors="replace")
    errors = text.count("\ufffd")
    if errors > max(1, len(payload) // 2000):
        raise DecodeError(
            f"{errors} byte sequences invalid in {codec}, the best-fitting encoding", source_uri
        )
    return text, 0.9


def _utf16_without_bom(sample: bytes) -> str | None:
    """The UTF-16 codec that reads NUL-bearing bytes as clean text (a BOM-less UTF-16 file), if one does."""
    for codec in ("utf-16-le", "utf-16-be"):
        text = _decode_prefix(sample[: len(sample) // 2 * 2], codec)
        if text:
            stats = char_stats(text)
            # Binary read as UTF-16 scatters over every script (or hits lone surrogates and fails): demand
            # that nearly all chars be printable ASCII or CJK.
            cjk = stats.han + stats.kana + stats.hangul + stats.punct
            ascii_printable = sum(ch.isprintable() or ch in "\t\n\r" for ch in text if ch.isascii())
            if (
                not stats.bad
                and ascii_printable + cjk >= 0.95 * len(text)
                and (stats.han < 10 or stats.zh_score >= 0.2)
            ):
                return codec
    return None


def _reject_binary(sample: bytes, source_uri: str) -> None:
    if nuls := sample.count(0):
        raise DecodeError(f"{nuls} NUL bytes in the first {len(sample)}: binary data, not text", source_uri)
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > 0.01 * len(sample):  # real text may carry a stray control char, not 1 in 100
        raise DecodeError(
            f"{controls} control bytes in the first {len(sample)}: binary data, not text", source_uri
        )


def _is_euc_tw(sample: bytes) -> bool:
    """Bytes that parse as EUC-TW (CNS 11643), which has no Python codec, with a plane-2+ escape."""
    return re.fullmatch(rb"(?:[\x00-\x7f]|[\xa1-\xfe]{2}|\x8e[\xa1-\xb0][\xa1-\xfe]{2})*", sample) is not None


def _chinese_candidates(sample: bytes) -> list[tuple[float, str, CharStats]]:
    """Chinese codecs that decode the sample, most plausible first (ties to GB, the larger market)."""
    scored = []
    for codec in CHINESE_CODECS:
        text = _decode_prefix(sample, codec)
        if text is not None:
            stats = char_stats(text)
            scored.append((stats.zh_score, codec, stats))
    return sorted(scored, key=lambda item: (item[0], item[1] == "gb18030"), reverse=True)


def _detect(sample: bytes, source_uri: str) -> tuple[str, float]:
    """Choose a codec for non-UTF-8 bytes: Chinese first when plausible, else what charset-normalizer says."""
    chinese = _chinese_candidates(sample)
    if chinese and chinese[0][2].han and chinese[0][0] >= ZH_MIN_SCORE:
        score, codec, stats = chinese[0]
        return codec, confidence_from_score(score, stats.han)
    match = from_bytes(sample).best()
    cn_codec = _canonical_codec(match.encoding) if match else None
    # Japanese and Korean, then whatever else charset-normalizer found (Latin, Cyrillic...).
    others = []
    for codec in (
        *JAPANESE_CODECS,
        *KOREAN_CODECS,
        *([cn_codec] if cn_codec and cn_codec not in CHINESE_CODECS else []),
    ):
        text = _decode_prefix(sample, codec)
        if text is not None:
            stats = char_stats(text)
            others.append((score_decoding(stats, codec), codec == cn_codec, codec, stats))
    if others:
        score, _, codec, stats = max(others, key=lambda item: item[:2])
        if score > 0.3:
            return codec, confidence_from_score(score, stats.han + stats.kana + stats.hangul + stats.nonascii)
    if chinese:
        # Few Han chars, or uncommon ones (names, classical text): keep the guess, with low confidence.
        # A tie between GB and Big5 goes to charset-normalizer's pick.
        score, codec, stats = max(chinese, key=lambda item: (item[0], item[1] == cn_codec))
        if stats.han < 10 or score >= 0.2:
            return codec, confidence_from_score(score - 0.5, stats.han)
    if _is_euc_tw(sample):
        raise DecodeError("bytes look like EUC-TW (CNS 11643), which Python has no codec for", source_uri)
    raise DecodeError("no encoding decodes these bytes into plausible text", source_uri)


def _best_cjk(sample: bytes) -> tuple[float, str] | None:
    """The double-byte CJK codec (Chinese, Japanese or Korean) that reads the bytes most plausibly."""
    best = None
    for codec in (*CHINESE_CODECS, *JAPANESE_CODECS, *KOREAN_CODECS):
        text = _decode_prefix(sample, codec)
        if text is not None:
            stats = char_stats(text)
            if stats.han + stats.kana + stats.hangul >= 10 and (
                best is None or score_decoding(stats, codec) > best[0]
            ):
                best = (score_decoding(stats, codec), codec)
    return best


def _verify_declared(sample: bytes, codec: str) -> float | None:
    """Confidence in a declared codec, or None when the bytes contradict it."""
    text = _decode_prefix(sample, codec)
    if text is None:
        return None
    if codec in ("utf-8", "utf-8-sig"):
        return 0.99  # strict UTF-8 over multibyte text is its own proof
    stats = char_stats(text)
    if stats.bad_share > 0.05:
        return None
    if stats.nonascii and _decode_prefix(sample, "utf-8") is not None:
        return None  # valid UTF-8 with non-ASCII chars: a page re-saved as UTF-8 that kept its old <meta>
    if not stats.nonascii:
        return 0.99
    is_cjk = codec in (*CHINESE_CODECS, *JAPANESE_CODECS, *KOREAN_CODECS)
    # A single-byte codec reads anything; CJK bytes outrank it.
    own = score_decoding(stats, codec) if is_cjk else 0.0
    best = _best_cjk(sample)
    if best and best[1] != codec and best[0] >= ZH_MIN_SCORE and best[0] > own + 0.2:
        return None  # e.g. Big5 declared gb2312, EUC-KR declared euc-jp, GBK declared iso-8859-1
    if is_cjk and stats.han + stats.kana + stats.hangul >= 20 and own < 0.2:
        return None  # CJK chars, but implausible ones: a wrong codec that happens to decode
    return confidence_from_score(max(own, 0.8), stats.han + stats.nonascii)


def _redecode_utf8(text: str, encode: Callable[[str], bytes]) -> tuple[str, int] | None:
    """Text's bytes under a wrong codec, read again as UTF-8; with the count of chars lost for good."""
    try:
        data = encode(text)
    except UnicodeError:
        return None
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError:
        pass
    if "\ufffd" not in text:
        return None  # nothing was lost, so the bytes should have been clean UTF-8
    # The first decode replaced bytes it could not map: recover the rest, the lost chars stay U+FFFD.
    fixed = data.decode("utf-8", errors="replace")
    return fixed, fixed.count("\ufffd")


def _to_latin1(text: str) -> bytes:
    return text.translate(_CP1252_TO_LATIN1).replace("\ufffd", "").encode("latin-1")


def _to_gb18030(text: str) -> bytes:
    return text.replace("\ufffd", "").encode("gb18030")


def repair_mojibake(text: str) -> tuple[str, str | None]:
    """Undo UTF-8 that was decoded as cp1252/Latin-1 or as GBK; return the text and what was repaired."""
    if _LATIN1_MOJIBAKE.search(text):
        # Strict UTF-8 over the re-encoded chars is the evidence: real Latin-1 text is almost never valid UTF-8.
        found = _redecode_utf8(text, _to_latin1)
        if (
            found
            and char_stats(found[0]).bad <= found[1]
            and found[1] <= 0.25 * char_stats(found[0]).nonascii
        ):
            return found[0], "utf-8 read as cp1252" + (" (lossy)" if found[1] else "")
    stats = char_stats(text)
    if stats.han < 2 or stats.zh_score >= 0.5:
        return text, None
    found = _redecode_utf8(text, _to_gb18030)
    if not found:
        return text, None
    fixed, lost = found
    fixed_stats = char_stats(fixed)
    before = score_decoding(stats, "gb18030")
    after = max(score_decoding(fixed_stats, codec) for codec in ("utf-8", "euc_jp", "euc_kr"))
    # Only a clearly better reading counts: a rare-but-real Hanzi text re-encodes to invalid UTF-8 anyway.
    if (
        fixed_stats.nonascii >= 2
        and fixed_stats.bad <= lost <= 0.25 * fixed_stats.nonascii
        and after >= before + 0.3
    ):
        return fixed, "utf-8 read as gbk" + (" (lossy)" if lost else "")
    return text, None


def sniff_declared_charset(payload: bytes) -> str | None:
    """The charset an XML declaration or HTML <meta> in the first few KB states, lower-cased."""
    head = payload[:_SNIFF_BYTES]
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    found = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return found.group(1).decode("ascii").lower() if found else None


def _finish(text: str, codec: str, confidence: float, method: str) -> DecodedText:
    repaired, repair = repair_mojibake(text)
    if repair:
        confidence = round(confidence * 0.9, 3)
    return DecodedText(repaired, codec, confidence, method, repair)


def _decode_hz(payload: bytes) -> str | None:
    """HZ (RFC 1843): 7-bit GB2312 between ~{ and ~}; plain ASCII otherwise, so it is checked first."""
    if b"~{" not in payload or b"~}" not in payload or max(payload) >= 0x80:
        return None
    try:
        text = payload.decode("hz")
    except UnicodeDecodeError:
        return None
    stats = char_stats(text)
    return text if stats.han >= 2 and stats.zh_score >= 0.3 and not stats.bad else None


def decode_bytes(payload: bytes, declared_charset: str | None = None, source_uri: str = "") -> DecodedText:
    """Decode bytes to text: BOM, then a declared charset the bytes confirm, then UTF-8, then detection."""
    if not payload:
        raise DecodeError("empty input", source_uri)
    for bom, codec in _BOMS:
        if payload.startswith(bom):
            text, quality = _decode_whole(payload, codec, source_uri)
            return _finish(text, "utf-8-sig" if codec == "utf-8-sig" else codec, quality, "bom")
    sample = payload[:_DETECT_BYTES]
    if sample.count(0) and (utf16 := _utf16_without_bom(sample)):
        text, quality = _decode_whole(payload, utf16, source_uri)
        return _finish(text, utf16, 0.8 * quality, "detected")
    _reject_binary(sample, source_uri)

    label = declared_charset or sniff_declared_charset(payload)
    declared = _canonical_codec(label) if label else None
    if declared and not declared.startswith(("utf-16", "utf-32")):  # an 8-bit page cannot be UTF-16 (WHATWG)
        confidence = _verify_declared(sample, declared)
        if confidence is not None:
            text, quality = _decode_whole(payload, declared, source_uri)
            return _finish(text, declared, confidence * quality, "declared")

    if (hz := _decode_hz(payload)) is not None:
        return _finish(hz, "hz", 0.9, "detected")
    if _decode_prefix(sample, "utf-8") is not None:
        text, quality = _decode_whole(payload, "utf-8", source_uri)
        return _finish(text, "utf-8", (1.0 if text.isascii() else 0.99) * quality, "utf-8")

    codec, confidence = _detect(sample, source_uri)
    text, quality = _decode_whole(payload, codec, source_uri)
    if char_stats(text).bad_share > 0.2:
        raise DecodeError(
            f"decoded as {codec}, over 20% of the characters are unassigned or private-use", source_uri
        )
    return _finish(text, codec, round(confidence * quality, 3), "detected")
