"""The tagger's features and Viterbi as first written (dense hashing product, sorted-key search, scatter-adds,
one text at a time): the oracle the fast path in tagger_features/tagger_lexicon/tagger must equal exactly."""

from __future__ import annotations

import numpy as np

from tasks.transforms.facts.tagger import N_TAGS, Tagger
from tasks.transforms.facts.tagger_features import _NORMAL, _TYPES, BOS, CATEGORIES, EOS, N_ATOMS
from tasks.transforms.facts.tagger_lexicon import MAX_WORD_LEN, codepoints, mix, word_hashes


def _lexicon_atoms(codes: np.ndarray, tagger: Tagger) -> tuple[np.ndarray, np.ndarray]:
    """(n, 8) per-category codes and (n,) covering-word codes, from the matches listed one by one."""
    lexicon, n = tagger.lexicon, len(codes)
    hashes = word_hashes(codes)
    idx = np.minimum(np.searchsorted(lexicon.keys, hashes), len(lexicon.keys) - 1)
    mask = np.where(lexicon.keys[idx] == hashes, lexicon.masks[idx], 0).astype(np.uint8)
    mask[n - np.arange(MAX_WORD_LEN)[None, :] <= np.arange(n)[:, None]] = 0
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
    best = np.full(n, -1, dtype=np.int64)
    for s, k in zip(starts, lens, strict=True):
        np.maximum.at(best, np.arange(s, s + k), (k << 40) | s)
    length, first = best >> 40, best & ((1 << 40) - 1)
    pos = np.arange(n) - first
    where = np.where(pos == 0, 1, np.where(pos == length - 1, 3, 2))
    code = length * 4096 + where * 256 + mask[first.clip(0, n - 1), (length - 1).clip(0)]
    return per_category, np.where(best >= 0, code, 0)


def reference_buckets(text: str, tagger: Tagger) -> np.ndarray:
    """(n, templates) weight rows of every char of one text: atoms as an (n, N_ATOMS) matrix times the multipliers."""
    codes = codepoints(text)
    n = len(codes)
    bmp = np.minimum(codes, 0xFFFF)
    astral = codes > 0xFFFF
    types = np.where(astral, np.where((codes >= 0x20000) & (codes <= 0x323AF), 0, 4), _TYPES[bmp])
    norm = np.where(astral, codes, _NORMAL[bmp])
    padded = np.concatenate([[BOS, BOS], norm, [EOS, EOS]])
    padded_types = np.concatenate([[5], types, [6]])
    per_category, cover = _lexicon_atoms(codes, tagger)
    name = np.concatenate([[0], np.where(astral, 0, tagger.lexicon.name_odds[bmp]), [0]])
    framed_cover = np.concatenate([[-1], cover, [-2]])
    title_end = per_category[:, CATEGORIES.index("TITLE")] // 7 % 7
    suffix_start = per_category[:, CATEGORIES.index("SUFFIX")] % 7
    atoms = np.empty((n, N_ATOMS), dtype=np.int64)
    for k in range(5):
        atoms[:, k] = padded[k : k + n]
    for k in range(3):
        atoms[:, 5 + k] = padded_types[k : k + n]
        atoms[:, 18 + k] = name[k : k + n]
    atoms[:, 8:16] = per_category
    atoms[:, 16] = cover
    atoms[:, 17] = 1
    atoms[:, 21], atoms[:, 22] = framed_cover[:-2], framed_cover[2:]
    atoms[:, 23] = np.concatenate([[0], title_end[:-1]])
    atoms[:, 24] = np.concatenate([suffix_start[1:], [0]])
    hashed = mix(atoms.astype(np.uint64) @ tagger.multipliers)
    return (hashed >> np.uint64(64 - tagger.bits)).astype(np.int64)


def _viterbi(emit: np.ndarray, transitions: np.ndarray) -> list[int]:
    """Best tag path of one run framed by O on both sides, scores as (prev, cur)."""
    delta = emit[0] + transitions[0]
    back = np.zeros((len(emit), N_TAGS), dtype=np.intp)
    for t in range(1, len(emit)):
        scores = delta[:, None] + transitions
        back[t] = scores.argmax(axis=0)
        delta = scores.max(axis=0) + emit[t]
    path = [int((delta + transitions[:, 0]).argmax())]
    for t in range(len(emit) - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def reference_tags(text: str, tagger: Tagger) -> list[int]:
    """The pruned decoder's definition, one run at a time: sentence ends and chars where O leads every other tag by
    the model's margin are O; each run of other chars is decoded exactly, framed by O."""
    emit = np.take(tagger.weights, reference_buckets(text, tagger), axis=0).sum(axis=1)
    ends = np.isin(codepoints(text), codepoints("。！？!?；;\n"))
    is_open = [bool(x) for x in (emit[:, 0] - emit[:, 1:].max(axis=1) <= tagger.margin) & ~ends]
    tags, i = [0] * len(text), 0
    while i < len(text):
        j = i
        while j < len(text) and is_open[j]:
            j += 1
        if j > i:
            tags[i:j] = _viterbi(emit[i:j], tagger.transitions)
        i = j + 1
    return tags
