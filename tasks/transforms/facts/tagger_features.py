"""Hashed character features for the entity tagger: n-grams, char types and lexicon matches, all in numpy.

Every feature is a template (a tuple of per-character atoms) hashed with multiply-shift hashing into one weight
table, so a text of n characters costs a fixed number of numpy calls over arrays of n rows: no per-char Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

# Version of the atom/template layout below; a model file written for another layout is refused.
FEATURE_VERSION = 2
# Lexicon categories (one bit each in a word's mask). PERQ: a surname-led word jieba marks as a possible name.
CATEGORIES = ("W", "PER", "PERQ", "LOC", "ORG", "TITLE", "SUFFIX", "SURNAME")
# Longest lexicon word looked up: 99.6% of the lexicon's words have at most 8 characters.
MAX_WORD_LEN = 8
# Atoms: 0-4 normalized chars at offsets -2..+2; 5-7 char types at -1..+1; 8-15 lexicon code per category;
# 16 the longest lexicon word covering the char (length, position, categories); 17 a constant 1;
# 18-20 name-char odds at -1..+1; 21/22 the covering-word atom of the previous/next char;
# 23 a title word ends at the previous char; 24 an organization suffix starts at the next char.
_U = (0, 1, 2, 3, 4)
_TYPE = (5, 6, 7)
_LEX = tuple(range(8, 16))
_COVER, _ONE = 16, 17
_NAME = (18, 19, 20)
_COVER_PREV, _COVER_NEXT, _TITLE_PREV, _SUFFIX_NEXT = 21, 22, 23, 24
N_ATOMS = 25
_PER, _LOC, _ORG, _SURNAME = 8 + 1, 8 + 3, 8 + 4, 8 + 7
TEMPLATES: tuple[tuple[int, ...], ...] = (
    (_ONE,),
    *((u,) for u in _U),
    (0, 1), (1, 2), (2, 3), (3, 4), (1, 3),
    (0, 1, 2), (1, 2, 3), (2, 3, 4),
    _TYPE,
    *((g,) for g in _LEX),
    (_PER, 2), (_LOC, 2), (_ORG, 2), (_SURNAME, 2), (_PER, _SURNAME),
    (_COVER,), (_COVER, 2),
    (19,), (18, 19), (19, 20), _NAME, (19, _SURNAME),
    (_COVER_PREV, _COVER), (_COVER, _COVER_NEXT), (_COVER, 1), (_COVER, 3),
    (_TITLE_PREV, 2), (_TITLE_PREV, 19), (_SUFFIX_NEXT, 2), (_SUFFIX_NEXT, _ORG),
)  # fmt: skip
BOS, EOS = 0x110001, 0x110002  # beyond Unicode: never a real character
_SEPARATOR = np.array([EOS, EOS, BOS, BOS], dtype=np.int64)


@dataclass(frozen=True)
class Lexicon:
    """Lexicon words as sorted 64-bit hashes with their category bit masks."""

    keys: np.ndarray  # uint64, sorted
    masks: np.ndarray  # uint8, one per key
    name_odds: (
        np.ndarray
    )  # uint16 per BMP code point: surname / given-name-middle / given-name-end odds, 0-7 each


def make_multipliers(seed: int = 20261203) -> np.ndarray:
    """Random odd 64-bit multipliers, one per (atom, template); zero where the template does not use the atom."""
    rng = np.random.default_rng(seed)
    mult = rng.integers(1, 2**63 - 1, size=(N_ATOMS, len(TEMPLATES)), dtype=np.uint64) | np.uint64(1)
    use = np.zeros((N_ATOMS, len(TEMPLATES)), dtype=bool)
    for t, atoms in enumerate(TEMPLATES):
        use[[*atoms, _ONE], t] = True
    return np.where(use, mult, np.uint64(0))


def _mix(v: np.ndarray) -> np.ndarray:
    """Scramble 64-bit values (a murmur3 finalizer step) so the top bits depend on every input bit."""
    v = v ^ (v >> np.uint64(33))
    v = v * np.uint64(0xFF51AFD7ED558CCD)
    return v ^ (v >> np.uint64(29))


def codepoints(text: str) -> np.ndarray:
    """The text's code points as int64."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


