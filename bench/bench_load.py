"""Speed of the load stage with named rows: to_rows + upsert_articles per batch, against the transform it follows.

Run from the repository root:  .venv/bin/python bench/bench_load.py [--articles 1000] [--batch 200] [--runs 5]
Builds `--articles` distinct articles from the samples (each its own URL), transforms them once, then times, as the
median of `--runs` passes each into a fresh DuckDB file: to_rows for every article, the first load (every article
new) and an identical re-load (every article unchanged). The baseline, timed in the same invocation, is
process_for_load over the same inputs (what an ingest's workers run: facts and index entries): the load's cost is
reported as a share of the transform's. JSON on stdout.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.files import discover_inputs, read_refs  # noqa: E402
from tasks.transforms.models import RawDocument  # noqa: E402
from tasks.transforms.pipeline import process_documents, process_for_load  # noqa: E402
from tasks.transforms.rows import to_rows  # noqa: E402
from warehouse import repository  # noqa: E402
from warehouse.connection import connect  # noqa: E402
from warehouse.migrate import migrate  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def corpus(n: int) -> list[RawDocument]:
    """n text documents with distinct URLs, made from the bundled samples' bodies."""
    docs, _ = read_refs(discover_inputs([str(REPO / "samples")]))
    bodies = [a.body_raw for a in process_documents(docs)[0]]
    return [
        RawDocument(f"bench#{i}", (bodies[i % len(bodies)] + f"\n（第{i}号）").encode(), "text",
                    url=f"https://bench.invalid/{i}")
        for i in range(n)
    ]  # fmt: skip


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    """Median wall seconds of `runs` calls."""
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - t0)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    docs = corpus(args.articles)
    articles, _ = process_for_load(docs)
    transform_s = median_seconds(lambda: process_for_load(docs), max(1, args.runs // 2))
    rows_s = median_seconds(lambda: [to_rows(a) for a in articles], args.runs)
    rows = [to_rows(a) for a in articles]
    batches = [rows[i : i + args.batch] for i in range(0, len(rows), args.batch)]
    first, again = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            with connect(Path(tmp) / f"w{run}.duckdb") as conn:
                migrate(conn)
                repository.start_run(conn, "bench", None)
                first.append(
                    median_seconds(lambda c=conn: [repository.upsert_articles(c, b, "r") for b in batches], 1)
                )
                again.append(
                    median_seconds(lambda c=conn: [repository.upsert_articles(c, b, "r") for b in batches], 1)
                )
    load_s = statistics.median(first)
    print(json.dumps({
        "articles": len(articles), "batch": args.batch, "runs": args.runs,
        "transform_s": round(transform_s, 3), "to_rows_s": round(rows_s, 3), "load_new_s": round(load_s, 3),
        "load_unchanged_s": round(statistics.median(again), 3),
        "load_articles_per_s": round(len(articles) / load_s),
        "load_share_of_transform": round((rows_s + load_s) / transform_s, 3),
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main()
