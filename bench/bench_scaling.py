"""Is every stage linear in text length? Seconds per stage as the seed article is repeated 4, 16 and 64 times.

    .venv/bin/python bench/bench_scaling.py --out bench/results/bench_scaling.json [--factors 4 16 64] [--runs 3]

Stages: decode (UTF-8 bytes), html (the text as <p> paragraphs of one page), normalize, each layer of
extract_facts (sentences, byline, entities, relations) and process_document end to end (a text input). Each number
is the median of `--runs` calls after a warm-up; `ratio` divides by the smallest factor's time in the same
invocation, so a linear stage shows ratios near 4 and 16 for 16x and 64x against 4x.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.timing import emit_json  # noqa: E402
from tasks.transforms.decode import decode_bytes  # noqa: E402
from tasks.transforms.facts.document import Document, add_byline, add_sentences  # noqa: E402
from tasks.transforms.facts.entity_layer import add_entities  # noqa: E402
from tasks.transforms.facts.relations import add_relations  # noqa: E402
from tasks.transforms.html import extract_page  # noqa: E402
from tasks.transforms.models import RawDocument  # noqa: E402
from tasks.transforms.normalize import normalize_text  # noqa: E402
from tasks.transforms.pipeline import process_document  # noqa: E402

SEED = ROOT / "samples"


def seed_text() -> str:
    """The bundled seed article (Traditional, with ruby readings): the issue's unit of growth."""
    path = next(p for p in sorted(SEED.rglob("*.txt")) if "liuzhou" in p.name)
    return path.read_text("utf-8")


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    """Median wall seconds of `runs` calls of fn, after one warm-up call."""
    fn()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def stage_calls(text: str) -> dict[str, Callable[[], object]]:
    """One zero-argument call per stage on `text` (each layer gets the earlier layers precomputed)."""
    norm = normalize_text(text).text
    with_sentences = add_sentences(Document(norm))
    with_byline = add_byline(with_sentences)
    with_entities = add_entities(with_byline)
    html = (
        "<html><body><article>"
        + "".join(f"<p>{line}</p>" for line in text.splitlines())
        + "</article></body></html>"
    )
    payload = text.encode("utf-8")
    return {
        "decode": lambda: decode_bytes(payload),
        "html": lambda: extract_page(html),
        "normalize": lambda: normalize_text(text),
        "facts.sentences": lambda: add_sentences(Document(norm)),
        "facts.byline": lambda: add_byline(with_sentences),
        "facts.entities": lambda: add_entities(with_byline),
        "facts.relations": lambda: add_relations(with_entities),
        "process_document": lambda: process_document(RawDocument("bench.txt", payload, "text")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--factors", type=int, nargs="+", default=[4, 16, 64])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    seed = seed_text()
    timed: dict[str, dict[int, float]] = {}
    chars = {}
    for factor in args.factors:
        text = "\n".join([seed] * factor)
        chars[factor] = len(text)
        for stage, call in stage_calls(text).items():
            timed.setdefault(stage, {})[factor] = median_seconds(call, args.runs)
    base = min(args.factors)
    result = {
        "factors": {str(f): chars[f] for f in args.factors},
        "stages": {
            stage: {
                str(f): {"seconds": round(t, 4), "ratio": round(t / max(by[base], 1e-9), 1)}
                for f, t in by.items()
            }
            for stage, by in timed.items()
        },
    }
    emit_json(result, args.out)


if __name__ == "__main__":
    main()
