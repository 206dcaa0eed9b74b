"""End-to-end ingest on real pages, against the peer pipeline a user would write instead (issue 11 items 1-2).

    .venv/bin/python bench/bench_ingest.py --out bench/results/bench_ingest.json [--pages 500] [--runs 1]
        [--workers 1 2] [--light 1000] [--no-peer]

Corpus (headline): the HTML pages of ../shared/data/news_html_gold (manifest.csv), copied round-robin up to
`--pages` files, so the corpus keeps the gold set's size distribution (its 400-770 KB pages included). Each copy gets
its own `<link rel="canonical">` right after `<head>`, so every file is distinct bytes and a distinct article.
Light corpus (second line): the bundled samples' body texts as `--light` JSONL lines, each with a distinct suffix.

Each measurement runs in a fresh process (`run_ingest`, local mode, `NEWSETL_TRANSFORM_WORKERS` = each of
`--workers`) into a fresh DuckDB file: pages/s and MB/s of input over the run's wall time, seconds per stage from the
run summary, peak RSS (getrusage). Then the same corpus again into the same file: the re-run, which must skip every
input before decoding. The peer pipeline (trafilatura -> OpenCC t2s -> jieba.posseg nr/ns/nt -> one DuckDB
transaction) runs on the same corpus in the same invocation, interleaved with newsetl's runs round by round, so
`ratio_to_peer` survives a noisy machine; `ratio_to_peer_per_round` gives each round's own ratio. Medians of `--runs`.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "data" / "news_html_gold"
SAMPLES = ROOT / "samples"

_NEWSETL = """
import json, resource, sys, time
from flows.ingest import run_ingest
corpus, db = sys.argv[1], sys.argv[2]
started = time.perf_counter()
first = run_ingest(paths=[corpus], db_path=db)
wall = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
started = time.perf_counter()
again = run_ingest(paths=[corpus], db_path=db)
rerun = time.perf_counter() - started
print("RESULT " + json.dumps({"wall": wall, "rss": rss, "counts": first["counts"], "seconds": first["seconds"],
      "rerun_wall": rerun, "rerun_counts": again["counts"]}))
"""

_PEER = """
import json, resource, sys, time
from pathlib import Path
import duckdb, jieba, jieba.posseg, opencc, trafilatura
started = time.perf_counter()  # like newsetl's clock: after imports, dictionaries and models load inside it
jieba.initialize()
t2s = opencc.OpenCC("t2s")
rows, mentions = [], []
for path in sorted(Path(sys.argv[1]).rglob("*.html")):
    text = trafilatura.extract(path.read_bytes()) or ""
    text = t2s.convert(text)
    rows.append((str(path), text))
    mentions += [(str(path), w.word, w.flag) for w in jieba.posseg.cut(text) if w.flag in ("nr", "ns", "nt")]
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE articles (source_uri TEXT PRIMARY KEY, body TEXT)")
con.execute("CREATE TABLE mentions (source_uri TEXT, surface TEXT, kind TEXT)")
con.execute("BEGIN")
con.executemany("INSERT INTO articles VALUES (?, ?)", rows)
con.executemany("INSERT INTO mentions VALUES (?, ?, ?)", mentions)
con.execute("COMMIT")
wall = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("RESULT " + json.dumps({"wall": wall, "rss": rss, "loaded": len(rows), "mentions": len(mentions)}))
"""


def gold_pages() -> list[Path]:
    """The HTML files listed in the gold manifest (all of them: their sizes are the distribution to keep)."""
    with (GOLD / "manifest.csv").open(encoding="utf-8") as handle:
        return [GOLD / row["html"] for row in csv.DictReader(handle) if (GOLD / row["html"]).is_file()]


def build_real_corpus(folder: Path, n: int) -> int:
    """n distinct copies of the gold pages, round-robin; returns their total bytes."""
    folder.mkdir(parents=True)
    pages = [p.read_bytes() for p in gold_pages()]
    total = 0
    for i in range(n):
        page = pages[i % len(pages)]
        link = f'<link rel="canonical" href="https://bench.invalid/page/{i}">'.encode()
        at = page.lower().find(b"<head>")
        page = page[: at + 6] + link + page[at + 6 :] if at >= 0 else link + page
        (folder / f"page-{i:05d}.html").write_bytes(page)
        total += len(page)
    return total


def build_light_corpus(folder: Path, n: int) -> int:
    """n distinct JSONL articles made from the bundled samples' body texts; returns the file's bytes."""
    sys.path.insert(0, str(ROOT))
    from tasks.files import discover_inputs, read_refs
    from tasks.transforms.pipeline import process_documents

    folder.mkdir(parents=True)
    docs, _ = read_refs(discover_inputs([str(SAMPLES)]))
    bodies = [a.body_raw for a in process_documents(docs)[0]]
    path = folder / "light.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            record = {
                "url": f"https://bench.invalid/light/{i}",
                "text": bodies[i % len(bodies)] + f"\n（第{i}号）",
            }
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path.stat().st_size


def run_child(code: str, args: list[str], env: dict[str, str]) -> dict[str, object]:
    """Run one measurement in a fresh process; its RESULT line as a dict."""
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True,
        env={**os.environ, **env},
    )  # fmt: skip
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))  # type: ignore[no-any-return]


def newsetl_run(corpus: Path, workers: int, work: Path) -> dict[str, object]:
    """One fresh-process newsetl run (and its re-run) into a fresh DuckDB file."""
    db = work / f"newsetl-{time.monotonic_ns()}.duckdb"
    return run_child(_NEWSETL, [str(corpus), str(db)], {"NEWSETL_TRANSFORM_WORKERS": str(workers)})


def peer_run(corpus: Path, work: Path) -> dict[str, object]:
    """One fresh-process run of the peer pipeline into a fresh DuckDB file."""
    return run_child(_PEER, [str(corpus), str(work / f"peer-{time.monotonic_ns()}.duckdb")], {})


def summarize_newsetl(results: list[dict[str, object]], n: int, mb: float, workers: int) -> dict[str, object]:
    """Median pages/s, MB/s, seconds per stage, peak RSS and re-run speed-up of newsetl's runs on one corpus."""
    wall = statistics.median(float(r["wall"]) for r in results)  # type: ignore[arg-type]
    rerun = statistics.median(float(r["rerun_wall"]) for r in results)  # type: ignore[arg-type]
    stages = sorted({k for r in results for k in r["seconds"]})  # type: ignore[attr-defined]
    return {
        "workers": workers,
        "pages_per_s": round(n / wall, 1),
        "mb_per_s": round(mb / wall, 2),
        "wall_s": round(wall, 2),
        "runs_wall_s": [round(float(r["wall"]), 2) for r in results],  # type: ignore[arg-type]
        "seconds_per_stage": {
            s: round(statistics.median(float(r["seconds"].get(s, 0.0)) for r in results), 2)  # type: ignore[attr-defined]
            for s in stages
        },
        "peak_rss_mb": round(statistics.median(float(r["rss"]) for r in results)),  # type: ignore[arg-type]
        "counts": results[0]["counts"],
        "rerun_s": round(rerun, 2),
        "rerun_speedup": round(wall / rerun, 1),
        "runs_rerun_s": [round(float(r["rerun_wall"]), 3) for r in results],  # type: ignore[arg-type]
        "rerun_counts": results[0]["rerun_counts"],
    }


