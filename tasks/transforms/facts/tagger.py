"""The character-level PER/LOC/ORG tagger: a linear-chain model over hashed features, decoded by numpy Viterbi.

The model (data/ner_tagger.npz, trained by data/train_ner.py; see data/MODEL_CARD.md) holds one weight row of BIOES
tag scores per feature bucket, the tag-transition scores and the lexicon hashes. Decoding is linear in the text
length: emissions are whole-array gathers, and Viterbi runs only over the stretches where some tag other than O
is within reach, all stretches of a text side by side, so Python loops over the longest stretch, not the text.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..built_tables import inputs_key, load_or_build
from ..models import Mention
from .data.lexicon import SURNAMES_DOUBLE, SURNAMES_TOP100
from .tagger_features import (
    BOS,
    FEATURE_VERSION,
    Lexicon,
    bucket_chunks,
    codepoints,
    han_mask,
    hash_plan,
    joined_codepoints,
)

MODEL_PATH = Path(__file__).parent / "data" / "ner_tagger.npz"
TYPES = ("PER", "LOC", "ORG")
KIND = {"PER": "person", "LOC": "location", "ORG": "organization"}
# Tag i: 0 is O; type k has B, I, E, S at 1+4k .. 4+4k.
TAGS = ("O", *(f"{p}-{t}" for t in TYPES for p in "BIES"))
N_TAGS = len(TAGS)
_NEG = -1e9
# Runs decoded side by side from which viterbi reads the best scores back by index (measured: 1.7x faster from
# ~30 runs up, slower for one long run).
_GATHER_RUNS = 32
# Char slots (runs x the longest of them) one Viterbi call decodes: its arrays take ~360 bytes a slot (the runs'
# scores, back-pointers, indexes and paths), so a 2 MB text decoded at once took one process +357 MB; in calls of
# this many slots the decode holds ~24 MB whatever the text's length.
MAX_DECODE_SLOTS = 1 << 16
# Sentence ends are O (no entity runs across them), so a text decodes as sentences side by side.
_SENTENCE_END = np.zeros(0x10000, dtype=bool)
_SENTENCE_END[codepoints("。！？!?；;\n")] = True
# Person tags, and the name pieces split_name_lists may cut a list of names written back to back into: Chinese
# names are 2-4 characters; longer only around an interpunct, with parts of at most 5 (布赫铁木尔·达瓦买提).
_PB, _PI, _PE, _PS = 1, 2, 3, 4
_NAME_LENGTHS = range(2, 5)
_DOTTED_MAX = 12
_DOTTED_PART_MAX = 5
_INTERPUNCTS = frozenset(codepoints("·•‧・"))
# A 4-char piece of a list that starts with a common surname and has another at its third char is two names
# (孙英孙勇, 王海王群); real 4-char names start with a double surname (欧阳) or two surnames (陈冯富珍, 范徐丽泰).
_COMMON_SURNAME = frozenset(codepoints("".join(SURNAMES_TOP100)))
_DOUBLE_SURNAMES = frozenset(tuple(codepoints(s).tolist()) for s in SURNAMES_DOUBLE)
# A chain counts as a list of names from this many persons written back to back (two touching pairs).
_LIST_TOUCHES = 2
# At most this many unnamed Han chars between two persons of a list (a name the model left out, e.g. 黄菊).
_LIST_GAP = 4
# A list may carry a short parenthesised note after a name (（女）, （藏族）, （女，壮族）): the note ends the
# name before it and the list goes on after it.
_NOTE_OPEN = frozenset(codepoints("（("))
_NOTE_CLOSE = frozenset(codepoints("）)"))
_NOTE_MAX = 8


class ModelError(ValueError):
    """A model file that is missing, corrupt or written for another feature layout."""


def allowed_transitions() -> np.ndarray:
    """(prev, cur) True where BIOES allows cur after prev; the sequence is framed by O on both sides."""
    ok = np.zeros((N_TAGS, N_TAGS), dtype=bool)
    outside = [0] + [4 * k + c for k in range(3) for c in (3, 4)]  # O, E-x, S-x: an entity is closed
    for k in range(3):
        b, i, e, s = (4 * k + c for c in (1, 2, 3, 4))
        ok[np.ix_(outside, [0, b, s])] = True
        ok[np.ix_([b, i], [i, e])] = True
    return ok


@dataclass(frozen=True)
class Tagger:
    """A trained model: weights (buckets x tags), transitions (tags x tags), hashing and lexicon tables."""

    weights: np.ndarray
    transitions: np.ndarray
    multipliers: np.ndarray
    lexicon: Lexicon
    bits: int
    margin: float
    meta: dict[str, object]
    plan: tuple[np.ndarray, np.ndarray, np.ndarray] = field(init=False, repr=False)  # hash_plan(multipliers)

    def __post_init__(self) -> None:
        object.__setattr__(self, "plan", hash_plan(self.multipliers))

    def emissions(self, text: str) -> np.ndarray:
        """(n, tags) scores of every tag at every character."""
        return self._emissions(codepoints(text))

    def _emissions(self, codes: np.ndarray) -> np.ndarray:
        out = np.empty((len(codes), N_TAGS), dtype=np.float32)
        for lo, hi, buckets in bucket_chunks(codes, self.lexicon, self.plan, self.bits):
            # Summed over the templates one after another in float32 (a reduction over the outer axis), as
            # the trained weights were scored: the same values whatever the chunking.
            np.take(self.weights, buckets, axis=0).sum(axis=0, out=out[lo:hi])
        return out

    def _tag_codes(self, codes: np.ndarray) -> np.ndarray:
        """The best tag index of every code point (separators and sentence ends are O)."""
        if not len(codes):
            return np.zeros(0, dtype=np.int64)
        closed = _SENTENCE_END[np.minimum(codes, 0xFFFF)] | (codes >= BOS)
        emit = self._emissions(codes)
        return split_name_lists(
            codes, emit, decode(emit, self.transitions, self.margin, closed), self.transitions
        )

    def tag_ids(self, text: str) -> np.ndarray:
        """The best tag index of every character."""
        return self._tag_codes(codepoints(text))

    def tag(self, text: str) -> tuple[Mention, ...]:
        """Entity mentions in `text` (flat, sorted; `name` is the surface as written)."""
        return tuple(
            Mention(KIND[t], text[s:e], text[s:e], s, e) for t, s, e in spans_from_tags(self.tag_ids(text))
        )

    def tag_many(self, texts: Sequence[str]) -> list[tuple[Mention, ...]]:
        """tag() of every text, computed in one pass over all of them (same result, far fewer numpy calls)."""
        codes, starts = joined_codepoints(texts)
        spans = spans_from_tags(self._tag_codes(codes))
        owner = np.searchsorted(starts, np.array([s for _, s, _ in spans], dtype=np.int64), side="right") - 1
        found: list[list[Mention]] = [[] for _ in texts]
        for (t, s, e), k in zip(spans, owner.tolist(), strict=True):
            text, a, b = texts[k], s - int(starts[k]), e - int(starts[k])
            found[k].append(Mention(KIND[t], text[a:b], text[a:b], a, b))
        return [tuple(f) for f in found]


def spans_from_tags(tags: np.ndarray) -> list[tuple[str, int, int]]:
    """(type, start, end) of each entity in a valid BIOES tag sequence."""
    kinds = (tags - 1) // 4
    pos = (tags - 1) % 4
    opening = np.nonzero((tags > 0) & ((pos == 0) | (pos == 3)))[0]
    closing = np.nonzero((tags > 0) & ((pos == 2) | (pos == 3)))[0]
    return [(TYPES[kinds[s]], int(s), int(e) + 1) for s, e in zip(opening, closing, strict=True)]


def split_name_lists(
    codes: np.ndarray, emit: np.ndarray, tags: np.ndarray, transitions: np.ndarray
) -> np.ndarray:
    """Tags with each list of names written back to back (李鹏乔石李瑞环...) re-cut into names of 2-4 chars.

    The model learns names in running text, where two persons rarely touch, so in a list it merges neighbours
    (孙孚凌安子介) or drops some. Where 3+ persons touch, the stretch from the first to the last (gaps of a few
    unnamed Han chars included) is re-cut into the best sequence of person pieces under the model's own scores."""
    closing, opening = np.isin(tags[:-1], (_PE, _PS)), np.isin(tags[1:], (_PB, _PS))
    if np.count_nonzero(closing & opening) < _LIST_TOUCHES:
        return tags
    persons = [(s, e) for t, s, e in spans_from_tags(tags) if t == "PER"]
    out = tags.copy()
    for stretches in _name_lists(codes, han_mask(codes), persons):
        for first, last in stretches:
            cut = _cut_names(codes, emit, first, last, transitions)
            if cut:
                out[first:last] = 0
                for s, e in cut:
                    out[s:e] = [_PB, *[_PI] * (e - s - 2), _PE]
    return out


