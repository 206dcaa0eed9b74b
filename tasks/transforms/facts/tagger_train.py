"""Train the entity tagger: an averaged structured perceptron over hashed features, BIOES tags.

Pure: sentences with gold spans in, a Tagger out. Reading data files, fetching the MSRA split and writing the
model are the callers' business (tasks/transforms/facts/data/train_ner.py, `newsetl ner train`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .data.lexicon import ORG_ABBREVIATIONS, ORG_SUFFIXES, SURNAMES_DOUBLE, SURNAMES_SINGLE, TITLES
from .data.places import CITIES, COUNTRIES, PROVINCES
from .entities import LEXICON
from .tagger import N_TAGS, TYPES, Tagger, allowed_transitions, decode, spans_from_tags
from .tagger_features import CATEGORIES, Lexicon, build_lexicon, feature_buckets, make_multipliers

_NEG = -1e9
# Margins tried for the O-pruned decoder, in units of the spread of the transition scores, smallest first: the
# first whose dev micro-F1 is within MARGIN_TOLERANCE of exact Viterbi's is kept.
MARGIN_SCALES = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0)
MARGIN_TOLERANCE = 0.0005


class TrainingDataError(ValueError):
    """A training record that is not {"text", "entities": [{"type", "start", "end"}]} with valid spans."""


@dataclass(frozen=True)
class Sentence:
    """One training sentence: text and gold (type, start, end) spans."""

    text: str
    spans: tuple[tuple[str, int, int], ...]


@dataclass
class TrainingReport:
    """What training did: dev micro-F1 per epoch, the epoch kept and the decoding margin chosen."""

    dev_f1: list[float] = field(default_factory=list)
    best_epoch: int = 0
    margin: float = float("inf")


def parse_records(lines: Iterable[str], source: str = "<data>") -> list[Sentence]:
    """Sentences from JSON lines of {"text", "entities": [{"type", "start", "end"}]}; bad lines raise."""
    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            text = record["text"]
            spans = tuple((e["type"], int(e["start"]), int(e["end"])) for e in record.get("entities", []))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise TrainingDataError(f"{source}:{number}: not a training record ({exc})") from exc
        for t, s, e in spans:
            if t not in TYPES or not 0 <= s < e <= len(text):
                raise TrainingDataError(
                    f"{source}:{number}: bad entity {t} [{s}, {e}) in a {len(text)}-char text"
                )
        ordered = sorted(spans, key=lambda x: x[1])
        if any(a[2] > b[1] for a, b in zip(ordered, ordered[1:], strict=False)):
            raise TrainingDataError(f"{source}:{number}: overlapping entities")
        out.append(Sentence(text, tuple(ordered)))
    return out


def split_dev(
    sentences: Sequence[Sentence], every: int = 10, minimum: int = 50
) -> tuple[list[Sentence], list[Sentence]]:
    """Every `every`-th sentence held out as dev (none when fewer than `minimum`: all are trained on)."""
    if len(sentences) < minimum:
        return list(sentences), []
    return [s for k, s in enumerate(sentences) if k % every], list(sentences[::every])


def tags_from_spans(sentence: Sentence) -> np.ndarray:
    """BIOES tag indices of a sentence's characters."""
    tags = np.zeros(len(sentence.text), dtype=np.int64)
    for t, s, e in sentence.spans:
        k = 4 * TYPES.index(t)
        if e - s == 1:
            tags[s] = k + 4
        else:
            tags[s], tags[s + 1 : e - 1], tags[e - 1] = k + 1, k + 2, k + 3
    return tags


def default_lexicon() -> Lexicon:
    """The shipped word lists as one lexicon: jieba-derived ner_lexicon.tsv, gazetteers, titles, suffixes."""
    words: dict[str, int] = {}
    odds: dict[str, dict[str, float]] = {"B": {}, "M": {}, "E": {}, "G": {}}

    def add(word: str, category: str) -> None:
        words[word] = words.get(word, 0) | (1 << CATEGORIES.index(category))

    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            continue
        if line.startswith("#"):  # name-char odds: #state, char, log-odds
            state, ch, value = line[1:].split("\t")
            odds[state][ch] = float(value)
            continue
        word, tag = line.split("\t")
        add(word, "PERQ" if tag == "PER?" else tag)
    for full, shorts in PROVINCES:
        for w in (full, *shorts):
            add(w, "LOC")
    for w in (*(full for full, _ in CITIES), *COUNTRIES):
        add(w, "LOC")
    for w in ORG_ABBREVIATIONS:
        add(w, "ORG")
    for w in TITLES:
        add(w, "TITLE")
    for w in ORG_SUFFIXES:
        add(w, "SUFFIX")
    for w in (*SURNAMES_SINGLE, *SURNAMES_DOUBLE):
        add(w, "SURNAME")
    # Given-name odds: jieba's HMM (by position) or ngender's given-name counts (position-free), the larger.
    chars = set(odds["B"]) | set(odds["M"]) | set(odds["E"]) | set(odds["G"])
    name_odds = {
        c: (
            odds["B"].get(c, 0.0),
            max(odds["M"].get(c, 0.0), odds["G"].get(c, 0.0)),
            max(odds["E"].get(c, 0.0), odds["G"].get(c, 0.0)),
        )
        for c in chars
    }
    return build_lexicon(words, name_odds)


def score_spans(
    gold: Sequence[set[tuple[str, int, int]]], pred: Sequence[set[tuple[str, int, int]]]
) -> float:
    """Micro-F1 of exact (type, start, end) spans."""
    tp = sum(len(g & p) for g, p in zip(gold, pred, strict=True))
    n_gold, n_pred = sum(map(len, gold)), sum(map(len, pred))
    return 2 * tp / (n_gold + n_pred) if n_gold + n_pred else 0.0


