"""Near-duplicate signatures: one-permutation MinHash over 5-character shingles of the normalized body, with LSH bands.

One permutation hashing (Li, Owen & Zhang 2012) with rotation densification (Shrivastava & Li 2014): each shingle is
hashed once and falls into one of NUM_BINS bins; a bin keeps its smallest hash. Two bodies agree on a bin with
probability ~ their shingle Jaccard, like classic MinHash with NUM_BINS permutations, at 1/NUM_BINS of the cost
(measured in bench/bench_stories.py). The shingles' CRCs and bin minima are computed over numpy arrays, with the
same values as zlib.crc32 per shingle.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass

import numpy as np

SHINGLE = 5
NUM_BINS = 128
# 64 bands of 2 bins: a pair with Jaccard 0.4 shares a band with probability 1-(1-0.4^2)^64 > 0.99, one at 0.2 with
# 0.93, one at 0.05 with 0.15; candidates are then confirmed on the whole signature (SAME_STORY_SIMILARITY). 32 bands
# of 4 missed more copies (recall 0.95 against 0.97 in bench/bench_stories.py).
BANDS = 64
ROWS_PER_BAND = NUM_BINS // BANDS
_EMPTY = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_BIN_SHIFT = 64 - 7  # the top 7 bits: NUM_BINS = 2**7
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class StorySignature:
    """A body's MinHash signature (NUM_BINS values) and its LSH band keys (one signed 64-bit key per band)."""

    values: tuple[int, ...]
    band_keys: tuple[int, ...]


def shingles(body: str) -> set[str]:
    """The distinct SHINGLE-character substrings of the body with whitespace removed (a short body is one shingle)."""
    text = _SPACE.sub("", body)
    if len(text) <= SHINGLE:
        return {text}
    return {text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1)}


def _crc32_position_tables(width: int) -> tuple[int, np.ndarray]:
    """CRC-32 of `width` zero bytes, and for each position and byte value what that byte there XORs into it.

    For messages of one length CRC-32 is affine over GF(2): crc(m) = crc(0...0) ^ XOR_k T[k][m[k]], so the CRCs
    of all of a body's shingles are `width` table look-ups and XORs over numpy arrays, equal to zlib.crc32's.
    """
    zero = zlib.crc32(bytes(width))
    tables = np.zeros((width, 256), dtype=np.uint32)
    for k in range(width):
        for b in range(256):
            tables[k, b] = zlib.crc32(bytes(k) + bytes([b]) + bytes(width - k - 1)) ^ zero
    return zero, tables


_SHINGLE_WIDTH = 4 * SHINGLE  # bytes of a shingle in UTF-32
_CRC_ZERO, _CRC_TABLES = _crc32_position_tables(_SHINGLE_WIDTH)


def _shingle_hashes(body: str) -> np.ndarray:
    """CRC-32 of every shingle's UTF-32 bytes (repeats included: a bin keeps a minimum, so they change nothing)."""
    text = _SPACE.sub("", body)
    data = text.encode("utf-32-le")
    if len(text) <= SHINGLE:
        return np.array([zlib.crc32(data)], dtype=np.uint64)
    rows = np.frombuffer(data, dtype=np.uint8).reshape(len(text), 4)
    n = len(text) - SHINGLE + 1
    crc = np.full(n, _CRC_ZERO, dtype=np.uint32)
    for k in range(_SHINGLE_WIDTH):
        char, byte = divmod(k, 4)  # shingle i's byte k is byte `byte` of char i + `char`
        crc ^= _CRC_TABLES[k][rows[char : char + n, byte]]
    return crc.astype(np.uint64)


def story_signature(body: str) -> StorySignature:
    """The signature of a normalized body; identical bodies always get identical signatures."""
    # CRC-32 (stable across processes, unlike hash()) spread over 64 bits by Fibonacci hashing: its high bits,
    # which pick the bin, mix every input bit. blake2b per shingle was 3x slower. uint64 arithmetic wraps mod 2**64.
    hashes = _shingle_hashes(body) * np.uint64(_GOLDEN)
    minima = np.full(NUM_BINS, _EMPTY, dtype=np.uint64)
    np.minimum.at(minima, hashes >> np.uint64(_BIN_SHIFT), hashes)
    bins: list[int] = minima.tolist()
    filled = [i for i, v in enumerate(bins) if v != _EMPTY]
    values = list(bins)
    if filled:
        # Rotation densification: an empty bin borrows the next filled bin's value (circularly), salted by the
        # distance so that two empty bins do not agree by accident.
        for i in range(NUM_BINS):
            if values[i] == _EMPTY:
                j = next(k for k in filled if k > i) if i < filled[-1] else filled[0] + NUM_BINS
                values[i] = (bins[j % NUM_BINS] + (j - i) * _GOLDEN) & _EMPTY
    return StorySignature(values=tuple(values), band_keys=_band_keys(values))


def _band_keys(values: list[int]) -> tuple[int, ...]:
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS_PER_BAND : (band + 1) * ROWS_PER_BAND]
        digest = hashlib.blake2b(repr((band, chunk)).encode("ascii"), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return tuple(keys)


def signature_similarity(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Share of bins on which two signatures agree: an estimate of the two bodies' shingle Jaccard."""
    return sum(x == y for x, y in zip(a, b, strict=True)) / NUM_BINS
