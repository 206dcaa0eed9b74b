"""Decode stage: bytes of unknown encoding -> text, with the codec verified against the bytes."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from tasks.transforms.decode_repair import repair_mojibake
from tasks.transforms.decode_scoring import (
    CHINESE_CODECS,
    CJK_CODECS,
    JAPANESE_CODECS,
    KOREAN_CODECS,
    STATS_CHARS,
    ZH_MIN_SCORE,
    CharStats,
    Reading,
    char_stats,
    confidence_from_score,
    read_bytes_as,
    score_decoding,
)
from tasks.transforms.models import DecodedText, DecodeError

__all__ = ["decode_bytes", "repair_mojibake", "sniff_declared_charset"]

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
    65536  # detection on a prefix keeps big pages fast; the whole payload is then decoded with that codec
)
# Shares of the non-ASCII bytes a codec must explain (decode without error). A declared charset (or BOM) wins
# at 99.5%: truncated crawls and archived pages carry a few broken sequences, which browsers show as U+FFFD.
DECLARED_MIN_EXPLAINED = 0.995
# A detected codec may leave 5% unexplained; the right codec on the broken-sequence tests explains > 99%,
# a wrong CJK codec on the encoding_detection files < 90% (Cyrillic read as GBK ~92%, hence the next one).
MIN_EXPLAINED = 0.95
# Codecs within this share of the best-explaining CJK codec compete on plausibility: a Big5 page with broken
# sequences is 99.9% Big5 and 100% GBK (GBK's byte ranges cover Big5's), and Big5 must still win.
EXPLAINED_MARGIN = 0.01
# "Mostly valid GB/Big5": no single-byte codec may read such bytes.
CJK_BYTES_EXPLAINED = 0.98
# Below this the chosen codec does not fit the rest of a payload whose sample it explained: not text we can read.
WHOLE_MIN_EXPLAINED = 0.75
# Share of common Hanzi a UTF-16 reading of fewer than 10 Han chars needs. News Han text is 78% common Hanzi, Han
# chars read from other bytes ~3% (decode_scoring.COMMON_HANZI); a char's likelihood ratio is 26 for a common one and
# 0.23 for a rare one, so more text than junk from 31% common up. `\xff\xfe\x00garbage` read as 最牡慢敧 has 25%.
SHORT_UTF16_MIN_ZH_SCORE = 0.31
# Bytes that never occur in text (NUL handled apart; TAB LF VT FF CR, ESC, SO/SI kept for ISO-2022).
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\x0b\x0c\r\x1b\x0e\x0f") + b"\x7f"

_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""")
_META_CHARSET = re.compile(rb"""<meta\b[^>]{0,300}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
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


def _utf16_without_bom(sample: bytes) -> str | None:
    """The UTF-16 codec that reads NUL-bearing bytes as clean text (a BOM-less UTF-16 file), if one does."""
    for codec in ("utf-16-le", "utf-16-be"):
        text = _decode_prefix(sample[: len(sample) // 2 * 2], codec)
        if text and _is_plausible_utf16(text):
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


class _Readings:
    """Readings of one sample, each codec decoded (and its characters counted) at most once."""

    def __init__(self, sample: bytes, is_prefix: bool) -> None:
        self.sample = sample
        self.is_prefix = is_prefix
        self._readings: dict[str, Reading | None] = {}
        self._stats: dict[str, CharStats] = {}

    def reading(self, codec: str) -> Reading | None:
        """The sample read with `codec` (None when Python has no such codec)."""
        if codec not in self._readings:
            self._readings[codec] = read_bytes_as(self.sample, codec, self.is_prefix)
        return self._readings[codec]

    def get(self, codec: str) -> tuple[Reading, CharStats] | None:
        """The reading with `codec` and its character counts."""
        reading = self.reading(codec)
        if reading is None:
            return None
        if codec not in self._stats:
            self._stats[codec] = char_stats(reading.text)
        return reading, self._stats[codec]

    def fitting(self, codecs_: tuple[str, ...]) -> list[tuple[Reading, CharStats]]:
        """Readings of the codecs that explain nearly all the bytes (a few broken sequences are tolerated)."""
        # Coverage first: a codec that leaves clearly more bytes unexplained than the best CJK codec is out
        # (Shift_JIS bytes read as cp949 explain ~97%, as Shift_JIS 100%); plausibility decides among the rest.
        best = max((r.explained for c in CJK_CODECS if (r := self.reading(c)) is not None), default=0.0)
        floor = max(MIN_EXPLAINED, best - EXPLAINED_MARGIN)
        fit = [c for c in codecs_ if (r := self.reading(c)) is not None and r.explained >= floor]
        return [found for codec in fit if (found := self.get(codec)) is not None]


def _chinese_candidates(readings: _Readings) -> list[tuple[float, str, CharStats]]:
    """Chinese codecs that explain the sample, most plausible first (ties to GB, the larger market)."""
    scored = [(stats.zh_score, reading.codec, stats) for reading, stats in readings.fitting(CHINESE_CODECS)]
    return sorted(scored, key=lambda item: (item[0], item[1] == "gb18030"), reverse=True)


def _is_mostly_chinese_bytes(readings: _Readings) -> bool:
    """GB or Big5 explains nearly every non-ASCII byte of a sample with real double-byte content."""
    return any(
        reading.explained >= CJK_BYTES_EXPLAINED and stats.han >= 10
        for reading, stats in readings.fitting(CHINESE_CODECS)
    )


def _detect(readings: _Readings, declared_cjk: bool, source_uri: str) -> tuple[str, float]:
    """Choose a codec for non-UTF-8 bytes: Chinese first when plausible, else what charset-normalizer says."""
    chinese = _chinese_candidates(readings)
    if chinese and chinese[0][2].han and chinese[0][0] >= ZH_MIN_SCORE:
        score, codec, stats = chinese[0]
        return codec, confidence_from_score(score, stats.han)
    # A single-byte codec explains any bytes: never let it read a page that declares a CJK charset or whose
    # bytes are nearly all valid GB/Big5 (a GB2312 page with broken sequences came out as ptcp154 Cyrillic).
    cjk_page = (declared_cjk and bool(readings.fitting(CJK_CODECS))) or _is_mostly_chinese_bytes(readings)
    match = None if cjk_page else from_bytes(readings.sample).best()
    cn_codec = _canonical_codec(match.encoding) if match else None
    # Japanese and Korean, then whatever else charset-normalizer found (Latin, Cyrillic...).
    extra = (cn_codec,) if cn_codec and cn_codec not in CHINESE_CODECS else ()
    others = [
        (score_decoding(stats, reading.codec), reading.codec == cn_codec, reading.codec, stats)
        for reading, stats in readings.fitting((*JAPANESE_CODECS, *KOREAN_CODECS, *extra))
    ]
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
    if _is_euc_tw(readings.sample):
        raise DecodeError("bytes look like EUC-TW (CNS 11643), which Python has no codec for", source_uri)
    raise DecodeError("no encoding decodes these bytes into plausible text", source_uri)


def _best_cjk(readings: _Readings) -> tuple[float, str] | None:
    """The double-byte CJK codec (Chinese, Japanese or Korean) that reads the bytes most plausibly."""
    scored = [
        (score_decoding(stats, reading.codec), reading.codec)
        for reading, stats in readings.fitting(CJK_CODECS)
        if stats.han + stats.kana + stats.hangul >= 10
    ]
    return max(scored, key=lambda item: item[0]) if scored else None


def _verify_declared(readings: _Readings, codec: str) -> float | None:
    """Confidence in a declared codec, or None when the bytes contradict it."""
    reading = readings.reading(codec)
    if reading is None or reading.explained < DECLARED_MIN_EXPLAINED:
        return None
    if codec in ("utf-8", "utf-8-sig"):
        return 0.99  # UTF-8 over multibyte text is its own proof (its character counts are not needed)
    found = readings.get(codec)
    if found is None:
        return None
    stats = found[1]
    if stats.bad_share > 0.05:
        return None
    utf8 = readings.reading("utf-8")
    if stats.nonascii and utf8 is not None and utf8.explained >= DECLARED_MIN_EXPLAINED:
        return None  # valid UTF-8 with non-ASCII chars: a page re-saved as UTF-8 that kept its old <meta>
    if not stats.nonascii:
        return 0.99
    is_cjk = codec in CJK_CODECS
    # A single-byte codec reads anything; CJK bytes outrank it.
    own = score_decoding(stats, codec) if is_cjk else 0.0
    best = _best_cjk(readings)
    if best and best[1] != codec and best[0] >= ZH_MIN_SCORE and best[0] > own + 0.2:
        return None  # e.g. Big5 declared gb2312, EUC-KR declared euc-jp, GBK declared iso-8859-1
    if is_cjk and stats.han + stats.kana + stats.hangul >= 20 and own < 0.2:
        return None  # CJK chars, but implausible ones: a wrong codec that happens to decode
    return confidence_from_score(max(own, 0.8), stats.han + stats.nonascii)


def sniff_declared_charset(payload: bytes) -> str | None:
    """The charset an XML declaration or HTML <meta> in the first few KB states, lower-cased."""
    head = payload[:_SNIFF_BYTES]
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    found = _XML_DECL.match(head) or _META_CHARSET.search(head)
    return found.group(1).decode("ascii").lower() if found else None


def _finish(reading: Reading, confidence: float, method: str, repairs: tuple[str, ...] = ()) -> DecodedText:
    """Undo mojibake and package the text; replaced sequences cost confidence and are counted."""
    repaired, repair = repair_mojibake(reading.text)
    if repair or repairs:
        confidence *= 0.9
    if reading.errors:
        confidence *= min(0.9, reading.explained)
    notes = "; ".join((*repairs, *([repair] if repair else [])))
    return DecodedText(repaired, reading.codec, round(confidence, 3), method, notes or None, reading.errors)


def _read_whole(payload: bytes, codec: str, source_uri: str) -> Reading:
    """The whole payload read with the chosen codec; a codec that leaves much of it unexplained is an error."""
    reading = read_bytes_as(payload, codec)
    if reading is None:
        raise DecodeError(f"no Python codec for {codec}", source_uri)
    if reading.explained < WHOLE_MIN_EXPLAINED:
        raise DecodeError(
            f"{reading.errors} byte sequences invalid in {codec}, the best-fitting encoding "
            f"({reading.explained:.0%} of the non-ASCII bytes explained)",
            source_uri,
        )
    return reading


def _is_plausible_utf16(text: str) -> bool:
    """Text a UTF-16 codec produced looks like text: nearly all printable ASCII or CJK, common Hanzi."""
    stats = char_stats(text)
    # Binary (or 8-bit text) read as UTF-16 scatters over every script, rare Hanzi mostly.
    cjk = stats.han + stats.kana + stats.hangul + stats.punct
    ascii_printable = sum(ch.isprintable() or ch in "\t\n\r" for ch in text if ch.isascii())
    return (
        not stats.bad
        and ascii_printable + cjk >= 0.95 * len(text)
        and (not stats.han or stats.zh_score >= (0.2 if stats.han >= 10 else SHORT_UTF16_MIN_ZH_SCORE))
    )


def _bom_reading(payload: bytes, bom: bytes, codec: str) -> Reading | None:
    """The payload read as its byte-order mark says, or None when the bytes disagree (a stray mark)."""
    reading = read_bytes_as(payload, codec)
    if reading is None or reading.explained < DECLARED_MIN_EXPLAINED:
        return None
    if codec == "utf-8-sig":
        return reading
    rest = payload[len(bom) :]
    # 8-bit text behind a UTF-16/32 mark: valid UTF-8 free of NUL and control bytes is the evidence (UTF-16 text
    # beyond a few chars is almost never valid UTF-8: 你好世界 is, with a control byte), or an implausible reading.
    if _is_clean_8bit(rest) or not _is_plausible_utf16(reading.text[:STATS_CHARS]):
        return None
    return reading


def _is_clean_8bit(data: bytes) -> bool:
    """Valid UTF-8 with no NUL or control byte: text, not UTF-16 (whose ASCII chars carry a NUL byte each)."""
    has_controls = len(data.translate(None, b"\x00" + _CONTROL_BYTES)) != len(data)
    return not has_controls and _decode_prefix(data, "utf-8") is not None


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


def _whole_utf8(payload: bytes) -> Reading | None:
    """The payload as strict UTF-8, or None. Valid UTF-8 needs no sample reading and no error count: one C-speed
    decode gives what the sample's reading plus _read_whole gave (it was ~40% of decoding a short JSONL text)."""
    try:
        return Reading("utf-8", payload.decode("utf-8"), 0, 0, 0)
    except UnicodeDecodeError:
        return None


def decode_bytes(payload: bytes, declared_charset: str | None = None, source_uri: str = "") -> DecodedText:
    """Decode bytes to text: BOM, then a declared charset the bytes confirm, then UTF-8, then detection."""
    if not payload:
        raise DecodeError("empty input", source_uri)
    repairs: tuple[str, ...] = ()
    for bom, codec in _BOMS:
        if payload.startswith(bom):
            if (reading := _bom_reading(payload, bom, codec)) is not None:
                return _finish(reading, 1.0 if not reading.errors else 0.9, "bom")
            payload, repairs = payload[len(bom) :], (f"stray {codec} byte-order mark dropped",)
            break
    if not payload:
        raise DecodeError("only a byte-order mark", source_uri)
    sample = payload[:_DETECT_BYTES]
    # After a UTF-16/32 mark found stray, the bytes were just judged not to be UTF-16: NULs left make them binary.
    if sample.count(0) and not repairs and (utf16 := _utf16_without_bom(sample)):
        return _finish(_read_whole(payload, utf16, source_uri), 0.8, "detected", repairs)
    _reject_binary(sample, source_uri)
    readings = _Readings(sample, is_prefix=len(sample) < len(payload))

    label = declared_charset or sniff_declared_charset(payload)
    declared = _canonical_codec(label) if label else None
    if declared == "utf-8" and (whole := _whole_utf8(payload)) is not None:
        return _finish(whole, 0.99, "declared", repairs)  # what _verify_declared and _read_whole would give
    if declared and not declared.startswith(("utf-16", "utf-32")):  # an 8-bit page cannot be UTF-16 (WHATWG)
        confidence = _verify_declared(readings, declared)
        if confidence is not None:
            return _finish(_read_whole(payload, declared, source_uri), confidence, "declared", repairs)

    if (hz := _decode_hz(payload)) is not None:
        return _finish(Reading("hz", hz, 0, 0, 0), 0.9, "detected", repairs)
    if (whole := _whole_utf8(payload)) is not None:
        return _finish(whole, 1.0 if whole.text.isascii() else 0.99, "utf-8", repairs)
    utf8 = readings.reading("utf-8")
    # UTF-8 is self-checking (legacy CJK bytes read as UTF-8 explain < 10%): the detection threshold will do.
    if utf8 is not None and utf8.explained >= MIN_EXPLAINED:
        reading = _read_whole(payload, "utf-8", source_uri)
        return _finish(reading, 1.0 if reading.text.isascii() else 0.99, "utf-8", repairs)

    codec, confidence = _detect(readings, declared in CJK_CODECS, source_uri)
    reading = _read_whole(payload, codec, source_uri)
    if char_stats(reading.text).bad_share > 0.2:
        raise DecodeError(
            f"decoded as {codec}, over 20% of the characters are unassigned or private-use", source_uri
        )
    return _finish(reading, confidence, "detected", repairs)