def _name_lists(
    codes: np.ndarray, han: np.ndarray, persons: list[tuple[int, int]]
) -> list[list[tuple[int, int]]]:
    """The stretches to re-cut of each chain of persons with 3+ written back to back: persons joined across short
    Han-only gaps, a chain going on past a short note (a new stretch after it, the Han chars up to the note
    belonging to the name before it)."""
    found = []
    stretches, touches, last = [list(persons[0])], 0, persons[0]
    for span in [*persons[1:], (-1, -1)]:
        gap = (last[1], span[0])
        if 0 <= gap[1] - gap[0] <= _LIST_GAP and han[gap[0] : gap[1]].all():
            touches += gap[0] == gap[1]
            stretches[-1][1] = span[1]
        elif (note := _note(codes, han, *gap)) is not None:
            stretches[-1][1] = note[0]
            stretches.append([note[1], span[1]])
        else:
            if touches >= _LIST_TOUCHES:
                note = _note(codes, han, last[1], min(len(codes), last[1] + _LIST_GAP + _NOTE_MAX + 2))
                if note is not None:  # the Han chars up to a note after the last person end its name
                    stretches[-1][1] = note[0]
                found.append([(a, b) for a, b in stretches])
            stretches, touches = [list(span)], 0
        last = span
    return found