def summarize_peer(results: list[dict[str, object]], n: int, mb: float) -> dict[str, object]:
    """Median pages/s, MB/s and peak RSS of the peer pipeline's runs on the same corpus."""
    wall = statistics.median(float(r["wall"]) for r in results)  # type: ignore[arg-type]
    return {
        "pages_per_s": round(n / wall, 1),
        "mb_per_s": round(mb / wall, 2),
        "wall_s": round(wall, 2),
        "runs_wall_s": [round(float(r["wall"]), 2) for r in results],  # type: ignore[arg-type]
        "peak_rss_mb": round(statistics.median(float(r["rss"]) for r in results)),  # type: ignore[arg-type]
        "loaded": results[0]["loaded"],
    }


def measure_real(
    corpus: Path, n: int, mb: float, workers: list[int], runs: int, peer: bool, work: Path
) -> dict[str, object]:
    """newsetl on each of `workers` and the peer, interleaved round by round (a machine that slows down or
    speeds up during the invocation affects both sides alike), then medians and ratios."""
    ours: dict[int, list[dict[str, object]]] = {w: [] for w in workers}
    theirs: list[dict[str, object]] = []
    for _ in range(runs):
        for w in workers:
            ours[w].append(newsetl_run(corpus, w, work))
        if peer:
            theirs.append(peer_run(corpus, work))
    line: dict[str, object] = {"newsetl": [summarize_newsetl(ours[w], n, mb, w) for w in workers]}
    if peer:
        line["peer"] = summary = summarize_peer(theirs, n, mb)
        line["ratio_to_peer"] = {
            str(w): round(float(r["pages_per_s"]) / float(summary["pages_per_s"]), 2)  # type: ignore[index,arg-type]
            for w, r in zip(workers, line["newsetl"], strict=True)  # type: ignore[call-overload]
        }
        # The same ratio within each round (peer wall / newsetl wall): its spread is the noise of one invocation.
        line["ratio_to_peer_per_round"] = {
            str(w): [
                round(float(p["wall"]) / float(o["wall"]), 2) for o, p in zip(ours[w], theirs, strict=True)
            ]  # type: ignore[arg-type]
            for w in workers
        }
    return line


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--light", type=int, default=1000, help="articles of the light corpus (0: skip it)")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if not GOLD.is_dir():
        sys.exit(f"{GOLD} is missing: the real corpus is built from it")
    result: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        real = work / "real"
        mb = build_real_corpus(real, args.pages) / 1e6
        line: dict[str, object] = {"pages": args.pages, "mb": round(mb, 1)}
        line |= measure_real(real, args.pages, mb, args.workers, args.runs, not args.no_peer, work)
        result["real_pages"] = line
        if args.light:
            light = work / "light"
            light_mb = build_light_corpus(light, args.light) / 1e6
            result["light_jsonl"] = {
                "articles": args.light,
                "mb": round(light_mb, 1),
                "newsetl": [
                    summarize_newsetl(
                        [newsetl_run(light, w, work) for _ in range(args.runs)], args.light, light_mb, w
                    )
                    for w in args.workers
                ],
            }
    sys.path.insert(0, str(ROOT))
    from bench.timing import emit_json

    emit_json(result, args.out)


if __name__ == "__main__":
    main()
