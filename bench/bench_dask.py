"""Transforms on a local Dask cluster: 1 vs 2 workers, against one local process, and the load alone (issue 11 item 8).

    .venv/bin/python bench/bench_dask.py --out bench/results/bench_dask.json [--pages 120] [--batch 20] [--runs 1]

Corpus: distinct copies of the ../shared/data/news_html_gold pages (bench_ingest.py's real corpus, their size
distribution). Each measurement runs in a fresh process into a fresh DuckDB file, in this order per round:
- `local`: run_ingest in local mode with one transform process (NEWSETL_TRANSFORM_WORKERS=1), the baseline;
- `dask_N`: a LocalCluster of N single-threaded worker processes is started and waited for *outside* the clock
  (its start-up is reported apart), then run_ingest(dask_address=...) is timed.
pages/s is over the run's wall time. `load_articles_per_s` is the load stage alone, inside the same runs: articles
loaded / seconds the flow spent in load_batch (the single DuckDB writer's rate on these articles). Every line's
`ratio_to_local` divides by the `local` line of the same invocation, so the ratios survive a noisy machine; medians
of `--runs`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_ingest import GOLD, build_real_corpus, run_child  # noqa: E402
from bench.timing import emit_json  # noqa: E402

_RUN = """
import json, sys, time
corpus, db, batch, workers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
from flows.ingest import run_ingest
address, cluster_s, cluster = None, 0.0, None
if workers:
    from distributed import Client, LocalCluster
    started = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0")
    with Client(cluster) as client:
        client.wait_for_workers(workers, timeout=300)
    address, cluster_s = cluster.scheduler_address, time.perf_counter() - started
started = time.perf_counter()
summary = run_ingest(paths=[corpus], db_path=db, batch_size=batch, dask_address=address)
wall = time.perf_counter() - started
if cluster is not None:
    cluster.close()
print("RESULT " + json.dumps({"wall": wall, "cluster_s": cluster_s, "counts": summary["counts"],
                              "seconds": summary["seconds"]}))
"""


def measure(corpus: Path, pages: int, batch: int, workers: int, work: Path) -> dict[str, object]:
    """One run in a fresh process: local (workers 0) or on a fresh LocalCluster of `workers` processes."""
    db = work / f"w-{workers}-{time.monotonic_ns()}.duckdb"
    env = {"NEWSETL_TRANSFORM_WORKERS": "1", "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    return run_child(_RUN, [str(corpus), str(db), str(batch), str(workers)], env)


def summarize(results: list[dict[str, object]], pages: int) -> dict[str, object]:
    """Medians of one configuration's runs."""
    wall = statistics.median(float(r["wall"]) for r in results)  # type: ignore[arg-type]
    loaded = int(results[0]["counts"]["loaded"])  # type: ignore[index]
    load_s = statistics.median(float(r["seconds"]["load"]) for r in results)  # type: ignore[index]
    return {
        "pages_per_s": round(pages / wall, 1),
        "wall_s": round(wall, 2),
        "cluster_start_s": round(statistics.median(float(r["cluster_s"]) for r in results), 1),  # type: ignore[arg-type]
        "seconds_per_stage_first_run": {k: round(float(v), 2) for k, v in results[0]["seconds"].items()},  # type: ignore[attr-defined]
        "load_s": round(load_s, 2),
        "load_articles_per_s": round(loaded / load_s) if load_s else None,
        "counts": results[0]["counts"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=120)
    parser.add_argument("--batch", type=int, default=20, help="documents per batch (one Dask task each)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="Dask worker counts")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if not GOLD.is_dir():
        sys.exit(f"{GOLD} is missing: the real corpus is built from it")
    configs = [0, *args.workers]
    runs: dict[int, list[dict[str, object]]] = {w: [] for w in configs}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "real"
        mb = build_real_corpus(corpus, args.pages) / 1e6
        for _ in range(args.runs):
            for workers in configs:  # interleaved, so a burst of load on the machine hits every line alike
                runs[workers].append(measure(corpus, args.pages, args.batch, workers, work))
    lines = {("local" if w == 0 else f"dask_{w}"): summarize(r, args.pages) for w, r in runs.items()}
    base = float(lines["local"]["pages_per_s"])  # type: ignore[arg-type]
    for line in lines.values():
        line["ratio_to_local"] = round(float(line["pages_per_s"]) / base, 2)  # type: ignore[arg-type]
    result: dict[str, object] = {
        "pages": args.pages,
        "mb": round(mb, 1),
        "batch": args.batch,
        "runs": args.runs,
        **lines,
    }
    if len(args.workers) >= 2:
        one, two = (f"dask_{w}" for w in args.workers[:2])
        result[f"ratio_{two}_to_{one}"] = round(
            float(lines[two]["pages_per_s"]) / float(lines[one]["pages_per_s"]),  # type: ignore[arg-type]
            2,
        )
    emit_json(result, args.out)


if __name__ == "__main__":
    main()
