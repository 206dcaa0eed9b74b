"""Hashed character features for the entity tagger: n-grams, char types and lexicon matches, all in numpy.

Every feature is a template (a tuple of per-character atoms) hashed with multiply-shift hashing into one weight
table. A text is featurized in chunks of CHUNK chars (each with CONTEXT chars of context on either side), every
chunk a fixed number of numpy calls over (atoms x chars) arrays small enough to stay in the CPU cache.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from .tagger_lexicon import (
    CATEGORIES,
    MAX_WORD_LEN,
    Lexicon,
    build_lexicon,
    codepoints,
    lexicon_atoms,
    mix,
    word_hashes,
)

__all__ = ["CATEGORIES", "Lexicon", "build_lexicon", "codepoints", "word_hashes"]

# Version of the atom/template layout below; a model file written for another layout is refused.
FEATURE_VERSION = 2
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
# Chars on either side a char's features read: lexicon words reach MAX_WORD_LEN - 1 chars away, and the atoms of
# the neighbours (covering word, title before, suffix after) one more; twice that is a safe margin for chunking.
CONTEXT = 2 * MAX_WORD_LEN
# Chars featurized at once: the (templates, 3, chunk) uint64 temporaries (~1 MB) stay in the CPU cache.
CHUNK = 1024
_SEPARATOR = np.array([EOS, EOS, BOS, BOS], dtype=np.int64)


def make_multipliers(seed: int = 20261203) -> np.ndarray:
    """Random odd 64-bit multipliers, one per (atom, template); zero where the template does not use the atom."""
    rng = np.random.default_rng(seed)
    mult = rng.integers(1, 2**63 - 1, size=(N_ATOMS, len(TEMPLATES)), dtype=np.uint64) | np.uint64(1)
    use = np.zeros((N_ATOMS, len(TEMPLATES)), dtype=bool)
    for t, atoms in enumerate(TEMPLATES):
        use[[*atoms, _ONE], t] = True
    return np.where(use, mult, np.uint64(0))


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


def han_mask(codes: np.ndarray) -> np.ndarray:
    """True at each Han code point (the features' char type 0)."""
    return (codes < 0x10000) & (_TYPES[np.minimum(codes, 0xFFFF)] == 0)


# Digits read as 0 and Latin letters as a: 1997年 and 1998年 share their n-grams.
_NORMAL = np.where(_TYPES == 1, 48, np.where(_TYPES == 2, 97, np.arange(0x10000)))


def joined_codepoints(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Code points of several texts in one array, [EOS, EOS, BOS, BOS] between them, and where each text starts.

    Every feature of a char then equals its feature in its own text (the separators are the padding a lone text
    gets), so a batch is tagged exactly as its texts one by one."""
    if not texts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    # One encode of the texts joined by a placeholder char, which the separator codes then replace.
    codes = codepoints("\x00\x00\x00\x00".join(texts))
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    starts = np.concatenate([[0], np.cumsum(lengths[:-1] + len(_SEPARATOR))])
    if len(texts) > 1:
        seps = starts[1:, None] - len(_SEPARATOR) + np.arange(len(_SEPARATOR))[None, :]
        codes[seps] = _SEPARATOR
    return codes, starts


def atom_matrix(codes: np.ndarray, lexicon: Lexicon) -> np.ndarray:
    """The (N_ATOMS, n) uint64 matrix of per-character atoms of a text's code points."""
    n = len(codes)
    bmp = np.minimum(codes, 0xFFFF)
    types, norm, name = _TYPES[bmp], _NORMAL[bmp], lexicon.name_odds[bmp].astype(np.int64)
    per_category, cover = lexicon_atoms(codes, lexicon)
    if codes.max(initial=0) > 0xFFFF:  # astral chars or separators
        astral = codes > 0xFFFF  # Extensions B-I are Han; other astral chars are "other"
        types[astral] = np.where((codes[astral] >= 0x20000) & (codes[astral] <= 0x323AF), 0, 4)
        norm[astral] = codes[astral]
        name[astral] = 0
        for code, padding in ((BOS, (5, -1)), (EOS, (6, -2))):  # separators read as padding
            at = codes == code
            types[at], cover[at] = padding
    atoms = np.empty((N_ATOMS, n), dtype=np.int64)
    padded = np.concatenate([[BOS, BOS], norm, [EOS, EOS]])
    for k in range(5):
        atoms[k] = padded[k : k + n]
    _shifted(atoms[5:8], types, 5, 6)
    atoms[8:16] = per_category
    atoms[_COVER] = cover
    atoms[_ONE] = 1
    _shifted(atoms[18:21], name, 0, 0)
    atoms[_COVER_PREV, :1], atoms[_COVER_PREV, 1:] = -1, cover[:-1]
    atoms[_COVER_NEXT, -1:], atoms[_COVER_NEXT, :-1] = -2, cover[1:]
    title_end = per_category[CATEGORIES.index("TITLE")] // 7 % 7  # end length of a title word
    suffix_start = per_category[CATEGORIES.index("SUFFIX")] % 7  # start length of a suffix word
    atoms[_TITLE_PREV, :1], atoms[_TITLE_PREV, 1:] = 0, title_end[:-1]
    atoms[_SUFFIX_NEXT, -1:], atoms[_SUFFIX_NEXT, :-1] = 0, suffix_start[1:]
    return atoms.view(np.uint64)


def _shifted(out: np.ndarray, values: np.ndarray, before: int, after: int) -> None:
    """Rows of `out` = values at offsets -1, 0, +1 (`before` / `after` past the ends)."""
    out[0, :1], out[0, 1:] = before, values[:-1]
    out[1] = values
    out[2, -1:], out[2, :-1] = after, values[1:]


def feature_buckets(text: str, lexicon: Lexicon, multipliers: np.ndarray, bits: int) -> np.ndarray:
    """The (n, len(TEMPLATES)) weight-table rows of the features of every character."""
    return code_buckets(codepoints(text), lexicon, multipliers, bits)


def hash_plan(multipliers: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sparse form of `atoms @ multipliers`: (templates, k) indices and (templates, k, 1) multipliers of each
    template's atoms other than the constant one (padded with multiplier 0), and (templates, 1) constant terms."""
    used = [[a for a in np.nonzero(multipliers[:, t])[0] if a != _ONE] for t in range(multipliers.shape[1])]
    width = max((len(u) for u in used), default=1)
    index = np.full((len(used), width), _ONE, dtype=np.intp)
    mult = np.zeros((len(used), width), dtype=np.uint64)
    for t, atoms in enumerate(used):
        index[t, : len(atoms)] = atoms
        mult[t, : len(atoms)] = multipliers[atoms, t]
    return index, mult[:, :, None], multipliers[_ONE][:, None].copy()


def code_buckets(codes: np.ndarray, lexicon: Lexicon, multipliers: np.ndarray, bits: int) -> np.ndarray:
    """feature_buckets of a text given as code points (one text, or several joined by joined_codepoints)."""
    plan = hash_plan(multipliers)
    out = np.empty((len(codes), multipliers.shape[1]), dtype=np.intp)
    for lo, hi, buckets in bucket_chunks(codes, lexicon, plan, bits):
        out[lo:hi] = buckets.T
    return out


def bucket_chunks(
    codes: np.ndarray,
    lexicon: Lexicon,
    plan: tuple[np.ndarray, np.ndarray, np.ndarray],
    bits: int,
    chunk: int = CHUNK,
) -> Iterator[tuple[int, int, np.ndarray]]:
    """(lo, hi, (templates, hi - lo) buckets of chars lo..hi) over the text in chunks, each featurized from its
    slice plus CONTEXT chars on either side, so exactly as within the whole text."""
    index, mult, constant = plan
    shift = np.uint64(64 - bits)
    n = len(codes)
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        a, b = max(0, lo - CONTEXT), min(n, hi + CONTEXT)
        atoms = atom_matrix(codes[a:b], lexicon)[:, lo - a : hi - a]
        # Sums of products wrap modulo 2**64 in any order: the same values as the dense product atoms @ multipliers.
        hashed = (atoms[index] * mult).sum(axis=1, dtype=np.uint64)
        hashed += constant  # the constant atom (1) times its multiplier
        hashed = mix(hashed)
        hashed >>= shift
        yield lo, hi, hashed.view(np.int64)