def _note(codes: np.ndarray, han: np.ndarray, start: int, end: int) -> tuple[int, int] | None:
    """(open, past close) of a short parenthesised note that follows at most _LIST_GAP Han chars from `start` and
    leaves only Han chars (at most _LIST_GAP) up to `end`; None if codes[start:end] is not of that form."""
    head = start
    while head < end and head - start <= _LIST_GAP and han[head]:
        head += 1
    if head >= end or head - start > _LIST_GAP or int(codes[head]) not in _NOTE_OPEN:
        return None
    for close in range(head + 1, min(end, head + _NOTE_MAX + 2)):
        code = int(codes[close])
        if code in _NOTE_OPEN or _SENTENCE_END[min(code, 0xFFFF)]:
            return None
        if code in _NOTE_CLOSE:
            tail = close + 1
            return (
                (head, tail)
                if close > head + 1 and (end - tail <= _LIST_GAP and han[tail:end].all())
                else None
            )
    return None


def _cut_names(
    codes: np.ndarray, emit: np.ndarray, first: int, last: int, transitions: np.ndarray
) -> list[tuple[int, int]]:
    """The best cut of codes[first:last] into person pieces (B I* E), scored as the Viterbi path would be."""
    n = last - first
    inner = np.concatenate([[0.0], np.cumsum(emit[first:last, _PI], dtype=np.float64)])
    piece = codes[first:last].tolist()
    dotted = np.array([c in _INTERPUNCTS for c in piece])
    best = np.full(n + 1, -np.inf)
    best[0] = 0.0
    back = np.zeros(n + 1, dtype=np.int64)
    for j in range(2, n + 1):
        for length in range(2, min(j, _DOTTED_MAX) + 1):
            i = j - length
            if best[i] == -np.inf or dotted[i] or dotted[j - 1]:
                continue
            if length not in _NAME_LENGTHS and not _dotted_name(dotted[i:j]):
                continue
            if length == 4 and _two_names(piece[i:j]):
                continue
            score = best[i] + emit[first + i, _PB] + emit[first + j - 1, _PE] + inner[j - 1] - inner[i + 1]
            if length == 2:
                score += transitions[_PB, _PE]
            else:
                score += transitions[_PB, _PI] + (length - 3) * transitions[_PI, _PI] + transitions[_PI, _PE]
            score += transitions[_PE, _PB] if i else 0.0
            if score > best[j]:
                best[j], back[j] = score, i
    if best[n] == -np.inf:
        return []
    cut, j = [], n
    while j:
        cut.append((first + int(back[j]), first + j))
        j = int(back[j])
    return cut[::-1]