_POWERS = np.uint64(0x9E3779B97F4A7C15) ** np.arange(1, MAX_WORD_LEN + 1, dtype=np.uint64)
_LENGTHS = np.arange(1, MAX_WORD_LEN + 1, dtype=np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
_ramp_cache: list[np.ndarray] = [np.zeros((0, MAX_WORD_LEN), dtype=np.intp)]


def _ramp(n: int) -> np.ndarray:
    """Rows i + (0..MAX_WORD_LEN-1) for i < n: the index of every window (a cached constant, grown by doubling)."""
    if len(_ramp_cache[0]) < n:
        size = max(n, 2 * len(_ramp_cache[0]), 1024)
        _ramp_cache[0] = np.arange(size)[:, None] + np.arange(MAX_WORD_LEN)[None, :]
    return _ramp_cache[0][:n]


def word_hashes(codes: np.ndarray) -> np.ndarray:
    """Hash of text[i:i+L] for every start i and length L=1..MAX_WORD_LEN, shape (n, MAX_WORD_LEN)."""
    n = len(codes)
    padded = np.zeros(n + MAX_WORD_LEN - 1, dtype=np.uint64)
    padded[:n] = codes
    windows = padded[_ramp(n)]
    return _mix(np.cumsum(windows * _POWERS, axis=1, dtype=np.uint64) + _LENGTHS)


def build_lexicon(words: dict[str, int], name_odds: dict[str, tuple[float, float, float]]) -> Lexicon:
    """A Lexicon from word -> category mask (words longer than MAX_WORD_LEN are left out) and per-char name odds
    (log-odds of starting, continuing and ending a Chinese name; rounded down, capped at 7)."""
    table = np.zeros(0x10000, dtype=np.uint16)
    for ch, odds in name_odds.items():
        if ord(ch) < 0x10000:
            b, m, e = (min(7, max(0, int(x))) for x in odds)
            table[ord(ch)] = 1 + b * 64 + m * 8 + e
    items = sorted((w, m) for w, m in words.items() if 0 < len(w) <= MAX_WORD_LEN)
    if not items:
        return Lexicon(np.zeros(1, dtype=np.uint64), np.zeros(1, dtype=np.uint8), table)
    # All words joined by a separator: the hash of each word is the row of its first char, column len - 1.
    joined = "\n".join(w for w, _ in items)
    starts = np.cumsum([0] + [len(w) + 1 for w, _ in items[:-1]])
    lengths = np.array([len(w) for w, _ in items])
    keys = word_hashes(codepoints(joined))[starts, lengths - 1]
    masks = np.array([m for _, m in items], dtype=np.uint8)
    order = np.argsort(keys, kind="stable")
    return Lexicon(keys[order], masks[order], table)


def _lexicon_atoms(codes: np.ndarray, lexicon: Lexicon) -> tuple[np.ndarray, np.ndarray]:
    """Per char: a code per category (longest word starting, ending, inside) and the longest covering word."""
    n = len(codes)
    hashes = word_hashes(codes)
    idx = np.minimum(np.searchsorted(lexicon.keys, hashes), len(lexicon.keys) - 1)
    mask = np.where(lexicon.keys[idx] == hashes, lexicon.masks[idx], 0).astype(np.uint8)
    mask[n - np.arange(MAX_WORD_LEN)[None, :] <= np.arange(n)[:, None]] = 0  # runs past the end
    starts, lens0 = np.nonzero(mask)
    lens = lens0 + 1
    bits = np.unpackbits(mask[starts, lens0][:, None], axis=1, bitorder="little").astype(np.int64)
    start_len = np.zeros((n, 8), dtype=np.int64)
    end_len = np.zeros((n, 8), dtype=np.int64)
    inside = np.zeros((n + 1, 8), dtype=np.int64)
    np.maximum.at(start_len, starts, bits * np.minimum(lens, 6)[:, None])
    np.maximum.at(end_len, starts + lens - 1, bits * np.minimum(lens, 6)[:, None])
    long = lens >= 3
    np.add.at(inside, starts[long] + 1, bits[long])
    np.add.at(inside, starts[long] + lens[long] - 1, -bits[long])
    per_category = start_len + 7 * end_len + 49 * (np.cumsum(inside, axis=0)[:n] > 0)
    # The longest word covering each char (of equal lengths, the later one): the max of length << 40 | start.
    rows = _ramp(n)[starts][np.arange(MAX_WORD_LEN)[None, :] < lens[:, None]]
    best = np.full(n, -1, dtype=np.int64)
    np.maximum.at(best, rows, np.repeat((lens << 40) | starts, lens))
    length, first = best >> 40, best & ((1 << 40) - 1)
    pos = np.arange(n) - first
    where = np.where(pos == 0, 1, np.where(pos == length - 1, 3, 2))
    code = length * 4096 + where * 256 + mask[first.clip(0, n - 1), (length - 1).clip(0)]
    cover = np.where(best >= 0, code, 0)
    return per_category, cover


def _type_table() -> np.ndarray:
    """Char type of every BMP code point: 0 Han, 1 digit, 2 Latin letter, 3 Chinese numeral, 4 other."""
    codes = np.arange(0x10000)
    han = ((codes >= 0x3400) & (codes <= 0x9FFF)) | ((codes >= 0xF900) & (codes <= 0xFAFF))
    digit = ((codes >= 48) & (codes <= 57)) | ((codes >= 0xFF10) & (codes <= 0xFF19))
    lower = codes | 0x20
    latin = ((lower >= 97) & (lower <= 122)) | ((codes >= 0xFF21) & (codes <= 0xFF3A))
    latin |= (codes >= 0xFF41) & (codes <= 0xFF5A)
    numeral = np.isin(codes, codepoints("〇零一二三四五六七八九十百千万亿两"))
    return np.select([numeral, han, digit, latin], [3, 0, 1, 2], 4).astype(np.int64)


_TYPES = _type_table()
# Digits read as 0 and Latin letters as a: 1997年 and 1998年 share their n-grams.
_NORMAL = np.where(_TYPES == 1, 48, np.where(_TYPES == 2, 97, np.arange(0x10000)))


def joined_codepoints(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Code points of several texts in one array, [EOS, EOS, BOS, BOS] between them, and where each text starts.

    Every feature of a char then equals its feature in its own text (the separators are the padding a lone text
    gets), so a batch is tagged exactly as its texts one by one."""
    parts, starts, pos = [], [], 0
    for k, text in enumerate(texts):
        if k:
            parts.append(_SEPARATOR)
            pos += len(_SEPARATOR)
        starts.append(pos)
        parts.append(codepoints(text))
        pos += len(text)
    codes = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
    return codes, np.array(starts, dtype=np.int64)


def atom_matrix(codes: np.ndarray, lexicon: Lexicon) -> np.ndarray:
    """The (n, N_ATOMS) uint64 matrix of per-character atoms of a text's code points."""
    n = len(codes)
    bmp = np.minimum(codes, 0xFFFF)
    astral = codes > 0xFFFF  # Extensions B-I are Han; other astral chars are "other"
    types = np.where(astral, np.where((codes >= 0x20000) & (codes <= 0x323AF), 0, 4), _TYPES[bmp])
    types = np.where(codes == BOS, 5, np.where(codes == EOS, 6, types))  # separators read as padding
    norm = np.where(astral, codes, _NORMAL[bmp])
    padded = np.concatenate([[BOS, BOS], norm, [EOS, EOS]])
    padded_types = np.concatenate([[5], types, [6]])
    per_category, cover = _lexicon_atoms(codes, lexicon)
    cover = np.where(codes == BOS, -1, np.where(codes == EOS, -2, cover))
    atoms = np.empty((n, N_ATOMS), dtype=np.int64)
    ramp = _ramp(n)
    atoms[:, 0:5] = padded[ramp[:, :5]]
    atoms[:, 5:8] = padded_types[ramp[:, :3]]
    atoms[:, 8:16] = per_category
    atoms[:, _COVER] = cover
    atoms[:, _ONE] = 1
    name = np.concatenate([[0], np.where(astral, 0, lexicon.name_odds[bmp]), [0]])
    atoms[:, 18:21] = name[ramp[:, :3]]
    framed_cover = np.concatenate([[-1], cover, [-2]])
    atoms[:, _COVER_PREV] = framed_cover[:-2]
    atoms[:, _COVER_NEXT] = framed_cover[2:]
    title_end = per_category[:, CATEGORIES.index("TITLE")] // 7 % 7  # end length of a title word
    suffix_start = per_category[:, CATEGORIES.index("SUFFIX")] % 7  # start length of a suffix word
    atoms[:, _TITLE_PREV] = np.concatenate([[0], title_end[:-1]])
    atoms[:, _SUFFIX_NEXT] = np.concatenate([suffix_start[1:], [0]])
    return atoms.astype(np.uint64)


def feature_buckets(text: str, lexicon: Lexicon, multipliers: np.ndarray, bits: int) -> np.ndarray:
    """The (n, len(TEMPLATES)) weight-table rows of the features of every character."""
    return code_buckets(codepoints(text), lexicon, multipliers, bits)


def code_buckets(codes: np.ndarray, lexicon: Lexicon, multipliers: np.ndarray, bits: int) -> np.ndarray:
    """feature_buckets of a text given as code points (one text, or several joined by joined_codepoints)."""
    hashed = _mix(atom_matrix(codes, lexicon) @ multipliers)
    return (hashed >> np.uint64(64 - bits)).astype(np.int64)
