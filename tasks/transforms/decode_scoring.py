"""Plausibility of a decoding: character counts of the text and how likely each codec family makes them.

decode.py tries codecs and keeps the reading these scores call most plausible.
"""

from __future__ import annotations

import codecs
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache

import numpy as np

# The 500 most frequent Hanzi of the MSRA + People's Daily NER test sets (390 K chars of news text, 78% of
# their Han characters), then their Traditional forms from OpenCC s2t/s2tw/s2hk. On the chardet corpus the
# share of Han chars in this set is 0.41-0.85 for the right codec and <= 0.16 for a wrong one.
COMMON_HANZI = frozenset(
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
CJK_PUNCT = frozenset("，。、；：？！「」『』（）《》〈〉“”‘’…—·【】～")

STATS_CHARS = 20000  # enough characters to score a decoding

CHINESE_CODECS = ("gb18030", "big5hkscs")
JAPANESE_CODECS = ("euc_jp", "cp932", "shift_jis")
KOREAN_CODECS = ("euc_kr", "cp949")
CJK_CODECS = (*CHINESE_CODECS, *JAPANESE_CODECS, *KOREAN_CODECS)
# Chardet-corpus thresholds: right-codec Chinese scores 0.41-0.85, wrong codec or Japanese/Korean <= 0.16.
ZH_MIN_SCORE = 0.4


@dataclass(frozen=True)
class CharStats:
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


# Classes of the char-class table; char_stats counts them with one bincount.
_OK_ASCII, _BAD_ASCII, _HAN, _COMMON_HAN, _KANA, _HANGUL, _PUNCT, _BAD, _OTHER = range(9)
_ASCII_ALLOWED = "\t\n\r\x0b\x0c\x1b\x0e\x0f"


def _char_class(o: int) -> int:
    """Class of one code point, the rules char_stats counts by (the table's source and the astral path)."""
    ch = chr(o)
    if o < 0x80:
        return _BAD_ASCII if o < 0x20 and ch not in _ASCII_ALLOWED else _OK_ASCII
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x3134F or 0xF900 <= o <= 0xFAFF:
        return _COMMON_HAN if ch in COMMON_HANZI else _HAN
    if 0x3041 <= o <= 0x30FF:
        return _KANA
    if 0xAC00 <= o <= 0xD7A3:
        return _HANGUL
    if ch in CJK_PUNCT or 0xFF01 <= o <= 0xFF5E:
        return _PUNCT
    if o == 0xFFFD or o <= 0x9F or unicodedata.category(ch) in ("Co", "Cn", "Cs", "Cc"):
        return _BAD
    return _OTHER


@cache
def _bmp_classes() -> np.ndarray:
    """The class of every BMP code point (built on first use: ~65 K lookups, once per process)."""
    return np.array([_char_class(o) for o in range(0x10000)], dtype=np.uint8)


def char_stats(text: str) -> CharStats:
    """Counts of Han, kana, Hangul, CJK punctuation and impossible chars in the first STATS_CHARS of a text."""
    codes = np.frombuffer(text[:STATS_CHARS].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    bmp = codes < 0x10000
    counts = np.bincount(_bmp_classes()[codes[bmp]], minlength=9).tolist()
    if not bmp.all():  # astral chars are rare: classify them one by one
        for o in codes[~bmp].tolist():
            counts[_char_class(o)] += 1
    nonascii = len(codes) - counts[_OK_ASCII] - counts[_BAD_ASCII]
    return CharStats(
        nonascii=nonascii,
        han=counts[_HAN] + counts[_COMMON_HAN],
        common_han=counts[_COMMON_HAN],
        kana=counts[_KANA],
        hangul=counts[_HANGUL],
        punct=counts[_PUNCT],
        bad=counts[_BAD_ASCII] + counts[_BAD],
    )


def score_decoding(stats: CharStats, codec: str) -> float:
    """Plausibility in 0..1 of a decoding made with `codec` (language-specific for CJK codecs)."""
    if codec in JAPANESE_CODECS:
        # Kana are what Japanese has and Chinese text hardly ever does.
        letters = stats.han + stats.kana
        if not letters or stats.kana < 0.1 * letters:
            return 0.0
        return (stats.common_han + stats.kana) / letters - stats.bad_share
    if codec in KOREAN_CODECS:
        # Korean text is mostly Hangul even with Hanja; EUC-TW or GB read as EUC-KR mixes the two about evenly.
        letters = stats.han + stats.hangul
        if not letters or stats.hangul < 0.7 * letters:
            return 0.0
        return stats.hangul / letters - stats.bad_share
    if stats.han:
        return stats.zh_score
    return 1.0 - stats.bad_share


# Sizes of the byte sequences replaced by the decode running in this context (the error handler has no other
# way to report to its caller).
_REPLACED: ContextVar[list[tuple[int, int]]] = ContextVar("replaced_sequences")
_COUNTING_HANDLER = "newsetl.replace-and-count"


def _replace_and_count(err: UnicodeError) -> tuple[str, int]:
    if not isinstance(err, UnicodeDecodeError):
        raise err
    _REPLACED.get().append((err.start, err.end))
    return "\ufffd", err.end


codecs.register_error(_COUNTING_HANDLER, _replace_and_count)


@dataclass(frozen=True)
class Reading:
    """Bytes read with one codec, undecodable sequences replaced by U+FFFD and counted."""

    codec: str
    text: str
    errors: int  # replaced sequences
    bad_bytes: int  # bytes inside them
    nonascii_bytes: int  # every codec here reads ASCII bytes as ASCII: only these tell codecs apart

    @property
    def explained(self) -> float:
        """Share of the non-ASCII bytes that the codec decodes (1.0 for pure ASCII)."""
        return max(0.0, 1.0 - self.bad_bytes / self.nonascii_bytes) if self.nonascii_bytes else 1.0


def read_bytes_as(data: bytes, codec: str, is_prefix: bool = False) -> Reading | None:
    """Decode with replacement, counting what was replaced; None for a codec Python lacks.

    With `is_prefix`, a multibyte character cut by the end of `data` (a sample of a longer payload) is
    dropped rather than counted.
    """
    try:
        text = data.decode(codec, errors="replace")  # C speed; the exact count below runs a Python handler
    except LookupError:
        return None
    # numpy counts the high bytes without the copy a translate makes (3x faster on whole pages).
    nonascii = int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) >= 0x80))
    errors = text.count("\ufffd") - _encoded_replacement_chars(data, codec)
    if errors <= 0:
        return Reading(codec, text, 0, 0, nonascii)
    if errors > 0.05 * nonascii + 1:
        # A codec this wrong is out of the running either way; every sequence holds a byte at least, so
        # `explained` is an upper bound.
        return Reading(codec, text, errors, errors, nonascii)
    replaced: list[tuple[int, int]] = []
    token = _REPLACED.set(replaced)
    try:
        text = data.decode(codec, errors=_COUNTING_HANDLER)
    finally:
        _REPLACED.reset(token)
    if is_prefix and replaced and replaced[-1][1] == len(data) and len(data) - replaced[-1][0] <= 3:
        text, replaced = text[:-1], replaced[:-1]
    return Reading(codec, text, len(replaced), sum(end - start for start, end in replaced), nonascii)


def _encoded_replacement_chars(data: bytes, codec: str) -> int:
    """How many U+FFFD the bytes themselves encode (a real one in the text is not a decoding error)."""
    try:
        return data.count("\ufffd".encode(codec))
    except UnicodeError:
        return 0


def confidence_from_score(score: float, letters: int) -> float:
    """Map a plausibility score to 0..1, lower for short texts where one char moves the score."""
    size = min(1.0, 0.6 + letters / 100)
    return round(max(0.05, min(0.99, (0.5 + 0.5 * score) * size)), 3)
