"""The tagger's lexicon: words as 64-bit hashes in an open-addressing table, and the per-char lexicon atoms.

Every window text[i:i+L] (L <= MAX_WORD_LEN) is hashed at once and looked up in a few vectorized probes; the atoms
(longest word of each category starting, ending or lying over a char; the longest word covering it) are then
whole-array operations on the (chars x lengths) category bytes, with no per-char or per-match Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Lexicon categories (one bit each in a word's mask). PERQ: a surname-led word jieba marks as a possible name.
CATEGORIES = ("W", "PER", "PERQ", "LOC", "ORG", "TITLE", "SUFFIX", "SURNAME")
# Longest lexicon word looked up: 99.6% of the lexicon's words have at most 8 characters.
MAX_WORD_LEN = 8
# A word's length as its atoms see it: 6 stands for 6 or more.
_LONGEST_SEEN = 6


def mix(v: np.ndarray) -> np.ndarray:
    """Scramble 64-bit values (a murmur3 finalizer step) so the top bits depend on every input bit."""
    v = v ^ (v >> np.uint64(33))
    v *= np.uint64(0xFF51AFD7ED558CCD)
    v ^= v >> np.uint64(29)
    return v


def codepoints(text: str) -> np.ndarray:
    """The text's code points as int64."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)


_POWERS = np.uint64(0x9E3779B97F4A7C15) ** np.arange(1, MAX_WORD_LEN + 1, dtype=np.uint64)
_LENGTHS = np.arange(1, MAX_WORD_LEN + 1, dtype=np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)


def word_hashes(codes: np.ndarray) -> np.ndarray:
    """Hash of text[i:i+L] for every start i and length L=1..MAX_WORD_LEN, shape (n, MAX_WORD_LEN)."""
    n = len(codes)
    padded = np.zeros(n + MAX_WORD_LEN, dtype=np.uint64)
    padded[:n] = codes
    # Window i is padded[i : i + MAX_WORD_LEN]: a strided view, no copy.
    windows = np.lib.stride_tricks.sliding_window_view(padded, MAX_WORD_LEN)[:n]
    return mix(np.cumsum(windows * _POWERS, axis=1, dtype=np.uint64) + _LENGTHS)


@dataclass(frozen=True)
class Lexicon:
    """Lexicon words as sorted 64-bit hashes with their category bit masks, plus an open-addressing table of them
    (built on construction, not stored) so a batch of window hashes is looked up in a few vectorized probes."""

    keys: np.ndarray  # uint64, sorted
    masks: np.ndarray  # uint8, one per key
    name_odds: (
        np.ndarray
    )  # uint16 per BMP code point: surname / given-name-middle / given-name-end odds, 0-7 each
    slots: np.ndarray = field(
        init=False, repr=False
    )  # uint64 key per slot (a slot is empty where masks are 0)
    slot_masks: np.ndarray = field(init=False, repr=False)  # uint8 category mask per slot
    probes: int = field(init=False)  # most slots any key sits past its home slot, plus one

    def __post_init__(self) -> None:
        slots, slot_masks, probes = _open_addressing(self.keys, self.masks)
        object.__setattr__(self, "slots", slots)
        object.__setattr__(self, "slot_masks", slot_masks)
        object.__setattr__(self, "probes", probes)

    def lookup(self, hashes: np.ndarray) -> np.ndarray:
        """The category mask of every hash (0 where it is no word), as a search of the sorted keys finds it."""
        size = len(self.slots)
        home = (hashes >> np.uint64(65 - size.bit_length())).astype(np.intp)
        out = np.zeros(hashes.shape, dtype=np.uint8)
        flat_home, flat_hash, flat_out = home.ravel(), hashes.ravel(), out.reshape(-1)
        todo = np.nonzero(self.slot_masks[flat_home])[0]  # a query whose home slot is empty is no word
        for step in range(self.probes):
            if not len(todo):
                break
            slot = (flat_home[todo] + step) & (size - 1)
            found = self.slots[slot] == flat_hash[todo]
            flat_out[todo[found]] = self.slot_masks[slot[found]]
            # Linear probing: a key past an empty slot cannot be there.
            todo = todo[~found & (self.slot_masks[(slot + 1) & (size - 1)] > 0)]
        return out


