"""Decode stage: bytes of unknown encoding -> text, with the codec verified against the bytes."""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from charset_normalizer import from_bytes

from tasks.transforms.models import DecodedText, DecodeError

# The 500 most frequent Hanzi of the MSRA + People's Daily NER test sets (390 K chars of news text, 78% of
# their Han characters), then their Traditional forms from OpenCC s2t/s2tw/s2hk. On the chardet corpus the
# share of Han chars in this set is 0.41-0.85 for the right codec and <= 0.16 for a wrong one.
_COMMON_HANZI = frozenset(
    "的国一中在和人了是有大会不年为作发这民要上出学地行个以我主们业经生到对进来家工日全成展他同多时政部法"
    "新实建社于理开加方关合重本现长高文与下市力者动平员公小自分面就后月化好济事定产说共能前过等各代区党两"
    "天世心制得科队之用体表美场将利也务而明报特设问机可十着委义强系从教提题里总次度种基外意技今华北第起正"
    "电界所立治当位子论领其向港都书际安入保组统内导议还活名目香最及军持相间三使期解决结此并任去道些亚西斯"
    "术先通金育已如资联改比海京由记性然万交东更元情品志革把点村赛应府因战院认步农举信纪水历办二但放南五别"
    "原看想史深研精广程德创达增江门参取校山干近项物无受求处思司企张席选神老团那路果局尔只管量推式央服形识"
    "没真又女规质条很手拉传常织集协克少指众身台球观商据究数马风转计城省被知族收调友职接施难样级做支件见非"
    "几己光四感谈造车话示确专望首口回她色完至游命头流乡视势权李坚林每运标则极旅巴具护爱打或群王版切反邓变"
    "续律约习严格维才儿讲洲给远益环必整仅空兴投效再士积致百单气布许优互影走费双太县责清九图英断泽周云罗读"
    "访争防宣融需境热奖雨届继该根它州节献准构快青亲引往价花证艺助查促负带未始何存素师采类困足么满副考边希"
    "並亞來個們傳僅價優兒內兩別則創動務勢區協參員問單嚴國圖團堅報場學實將專對導屆師帶幹幾廣張強後從愛應戰"
    "採據數斷於時書會東枱條業極構標樣機檯權歷氣決沒準滿澤濟為無熱爭爲爾獎獻現環產當發眾確種積節紀約級組結"
    "給統經維縣總織繼續羅羣義習聯職與興舉華萬著藝處衆術裏裡製見規視親觀計記訪設許話該認說説調談論講證識議"
    "護讀變負責費資質賽車軍轉辦農這進遊運過達遠選還邊鄉鄧長門開間關隊際雙難雲電項領頭題類風馬體麼點黨"
)
_CJK_PUNCT = frozenset("，。、；：？！「」『』（）《》〈〉“”‘’…—·【】～")

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
_STATS_CHARS = 20000  # enough characters to score a decoding

_CHINESE = ("gb18030", "big5hkscs")
_JAPANESE = ("euc_jp", "cp932", "shift_jis")
_KOREAN = ("euc_kr", "cp949")
# Chardet-corpus thresholds: right-codec Chinese scores 0.41-0.85, wrong codec or Japanese/Korean <= 0.16.
_ZH_MIN_SCORE = 0.4
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


@dataclass(frozen=True)
class _Stats:
    """Character counts of a decoding, the raw material of every plausibility decision here."""

    nonascii: int
    han: int
    common_han: int
    kana: int
    hangul: int
    punct: int
    bad: int  # replacement, private-use, unassigned, control

    @property
    def zh_score(self) -> float:
        """Share of Han chars among the most common Hanzi, less the share of impossible chars."""
        return (self.common_han / self.han if self.han else 0.0) - self.bad / max(1, self.nonascii)

    @property
    def bad_share(self) -> float:
        return self.bad / max(1, self.nonascii)


def _char_stats(text: str) -> _Stats:
    nonascii = han = common = kana = hangul = punct = bad = 0
    for ch in text[:_STATS_CHARS]:
        o = ord(ch)
        if o < 0x80:
            if o < 0x20 and ch not in "\t\n\r\x0b\x0c\x1b\x0e\x0f":
                bad += 1
            continue
        nonascii += 1
        if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x3134F or 0xF900 <= o <= 0xFAFF:
            han += 1
            common += ch in _COMMON_HANZI
        elif 0x3041 <= o <= 0x30FF:
            kana += 1
        elif 0xAC00 <= o <= 0xD7A3:
            hangul += 1
        elif ch in _CJK_PUNCT or 0xFF01 <= o <= 0xFF5E:
            punct += 1
        elif o == 0xFFFD or o <= 0x9F or unicodedata.category(ch) in ("Co", "Cn", "Cs", "Cc"):
            bad += 1
    return _Stats(nonascii, han, common, kana, hangul, punct, bad)


def _score(stats: _Stats, codec: str) -> float:
    """Plausibility in 0..1 of a decoding made with `codec` (language-specific for CJK codecs)."""
    if codec in _JAPANESE:
        # Kana are what Japanese has and Chinese text hardly ever does.
        letters = stats.han + stats.kana
        if not letters or stats.kana < 0.1 * letters:
            return 0.0
        return (stats.common_han + stats.kana) / letters - stats.bad_share
    if codec in _KOREAN:
        # Korean text is mostly Hangul even with Hanja; EUC-TW or GB read as EUC-KR mixes the two about evenly.
        letters = stats.han + stats.hangul
        if not letters or stats.hangul < 0.7 * letters:
            return 0.0
        return stats.hangul / letters - stats.bad_share
    if stats.han:
        return stats.zh_score
    return 1.0 - stats.bad_share


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


