"""Normalize script: invisible chars, NFC, ruby readings, Traditional -> Simplified, punctuation, whitespace.

Every step that can change the length of the text also returns an index map `m` with `m[j]` = index in the
step's input of output char j and `m[len(out)] == len(input)`; `normalize_text` composes those maps so the
result points every normalized char back at its raw char.
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from array import array
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from opencc import OpenCC

from tasks.transforms.chars import HAN
from tasks.transforms.models import NormalizedText

# Han chars (tasks.transforms.chars) and 〇, which takes a ruby reading like any Han numeral.
_HAN_RANGES = "\u3007" + HAN
_HAN_RE = re.compile(f"[{_HAN_RANGES}]")

# A flattened ruby reading: a Han char then one Latin syllable (tone marks or a trailing tone digit) in
# half- or full-width parentheses. 8 letters cover the longest syllables (zhuang, shuang) with slack.
_RUBY_RE = re.compile(
    f"(?<=[{_HAN_RANGES}])(?:\\(([A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]{{1,8}}[0-5]?)\\)"
    f"|（([A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f]{{1,8}}[0-5]?)）)"
)
_TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}

# Separators OpenCC itself splits on before matching (its PhraseExtract list): no dictionary entry spans
# one, so converting chunk by chunk gives the same text as converting it whole.
_OPENCC_SEPARATORS = re.compile(
    r"(\s+|[-,.?!*　，。、；：？！…“”‘’『』「」﹁﹂—－（）《》〈〉～．／＼︒︑︔︓︿﹀︹︺︙︐［﹇］﹈︕︖︰︳︴︽︾︵︶｛︷｝︸﹃﹄【︻】︼])"
)

# detect_script: share of script-specific Han chars that are Traditional-only. A Traditional text still holds
# a few chars that s2t "changes" because they double as Simplified forms (the seed: 后 范 占 干, 4 of 147 ≈ 3%),
# and a Simplified text a few that t2s changes, so a 10% margin on each side absorbs that noise.
_HANT_MIN_SHARE = 0.9
_HANS_MAX_SHARE = 0.1

_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# U+FF61-FF64 are the same marks as 。「」、 in half width (old Japanese and Hong Kong encodings): a list written
# 张三､李四 must split like 张三、李四. Always mapped, one char for one.
_HALFWIDTH_CJK_MARKS = "｡｢｣､"
_HALFWIDTH_CJK = str.maketrans(_HALFWIDTH_CJK_MARKS, "。「」、")
# Horizontal whitespace collapsed to one space; U+3000 (ideographic space) is kept: Chinese text indents with it.
_HSPACE = " \t\u00a0"
# How far punctuation looks past spaces and neutral symbols (%, quotes, +) for the char that decides its width.
_CONTEXT_REACH = 3
_PAREN_OR_BREAK = re.compile(r"[()\n]")
_HALF_MARK = re.compile(r"[,;:?!]")


def is_han(ch: str) -> bool:
    """True when `ch` is a CJK ideograph (or 〇)."""
    return bool(_HAN_RE.match(ch))


def _identity(n: int) -> range:
    # A range, not a list: most steps change nothing, and _compose then keeps the other map as it is.
    return range(n + 1)


def _compose(outer: Sequence[int], inner: Sequence[int]) -> Sequence[int]:
    # outer maps step input -> raw, inner maps step output -> step input; a range is an identity map (_identity).
    if isinstance(inner, range):
        return outer
    if isinstance(outer, range):
        return inner
    return [outer[i] for i in inner]


def _chunk_map(start: int, in_len: int, out_len: int) -> list[int]:
    # Equal lengths map 1:1; otherwise spread output chars proportionally over the input chunk.
    if in_len == out_len:
        return list(range(start, start + in_len))
    return [start + (k * in_len) // out_len for k in range(out_len)]


# ---- invisible chars, NFC, whitespace -------------------------------------------------------------------


# Line breaks and tabs are the only non-printable chars most texts hold; without them a printable text has no Cf.
# (They are dropped by str.replace: a translate table looks every char up in a dict, 5x slower.)
# What _clean_whitespace changes: a CR, a tab or no-break space, a space before a space, a line end or the end.
_WHITESPACE_TO_CLEAN = re.compile(r"[\r\t\u00a0]| (?=[ \n]|\Z)")


def _remove_invisible(text: str) -> tuple[str, Sequence[int]]:
    # Cf covers zero-width space/joiners (U+200B..U+200D), word joiner U+2060, BOM U+FEFF, soft hyphen, bidi marks.
    if text.replace("\n", "").replace("\r", "").replace("\t", "").isprintable():
        return text, _identity(len(text))  # one C-level pass instead of a Python loop over every char
    keep = [i for i, ch in enumerate(text) if ch.isprintable() or unicodedata.category(ch) != "Cf"]
    if len(keep) == len(text):
        return text, _identity(len(text))
    return "".join(text[i] for i in keep), keep + [len(text)]


def _nfc(text: str) -> tuple[str, Sequence[int]]:
    if unicodedata.is_normalized("NFC", text):
        return text, _identity(len(text))
    # Chunks start at combining-class-0 chars; a chunk that still composes with the previous one (Hangul jamo,
    # some Indic vowel signs) is merged into it, so the chunks' NFC joined equals the NFC of the whole.
    starts = [i for i, ch in enumerate(text) if i == 0 or unicodedata.combining(ch) == 0]
    bounds: list[tuple[int, int]] = []
    for s, e in zip(starts, starts[1:] + [len(text)], strict=True):
        if bounds:
            ps, pe = bounds[-1]
            nfc = unicodedata.normalize
            if nfc("NFC", text[ps:e]) != nfc("NFC", text[ps:pe]) + nfc("NFC", text[s:e]):
                bounds[-1] = (ps, e)
                continue
        bounds.append((s, e))
    out: list[str] = []
    index: list[int] = []
    for s, e in bounds:
        piece = unicodedata.normalize("NFC", text[s:e])
        out.append(piece)
        index.extend(_chunk_map(s, e - s, len(piece)))
    return "".join(out), index + [len(text)]


def _clean_whitespace(text: str) -> tuple[str, Sequence[int]]:
    # \r\n and lone \r become \n; runs of spaces/tabs become one space; spaces before a line end are dropped.
    if not _WHITESPACE_TO_CLEAN.search(text):
        return text, _identity(len(text))
    out: list[str] = []
    index: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\r":
            if i + 1 < n and text[i + 1] == "\n":
                i += 1  # the \n that follows is kept and maps to itself
                continue
            out.append("\n")
            index.append(i)
        elif ch in _HSPACE:
            j = i
            while j < n and text[j] in _HSPACE:
                j += 1
            if j < n and text[j] not in "\r\n":
                out.append(" ")
                index.append(i)
            i = j
            continue
        else:
            out.append(ch)
            index.append(i)
        i += 1
    return "".join(out), index + [n]


# ---- ruby readings ----------------------------------------------------------------------------------------


def _syllable_key(syllable: str) -> tuple[str, int]:
    """(toneless syllable with ü, tone 1..5 or 0 when none is written)."""
    s = syllable.lower()
    tone = 0
    if s and s[-1].isdigit():
        tone = int(s[-1]) or 5  # 0 is sometimes written for the neutral tone
        s = s[:-1]
    s = unicodedata.normalize("NFD", s)
    for mark, value in _TONE_MARKS.items():
        if mark in s:
            tone = value
            s = s.replace(mark, "")
    s = unicodedata.normalize("NFC", s.replace("v", "ü"))
    if s[:1] in ("j", "q", "x", "y"):
        s = s.replace("ü", "u")  # standard pinyin writes ju/qu/xu/yu for jü/qü/xü/yü
    return s, tone


@lru_cache(maxsize=1)
def _char_readings() -> dict[int, str]:
    """pypinyin's per-char readings (code point -> comma-separated tone-marked syllables), read from its data file.

    Read directly, not through `import pypinyin`: the package loads its 2.5 MB phrase dictionary and trains a
    segmenter on import (~0.45 s per process, paid by every transform worker on its first ruby page); the
    per-char table alone loads in ~30 ms, and for one char pypinyin's heteronyms are exactly this table's."""
    spec = importlib.util.find_spec("pypinyin")  # finds the package without running its __init__
    if spec is None or spec.origin is None:
        raise RuntimeError("pypinyin is not installed: its reading table decides what ruby is stripped")
    table = json.loads((Path(spec.origin).parent / "pinyin_dict.json").read_text(encoding="utf-8"))
    return {int(code): readings for code, readings in table.items()}


@lru_cache(maxsize=65536)
def _readings(ch: str) -> frozenset[tuple[str, int]]:
    # Any heteronym counts; a syllable without a tone mark is the neutral tone (-> 5).
    keys: set[tuple[str, int]] = set()
    for reading in _char_readings().get(ord(ch), "").split(","):
        if reading:
            base, tone = _syllable_key(reading)
            keys.add((base, tone or 5))
    return frozenset(keys)


def is_reading_of(ch: str, syllable: str) -> bool:
    """True when `syllable` (tone marks, tone digit or no tone) is a pinyin reading of the Han char `ch`."""
    base, tone = _syllable_key(syllable)
    readings = _readings(ch)
    if tone in (0, 5):
        # No tone written, or the neutral tone: any syllable of the char may be read so (妈(ma), 子(zi)).
        return any(b == base for b, _ in readings)
    return (base, tone) in readings


def strip_ruby(text: str) -> tuple[str, list[int], int]:
    """Drop `(reading)` after a Han char it reads; return (text, index map into the input, readings dropped)."""
    out: list[str] = []
    index: list[int] = []
    pos = stripped = 0
    for m in _RUBY_RE.finditer(text):
        syllable = m.group(1) or m.group(2)
        if not is_reading_of(text[m.start() - 1], syllable):
            continue
        out.append(text[pos : m.start()])
        index.extend(range(pos, m.start()))
        pos = m.end()
        stripped += 1
    if not stripped:
        return text, list(_identity(len(text))), 0
    out.append(text[pos:])
    index.extend(range(pos, len(text) + 1))
    return "".join(out), index, stripped


# ---- script ------------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _converter(config: str) -> OpenCC:
    # Loading the dictionaries costs tens of ms: build each converter once, on first use.
    return OpenCC(config)


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def to_simplified(text: str) -> str:
    """Convert Traditional Chinese to Simplified with OpenCC t2s (phrases first, then characters)."""
    # OpenCC's C++ core takes UTF-8, which a lone surrogate (possible from a JSON "\ud800" escape) cannot be;
    # U+FFFD keeps the length, so offsets still line up.
    return _converter("t2s").convert(_SURROGATE_RE.sub("\ufffd", text))


def _to_simplified_mapped(text: str) -> tuple[str, Sequence[int]]:
    # Fast path: one call for the whole text. OpenCC's t2s dictionaries map every entry N chars to N chars
    # (checked on all 8,075 entries of opencc 1.4.2), so the offsets are the identity; each call into the C++
    # core has a fixed cost, so one call is ~4x faster than converting chunk by chunk.
    whole = to_simplified(text)
    if len(whole) == len(text):
        return whole, _identity(len(text))
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for chunk in _OPENCC_SEPARATORS.split(text):
        converted = to_simplified(chunk) if chunk and not _OPENCC_SEPARATORS.fullmatch(chunk) else chunk
        out.append(converted)
        index.extend(_chunk_map(pos, len(chunk), len(converted)))
        pos += len(chunk)
    return "".join(out), index + [len(text)]


def _script_of_char(ch: str) -> int:
    # +1 Traditional-only (t2s changes it), -1 Simplified-only (s2t changes it), 0 shared or ambiguous.
    to_s = _converter("t2s").convert(ch) != ch
    to_t = _converter("s2t").convert(ch) != ch
    return int(to_s) - int(to_t)


# Marks detect_script counts: each char seen so far maps to the mark of its script (non-Han chars, and the marks
# themselves, to nothing), so one str.translate and three counts judge a text in C; a char not seen before is
# judged once (two OpenCC calls) and added. It grows to the distinct chars seen (the Unicode Han blocks at most).
_HANT_MARK, _HANS_MARK, _SHARED_MARK = "\ue000", "\ue001", "\ue002"
_MARKS = (_HANT_MARK, _HANS_MARK, _SHARED_MARK)
_SCRIPT_MARKS: dict[int, str | None] = {ord(mark): None for mark in _MARKS}


def _script_mark(ch: str) -> str | None:
    if not _HAN_RE.match(ch):
        return None
    return {1: _HANT_MARK, -1: _HANS_MARK}.get(_script_of_char(ch), _SHARED_MARK)


def detect_script(text: str) -> str:
    """Label Han text "hant", "hans" or "mixed" by its script-specific chars; "other" when it has no Han."""
    marked = text.translate(_SCRIPT_MARKS)
    new = set(marked).difference(_MARKS)
    if new:
        _SCRIPT_MARKS.update((ord(ch), _script_mark(ch)) for ch in new)
        marked = text.translate(_SCRIPT_MARKS)
    if not marked:
        return "other"
    hant, hans = marked.count(_HANT_MARK), marked.count(_HANS_MARK)
    if hant + hans == 0:
        return "hans"  # only chars both scripts share: already valid Simplified, nothing to convert
    share = hant / (hant + hans)
    if share >= _HANT_MIN_SHARE:
        return "hant"
    if share <= _HANS_MAX_SHARE:
        return "hans"
    return "mixed"


# ---- punctuation -------------------------------------------------------------------------------------------


def _is_chinese(ch: str) -> bool:
    # Han, CJK symbols and punctuation (、。「」), CJK compatibility forms, full-width forms (，（）０Ａ).
    if not ch:
        return False
    o = ord(ch)
    return is_han(ch) or 0x3000 <= o <= 0x303F or 0xFE30 <= o <= 0xFE4F or 0xFF01 <= o <= 0xFF65


def _is_strong(ch: str) -> bool:
    return ch.isalnum() or _is_chinese(ch)


def _context(chars: list[str], i: int, step: int) -> str:
    # Nearest char that can decide the width: skip spaces and neutral symbols (%, quotes, +), not line breaks.
    j = i + step
    for _ in range(_CONTEXT_REACH + 1):
        if not 0 <= j < len(chars) or chars[j] == "\n":
            return ""
        if _is_strong(chars[j]):
            return chars[j]
        j += step
    return ""


def normalize_punctuation(text: str) -> str:
    """Make half-width , ; : ? ! ( ) full-width inside Chinese text, leaving numbers and Latin text alone, and the
    half-width forms of CJK marks (｡｢｣､) their usual ones."""
    if any(mark in text for mark in _HALFWIDTH_CJK_MARKS):
        text = text.translate(_HALFWIDTH_CJK)
    if _HALF_TO_FULL.keys().isdisjoint(text):
        return text
    chars = list(text)
    # Parentheses go by pair: full-width when the content holds Chinese, half-width for `(CQC)`, `(2025)`.
    # An unpaired one is left as it is; pairs do not span lines. Only the chars that matter are visited.
    opened: list[int] = []
    for i in (m.start() for m in _PAREN_OR_BREAK.finditer(text)):
        ch = chars[i]
        if ch == "(":
            opened.append(i)
        elif ch == ")" and opened:
            j = opened.pop()
            if any(_is_chinese(c) for c in chars[j + 1 : i]):
                chars[j], chars[i] = "（", "）"
        elif ch == "\n":
            opened.clear()
    for i in (m.start() for m in _HALF_MARK.finditer(text)):
        ch = chars[i]
        left = chars[i - 1] if i else ""
        right = chars[i + 1] if i + 1 < len(chars) else ""
        if left.isdecimal() and right.isdecimal():
            continue  # 3,185 and 12:30
        # Left to right, so `?!` after Han sees the `？` just converted before it.
        if _is_chinese(_context(chars, i, -1)) or _is_chinese(_context(chars, i, 1)):
            chars[i] = _HALF_TO_FULL[ch]
    return "".join(chars)


# ---- all together ----------------------------------------------------------------------------------------------


def normalize_text(raw: str) -> NormalizedText:
    """Run every normalize step on `raw`, keeping an offset map from each normalized char to its raw char."""
    text, offsets = _remove_invisible(raw)
    text, step = _nfc(text)
    offsets = _compose(offsets, step)
    text, step, stripped = strip_ruby(text)
    if stripped:
        offsets = _compose(offsets, step)
    # Label the script of the article's own text, after its annotations are gone.
    script = detect_script(text)
    if script in ("hant", "mixed"):
        text, step = _to_simplified_mapped(text)
        offsets = _compose(offsets, step)
    text = normalize_punctuation(text)  # length-preserving: no map needed
    text, step = _clean_whitespace(text)
    offsets = _compose(offsets, step)
    return NormalizedText(
        text=text, raw=raw, offsets=array("l", offsets), script_original=script, ruby_stripped=stripped
    )
