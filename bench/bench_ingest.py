"""End-to-end ingest speed and memory as the corpus grows (each size in a fresh process, median of runs).

    .venv/bin/python bench/bench_ingest.py [--sizes 250 1000 4000] [--runs 3] [--mode local|prefect]

The corpus is the bundled samples (their body text) repeated as JSONL lines with a distinct suffix each, so every
line is a new article. Reported per size: wall seconds of the whole run (`--mode prefect`: the `ingest_news` flow,
including Prefect's temporary server start; `--mode local`: `run_ingest`, the same stages without Prefect), articles/second after subtracting a zero-input run, and peak RSS. Flat memory means the
peak RSS does not grow with the corpus: documents are read, transformed and loaded one batch at a time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

_CHILD = """
import resource, sys, time
from flows.ingest import ingest_news, run_ingest
run = ingest_news if sys.argv[3] == "prefect" else run_ingest
started = time.perf_counter()
summary = run(paths=[sys.argv[1]], db_path=sys.argv[2])
wall = time.perf_counter() - started
print("RESULT", summary["counts"]["loaded"], wall, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def build_corpus(path: Path, n: int) -> None:
    """Write n distinct JSONL articles made from the sample texts."""
    from tasks.files import discover_inputs, read_refs
    from tasks.transforms.pipeline import process_documents

    docs, _ = read_refs(discover_inputs([str(REPO / "samples")]))
    articles, _ = process_documents(docs)
    bodies = [a.body_raw for a in articles]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            text = bodies[i % len(bodies)] + f"\n（第{i}号）"
            handle.write(
                json.dumps({"url": f"https://bench.invalid/{i}", "text": text}, ensure_ascii=False) + "\n"
            )


def run_once(corpus: Path, workdir: Path, mode: str) -> tuple[int, float, float]:
    """(loaded, flow seconds, peak RSS MiB) of one ingest in a fresh process."""
    db = workdir / f"bench-{time.monotonic_ns()}.duckdb"
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(corpus), str(db), mode],
        cwd=REPO, capture_output=True, text=True, check=True,
    )  # fmt: skip
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT"))
    _, loaded, wall, rss_kb = line.split()
    return int(loaded), float(wall), int(rss_kb) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 1000, 4000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mode", choices=("local", "prefect"), default="prefect")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # Baseline: a run whose only input is a missing file (one reject): Prefect start-up and warehouse set-up.
        base = [run_once(work / "missing.jsonl", work, args.mode)[1] for _ in range(args.runs)]
        base_s = statistics.median(base)
        print(
            f"{'articles':>8} {'flow s':>8} {'net s':>8} {'art/s':>8} {'peak RSS MiB':>13} {'RSS vs first':>13}"
        )
        print(f"{0:>8} {base_s:>8.2f} {'':>8} {'':>8} {'':>13} {'':>13}")
        first_rss = None
        for n in args.sizes:
            corpus = work / f"corpus-{n}.jsonl"
            build_corpus(corpus, n)
            results = [run_once(corpus, work, args.mode) for _ in range(args.runs)]
            assert all(r[0] == n for r in results), results
            wall = statistics.median(r[1] for r in results)
            rss = statistics.median(r[2] for r in results)
            first_rss = first_rss or rss
            net = wall - base_s
            print(f"{n:>8} {wall:>8.2f} {net:>8.2f} {n / net:>8.0f} {rss:>13.0f} {rss / first_rss:>12.2f}x")


if __name__ == "__main__":
    main()