def _pair_counts(gold: np.ndarray, pred: np.ndarray) -> np.ndarray:
    """Gold minus predicted transition counts of two tag paths, each framed by O."""
    counts = np.zeros((N_TAGS, N_TAGS))
    for tags, sign in ((gold, 1.0), (pred, -1.0)):
        framed = np.concatenate([[0], tags, [0]])
        np.add.at(counts, (framed[:-1], framed[1:]), sign)
    return counts


def train_tagger(
    train: Sequence[Sentence],
    dev: Sequence[Sentence],
    epochs: int = 10,
    bits: int = 20,
    seed: int = 0,
    lexicon: Lexicon | None = None,
    log: Callable[[str], None] = lambda _: None,
) -> tuple[Tagger, TrainingReport]:
    """Train on `train`, keep the epoch whose averaged weights score best on `dev`, then choose the margin."""
    lexicon = lexicon or default_lexicon()
    multipliers = make_multipliers()
    feats = [feature_buckets(s.text, lexicon, multipliers, bits) for s in train]
    golds = [tags_from_spans(s) for s in train]
    dev_emit_rows = [feature_buckets(s.text, lexicon, multipliers, bits) for s in dev]
    mask = np.where(allowed_transitions(), 0.0, _NEG)
    w = np.zeros((1 << bits, N_TAGS), dtype=np.float32)
    u = np.zeros((1 << bits, N_TAGS), dtype=np.float64)
    tw = np.zeros((N_TAGS, N_TAGS))
    tu = np.zeros((N_TAGS, N_TAGS))
    step = 1
    rng = np.random.default_rng(seed)
    report = TrainingReport()
    best: Tagger | None = None
    n_templates = feats[0].shape[1] if feats else 0
    allowed = allowed_transitions()
    for epoch in range(1, epochs + 1):
        for k in rng.permutation(len(train)):
            b, gold = feats[k], golds[k]
            if not len(gold):
                continue
            # Decoding is pruned as at inference, with a margin well above what transitions can add (speed).
            margin = 2.0 * float(np.ptp(tw[allowed])) + 1.0
            pred = decode(w[b].sum(axis=1), tw + mask, margin)
            wrong = np.nonzero(pred != gold)[0]
            if len(wrong):
                rows = b[wrong].ravel()
                for tags, sign in ((gold, 1.0), (pred, -1.0)):
                    cols = np.repeat(tags[wrong], n_templates)
                    np.add.at(w, (rows, cols), sign)
                    np.add.at(u, (rows, cols), sign * step)
                delta = _pair_counts(gold, pred)
                tw += delta
                tu += delta * step
            step += 1
        candidate = _averaged(w, u, tw, tu, step, mask, multipliers, lexicon, bits)
        f1 = score_spans(*_decode_dev(candidate, dev, dev_emit_rows, float("inf"))) if dev else 0.0
        report.dev_f1.append(f1)
        log(f"epoch {epoch}: dev micro-F1 {f1:.4f}")
        if best is None or not dev or f1 > max(report.dev_f1[:-1], default=-1.0):
            best, report.best_epoch = candidate, epoch
    assert best is not None, "epochs must be >= 1"
    report.margin = choose_margin(best, dev, dev_emit_rows) if dev else float("inf")
    log(f"kept epoch {report.best_epoch}, decoding margin {report.margin}")
    meta = {"epochs": epochs, "best_epoch": report.best_epoch, "dev_f1": report.dev_f1}
    return Tagger(best.weights, best.transitions, multipliers, lexicon, bits, report.margin, meta), report


def _averaged(
    w: np.ndarray,
    u: np.ndarray,
    tw: np.ndarray,
    tu: np.ndarray,
    step: int,
    mask: np.ndarray,
    multipliers: np.ndarray,
    lexicon: Lexicon,
    bits: int,
) -> Tagger:
    """The averaged weights (w - u / step) as a Tagger decoding exactly."""
    weights = (w - u / step).astype(np.float16).astype(np.float32)  # what the file will hold
    transitions = (tw - tu / step + mask).astype(np.float32)
    return Tagger(weights, transitions, multipliers, lexicon, bits, float("inf"), {})


def _decode_dev(
    tagger: Tagger, dev: Sequence[Sentence], rows: Sequence[np.ndarray], margin: float
) -> tuple[list[set[tuple[str, int, int]]], list[set[tuple[str, int, int]]]]:
    """Gold and predicted span sets of the dev sentences (feature rows given) at a decoding margin."""
    gold = [set(s.spans) for s in dev]
    pred = [
        set(spans_from_tags(decode(tagger.weights[b].sum(axis=1), tagger.transitions, margin)))
        if len(b)
        else set()
        for b in rows
    ]
    return gold, pred


def choose_margin(tagger: Tagger, dev: Sequence[Sentence], rows: Sequence[np.ndarray] | None = None) -> float:
    """The smallest pruning margin whose dev micro-F1 is within MARGIN_TOLERANCE of exact decoding."""
    if rows is None:
        rows = [feature_buckets(s.text, tagger.lexicon, tagger.multipliers, tagger.bits) for s in dev]
    exact = score_spans(*_decode_dev(tagger, dev, rows, float("inf")))
    spread = float(np.ptp(tagger.transitions[allowed_transitions()]))
    for scale in MARGIN_SCALES:
        if score_spans(*_decode_dev(tagger, dev, rows, scale * spread)) >= exact - MARGIN_TOLERANCE:
            return scale * spread
    return float("inf")