def _open_addressing(keys: np.ndarray, masks: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Keys with a non-zero mask placed by linear probing in a table of at least 4 slots per key (the first of
    equal keys kept, as a search of the sorted keys finds it); slot masks are 0 where a slot is empty."""
    keep = masks > 0
    keys, first = np.unique(keys[keep], return_index=True)
    masks = masks[keep][first]
    bits = max(4, int(len(keys) * 4).bit_length())
    size = 1 << bits
    slots = np.zeros(size, dtype=np.uint64)
    slot_masks = np.zeros(size, dtype=np.uint8)
    home = (keys >> np.uint64(64 - bits)).astype(np.intp)
    pending = np.arange(len(keys))
    step = 0
    while len(pending):
        slot = (home[pending] + step) & (size - 1)
        free = slot_masks[slot] == 0
        # Of the keys that reach the same free slot in this step, the first takes it; the others probe on.
        candidates = pending[free]
        taken, winner = np.unique(slot[free], return_index=True)
        slots[taken] = keys[candidates[winner]]
        slot_masks[taken] = masks[candidates[winner]]
        placed = np.zeros(len(keys), dtype=bool)
        placed[candidates[winner]] = True
        pending = pending[~placed[pending]]
        step += 1
    return slots, slot_masks, step


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


# Every window over a char as (length - 1, back): the word of that length starting `back` chars before the char,
# longest first, then the later start (the order the covering word is chosen in).
_PAIRS = tuple((k, d) for k in range(MAX_WORD_LEN - 1, -1, -1) for d in range(k + 1))
_ENDING = [_PAIRS.index((k, k)) for k in range(MAX_WORD_LEN)]  # the word ends at the char, by length
_INSIDE = [p for p, (k, d) in enumerate(_PAIRS) if 1 <= d < k]  # the char is strictly inside a 3+ char word
_COVER_LENGTH = np.array([k + 1 for k, _ in _PAIRS], dtype=np.int64)
_COVER_BACK = np.array([d for _, d in _PAIRS], dtype=np.int64)
# Priority of each window as a covering word (the first in _PAIRS order is the highest).
_PRIORITY = np.arange(len(_PAIRS), 0, -1, dtype=np.uint8)[:, None]
# Where window p of char j sits in the flattened (MAX_WORD_LEN - 1 zero rows + mask) table: 8 * j + _OFFSET[p].
_OFFSET = np.array([MAX_WORD_LEN * (MAX_WORD_LEN - 1 - d) + k for k, d in _PAIRS], dtype=np.intp)[:, None]
# The highest set bit of a byte as a length (bit l: a word of length l + 1), capped at _LONGEST_SEEN.
_LONGEST = np.array([min(_LONGEST_SEEN, int(b).bit_length()) for b in range(256)], dtype=np.int64)
_BIT_ROWS = np.arange(8, dtype=np.uint8)[:, None]
# Row q of the last MAX_WORD_LEN chars: 1 where a window of length l + 1 from it ends inside the text.
_INSIDE_TEXT = (np.arange(MAX_WORD_LEN)[None, :] < MAX_WORD_LEN - np.arange(MAX_WORD_LEN)[:, None]).astype(
    np.uint8
)
_window_cache: list[np.ndarray] = [np.zeros((len(_PAIRS), 0), dtype=np.intp)]


def _window_index(n: int) -> np.ndarray:
    """(pairs, n) flat index of every window of every char (a cached constant, grown by doubling)."""
    if _window_cache[0].shape[1] < n:
        size = max(n, 2 * _window_cache[0].shape[1], 1024)
        _window_cache[0] = MAX_WORD_LEN * np.arange(size)[None, :] + _OFFSET
    return _window_cache[0][:, :n]


def _transpose_bits(rows: np.ndarray) -> np.ndarray:
    """(n, 8) bytes -> (n, 8) bytes with bit r of byte c = bit c of byte r (an 8x8 bit-matrix transpose per row)."""
    x = np.ascontiguousarray(rows).view(np.uint64).ravel()
    t = (x ^ (x >> np.uint64(7))) & np.uint64(0x00AA00AA00AA00AA)
    x = x ^ t ^ (t << np.uint64(7))
    t = (x ^ (x >> np.uint64(14))) & np.uint64(0x0000CCCC0000CCCC)
    x = x ^ t ^ (t << np.uint64(14))
    t = (x ^ (x >> np.uint64(28))) & np.uint64(0x00000000F0F0F0F0)
    x = x ^ t ^ (t << np.uint64(28))
    return x.view(np.uint8).reshape(-1, 8)


def lexicon_atoms(codes: np.ndarray, lexicon: Lexicon) -> tuple[np.ndarray, np.ndarray]:
    """(categories, n) codes of the longest word of each category starting at, ending at (capped at 6) and lying
    over each char (start + 7 end + 49 inside), and the (n,) code of the longest word covering each char."""
    n = len(codes)
    mask = lexicon.lookup(word_hashes(codes))  # (start, length - 1) -> categories
    tail = min(n, MAX_WORD_LEN)
    mask[n - tail :] *= _INSIDE_TEXT[MAX_WORD_LEN - tail :]  # windows that run past the end are no words
    framed = np.concatenate([np.zeros((MAX_WORD_LEN - 1, MAX_WORD_LEN), dtype=np.uint8), mask]).ravel()
    windows = framed[_window_index(n)]  # (pairs, n): categories of the word in each window over each char
    # Bytes indexed by category with bit l set when such a word of length l + 1 starts (ends) at the char.
    start_len = _LONGEST[_transpose_bits(mask)].T
    end_len = _LONGEST[_transpose_bits(windows[_ENDING].T)].T
    inside = np.bitwise_or.reduce(windows[_INSIDE], axis=0)
    per_category = start_len + 7 * end_len + 49 * ((inside[None, :] >> _BIT_ROWS) & 1)
    rank = ((windows > 0) * _PRIORITY).max(axis=0, initial=0)
    choice = len(_PAIRS) - rank.astype(np.intp)  # the first covering window in _PAIRS order
    choice[rank == 0] = 0
    length = _COVER_LENGTH[choice]
    pos = _COVER_BACK[choice]
    where = np.where(pos == 0, 1, np.where(pos == length - 1, 3, 2))
    code = length * 4096 + where * 256 + windows[choice, np.arange(n)]
    cover = np.where(rank > 0, code, 0)
    return per_category, cover