def _confidence(score: float, letters: int) -> float:
    """Map a plausibility score to 0..1, lower for short texts where one char moves the score."""
    size = min(1.0, 0.6 + letters / 100)
    return round(max(0.05, min(0.99, (0.5 + 0.5 * score) * size)), 3)


def _utf16_without_bom(sample: bytes) -> str | None:
    """The UTF-16 codec that reads NUL-bearing bytes as clean text (a BOM-less UTF-16 file), if one does."""
    for codec in ("utf-16-le", "utf-16-be"):
        text = _decode_prefix(sample[: len(sample) // 2 * 2], codec)
        if text:
            stats = _char_stats(text)
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


def _chinese_candidates(sample: bytes) -> list[tuple[float, str, _Stats]]:
    """Chinese codecs that decode the sample, most plausible first (ties to GB, the larger market)."""
    scored = []
    for codec in _CHINESE:
        text = _decode_prefix(sample, codec)
        if text is not None:
            stats = _char_stats(text)
            scored.append((stats.zh_score, codec, stats))
    return sorted(scored, key=lambda item: (item[0], item[1] == "gb18030"), reverse=True)


def _detect(sample: bytes, source_uri: str) -> tuple[str, float]:
    """Choose a codec for non-UTF-8 bytes: Chinese first when plausible, else what charset-normalizer says."""
    chinese = _chinese_candidates(sample)
    if chinese and chinese[0][2].han and chinese[0][0] >= _ZH_MIN_SCORE:
        score, codec, stats = chinese[0]
        return codec, _confidence(score, stats.han)
    match = from_bytes(sample).best()
    cn_codec = _canonical_codec(match.encoding) if match else None
    # Japanese and Korean, then whatever else charset-normalizer found (Latin, Cyrillic...).
    others = []
    for codec in (*_JAPANESE, *_KOREAN, *([cn_codec] if cn_codec and cn_codec not in _CHINESE else [])):
        text = _decode_prefix(sample, codec)
        if text is not None:
            stats = _char_stats(text)
            others.append((_score(stats, codec), codec == cn_codec, codec, stats))
    if others:
        score, _, codec, stats = max(others, key=lambda item: item[:2])
        if score > 0.3:
            return codec, _confidence(score, stats.han + stats.kana + stats.hangul + stats.nonascii)
    if chinese:
        # Few Han chars, or uncommon ones (names, classical text): keep the guess, with low confidence.
        # A tie between GB and Big5 goes to charset-normalizer's pick.
        score, codec, stats = max(chinese, key=lambda item: (item[0], item[1] == cn_codec))
        if stats.han < 10 or score >= 0.2:
            return codec, _confidence(score - 0.5, stats.han)
    if _is_euc_tw(sample):
        raise DecodeError("bytes look like EUC-TW (CNS 11643), which Python has no codec for", source_uri)
    raise DecodeError("no encoding decodes these bytes into plausible text", source_uri)


def _best_cjk(sample: bytes) -> tuple[float, str] | None:
    """The double-byte CJK codec (Chinese, Japanese or Korean) that reads the bytes most plausibly."""
    best = None
    for codec in (*_CHINESE, *_JAPANESE, *_KOREAN):
        text = _decode_prefix(sample, codec)
        if text is not None:
            stats = _char_stats(text)
            if stats.han + stats.kana + stats.hangul >= 10 and (
                best is None or _score(stats, codec) > best[0]
            ):
                best = (_score(stats, codec), codec)
    return best


def _verify_declared(sample: bytes, codec: str) -> float | None:
    """Confidence in a declared codec, or None when the bytes contradict it."""
    text = _decode_prefix(sample, codec)
    if text is None:
        return None
    if codec in ("utf-8", "utf-8-sig"):
        return 0.99  # strict UTF-8 over multibyte text is its own proof
    stats = _char_stats(text)
    if stats.bad_share > 0.05:
        return None
    if stats.nonascii and _decode_prefix(sample, "utf-8") is not None:
        return None  # valid UTF-8 with non-ASCII chars: a page re-saved as UTF-8 that kept its old <meta>
    if not stats.nonascii:
        return 0.99
    is_cjk = codec in (*_CHINESE, *_JAPANESE, *_KOREAN)
    own = _score(stats, codec) if is_cjk else 0.0  # a single-byte codec reads anything; CJK bytes outrank it
    best = _best_cjk(sample)
    if best and best[1] != codec and best[0] >= _ZH_MIN_SCORE and best[0] > own + 0.2:
        return None  # e.g. Big5 declared gb2312, EUC-KR declared euc-jp, GBK declared iso-8859-1
    if is_cjk and stats.han + stats.kana + stats.hangul >= 20 and own < 0.2:
        return None  # CJK chars, but implausible ones: a wrong codec that happens to decode
    return _confidence(max(own, 0.8), stats.han + stats.nonascii)


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
            and _char_stats(found[0]).bad <= found[1]
            and found[1] <= 0.25 * _char_stats(found[0]).nonascii
        ):
            return found[0], "utf-8 read as cp1252" + (" (lossy)" if found[1] else "")
    stats = _char_stats(text)
    if stats.han < 2 or stats.zh_score >= 0.5:
        return text, None
    found = _redecode_utf8(text, _to_gb18030)
    if not found:
        return text, None
    fixed, lost = found
    fixed_stats = _char_stats(fixed)
    before = _score(stats, "gb18030")
    after = max(_score(fixed_stats, codec) for codec in ("utf-8", "euc_jp", "euc_kr"))
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
    stats = _char_stats(text)
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
    if _char_stats(text).bad_share > 0.2:
        raise DecodeError(
            f"decoded as {codec}, over 20% of the characters are unassigned or private-use", source_uri
        )
    return _finish(text, codec, round(confidence * quality, 3), "detected")