def _two_names(chars: list[int]) -> bool:
    """Whether four chars read as two 2-char names: common surnames at the first and third, no double surname."""
    return (
        chars[0] in _COMMON_SURNAME
        and chars[2] in _COMMON_SURNAME
        and tuple(chars[:2]) not in _DOUBLE_SURNAMES
    )


def _dotted_name(dots: np.ndarray) -> bool:
    """Whether a piece with these interpunct flags is a dotted name: 2+ parts, none empty or over 5 chars."""
    at = np.nonzero(dots)[0]
    if not len(at):
        return False
    parts = np.diff(np.concatenate([[-1], at, [len(dots)]])) - 1
    return bool(parts.min() >= 1 and parts.max() <= _DOTTED_PART_MAX)


def viterbi(emit: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """Best tag paths of R sequences side by side: emit is (R, L, tags), each framed by O on both sides."""
    r, length, _ = emit.shape
    # Scores as (run, cur, prev): both reductions run over the contiguous last axis (argmax: the first best prev).
    incoming = np.ascontiguousarray(transitions.T)
    scores = np.empty((r, N_TAGS, N_TAGS), dtype=np.result_type(emit, transitions))
    delta = (emit[:, 0] + transitions[0]).astype(scores.dtype)
    back = np.empty((length, r, N_TAGS), dtype=np.intp)
    # Many runs: reading the best scores back by index beats a second reduction; a few: fewer calls win.
    gather = r >= _GATHER_RUNS
    for t in range(1, length):
        np.add(delta[:, None, :], incoming, out=scores)
        best_prev = scores.argmax(axis=2, out=back[t])
        if gather:
            delta = np.take_along_axis(scores, best_prev[:, :, None], axis=2)[:, :, 0]
        else:
            np.maximum.reduce(scores, axis=2, out=delta)
        delta += emit[:, t]
    best = (delta + transitions[:, 0]).argmax(axis=1)
    path = np.empty((r, length), dtype=np.int64)
    path[:, -1] = best
    runs = np.arange(r)
    for t in range(length - 1, 0, -1):
        best = back[t, runs, best]
        path[:, t - 1] = best
    return path


def decode(
    emit: np.ndarray, transitions: np.ndarray, margin: float, closed: np.ndarray | None = None
) -> np.ndarray:
    """Best tags of one text: chars where O leads every other tag by `margin` (and `closed` chars) are O, the
    stretches between them are decoded side by side, each framed by O. margin=inf, no closed: exact Viterbi."""
    n = len(emit)
    lead = emit[:, 0] - emit[:, 1:].max(axis=1)
    open_ = lead <= margin if closed is None else (lead <= margin) & ~closed
    tags = np.zeros(n, dtype=np.int64)
    if not open_.any():
        return tags
    edges = np.diff(np.concatenate([[0], open_.view(np.int8), [0]]))
    all_starts, all_ends = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
    # Runs of similar length go together (lengths within a power of two), so one long run does not pad all others:
    # the work stays under twice the number of open chars.
    all_lengths = all_ends - all_starts
    if len(all_lengths) * int(all_lengths.max()) <= 4 * int(all_lengths.sum()):
        groups = [(all_starts, all_lengths)]  # little padding: one pass is fewer numpy calls
    else:
        group = np.log2(all_lengths).astype(np.int64)
        groups = [(all_starts[group == g], all_lengths[group == g]) for g in np.unique(group)]
    for starts, lengths in _bounded_calls(groups):
        width = int(lengths.max())
        idx = starts[:, None] + np.arange(width)[None, :]
        pad = np.arange(width)[None, :] >= lengths[:, None]
        runs = emit[np.minimum(idx, n - 1)]
        runs[pad] = _NEG
        runs[pad, 0] = (
            0.0  # padding is forced to O, which the frame's O then follows at no cost to the choice
        )
        paths = viterbi(runs, transitions)
        tags[idx[~pad]] = paths[~pad]
    return tags


def _bounded_calls(groups: list[tuple[np.ndarray, np.ndarray]]) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The groups' runs cut into calls of at most MAX_DECODE_SLOTS slots (one run at least): runs are independent."""
    for starts, lengths in groups:
        rows = max(1, MAX_DECODE_SLOTS // int(lengths.max()))
        for at in range(0, len(starts), rows):
            yield starts[at : at + rows], lengths[at : at + rows]


def to_bytes(tagger: Tagger) -> bytes:
    """The model as an .npz file's bytes (weights stored as float16)."""
    buffer = io.BytesIO()
    meta = {**tagger.meta, "bits": tagger.bits, "margin": tagger.margin, "feature_version": FEATURE_VERSION}
    np.savez_compressed(
        buffer,
        weights=tagger.weights.astype(np.float16),
        transitions=tagger.transitions.astype(np.float32),
        multipliers=tagger.multipliers,
        lexicon_keys=tagger.lexicon.keys,
        lexicon_masks=tagger.lexicon.masks,
        name_odds=tagger.lexicon.name_odds,
        meta=np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8),
    )
    return buffer.getvalue()


def read_tagger(path: Path) -> Tagger:
    """Read a model file written by to_bytes; ModelError names the file and what is wrong."""
    try:
        with np.load(path, allow_pickle=False) as z:
            meta = json.loads(z["meta"].tobytes().decode())
            if meta.get("feature_version") != FEATURE_VERSION:
                raise ModelError(
                    f"{path}: feature layout {meta.get('feature_version')}, this code reads {FEATURE_VERSION}"
                )
            # The shipped model's float32 weights are kept as a built table, mapped read-only: processes share the
            # pages, and none decompresses and converts them again (0.25 s). A user's model is read as it is.
            weights = (
                load_or_build(
                    "tagger-weights",
                    inputs_key(path.read_bytes()),
                    ".npy",
                    lambda built: _checked_weights(
                        np.load(built, mmap_mode="r"), (1 << int(meta["bits"]), N_TAGS)
                    ),
                    lambda: z["weights"].astype(np.float32),
                    lambda array, built: np.save(built, array),
                )
                if path.resolve() == MODEL_PATH.resolve()
                else z["weights"].astype(np.float32)
            )
            return Tagger(
                weights=weights,
                transitions=z["transitions"],
                multipliers=z["multipliers"],
                lexicon=Lexicon(z["lexicon_keys"], z["lexicon_masks"], z["name_odds"]),
                bits=int(meta["bits"]),
                margin=float(meta["margin"]),
                meta=meta,
            )
    except (OSError, KeyError, ValueError) as exc:
        if isinstance(exc, ModelError):
            raise
        raise ModelError(f"{path}: not a tagger model ({exc})") from exc


def _checked_weights(array: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    if array.dtype != np.float32 or array.shape != shape:
        raise ValueError(f"built weights are {array.dtype} {array.shape}, the model's {shape}")
    return array


@lru_cache(maxsize=4)
def _load_cached(path: Path) -> Tagger:
    return read_tagger(path)


@lru_cache(maxsize=16)
def _resolved(path: Path | None) -> Path:
    # Resolving costs a realpath per call (0.4 ms, 8% of `parse` on one-sentence lines): once per spelling.
    return (path or MODEL_PATH).resolve()


def load_tagger(path: Path | None = None) -> Tagger:
    """The tagger in `path` (None: the model shipped with newsetl), read once per process and path."""
    return _load_cached(_resolved(path))
