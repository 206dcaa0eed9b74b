"""CPU seconds of the per-page transform on real pages, this checkout against a baseline revision (issue 11).

    .venv/bin/python bench/bench_transform_cpu.py --out bench/results/bench_transform_cpu.json
        [--baseline REV] [--pages 250] [--runs 3]

The corpus is bench_ingest's: `--pages` distinct copies of the ../shared/data/news_html_gold pages. The baseline's
`tasks/` comes from `git archive` of `--baseline` (default: where this branch left main, `git merge-base HEAD
main`) and runs with this venv. Each run is a fresh process per side,
alternating baseline and current, that times with time.process_time (CPU, so a busy machine inflates it less than
wall time) after a warm-up batch of 3 pages (model and lexicons loaded):
- `transform`: process_for_load (process_documents before stop 25) over every page (what a transform worker runs,
  tasks/parallel.py: facts, and since stop 25 the search postings and story signatures);
- `rows`: to_rows over its articles (the flow process's share before the load: named rows, and before stop 25 the
  story signatures; the search tokenizing the load did in SQL before stop 25 is in neither).
Medians of `--runs`, and current / baseline ratios. For a change meant to keep outputs, both sides must produce the same
articles and the same story signatures and band keys: the digests are compared and a mismatch exits 1.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_ingest import build_real_corpus  # noqa: E402
from bench.timing import emit_json  # noqa: E402

_CHILD = """
import dataclasses, hashlib, json, sys, time
from pathlib import Path
from tasks.transforms.models import RawDocument
from tasks.transforms import pipeline
from tasks.transforms.rows import to_rows
# What a worker runs: since stop 25 the articles' index entries too (before, to_rows made the signatures).
process_documents = getattr(pipeline, "process_for_load", pipeline.process_documents)
docs = [RawDocument(str(p), p.read_bytes(), "html") for p in sorted(Path(sys.argv[1]).glob("*.html"))]
process_documents(docs[:3])
started = time.process_time()
articles, rejects = process_documents(docs)
transform = time.process_time() - started
started = time.process_time()
rows = [to_rows(a) for a in articles]
seconds_rows = time.process_time() - started
stories = [(r.story_signatures, r.story_bands) for r in rows]
# The offset map as a tuple (an array since stop 25), and no index entry (stop 25's; the stories digest covers it).
same = [[(f.name, tuple(a.offsets) if f.name == "offsets" else getattr(a, f.name))
         for f in dataclasses.fields(a) if f.name != "index"] for a in articles]
print("RESULT " + json.dumps({"transform": transform, "rows": seconds_rows, "articles": len(articles),
      "rejects": len(rejects), "articles_sha256": hashlib.sha256(repr(same).encode()).hexdigest(),
      "stories_sha256": hashlib.sha256(repr(stories).encode()).hexdigest()}))
"""


def run_side(code_root: Path, corpus: Path) -> dict[str, object]:
    """One measurement in a fresh process whose `tasks` package is the one under code_root."""
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(corpus)], cwd=code_root, capture_output=True, text=True, check=True
    )
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line.removeprefix("RESULT "))  # type: ignore[no-any-return]


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def export_revision(revision: str, into: Path) -> None:
    """The revision's tasks/ package (code and model files) under `into`."""
    archive = subprocess.run(["git", "archive", revision, "tasks"], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--baseline", help="git revision to compare against (default: merge-base of HEAD and main)"
    )
    parser.add_argument("--pages", type=int, default=250)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    baseline = args.baseline or _git("merge-base", "HEAD", "main")
    with tempfile.TemporaryDirectory(prefix="bench_transform_cpu-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        total_bytes = build_real_corpus(corpus, args.pages)
        baseline_root = work / "baseline"
        baseline_root.mkdir()
        export_revision(baseline, baseline_root)
        sides = {"baseline": baseline_root, "current": ROOT}
        results: dict[str, list[dict[str, object]]] = {side: [] for side in sides}
        for _ in range(args.runs):
            for side, code_root in sides.items():  # alternating, so a busy spell hits both sides
                results[side].append(run_side(code_root, corpus))
    summary: dict[str, object] = {"pages": args.pages, "mb": round(total_bytes / 1e6, 1), "runs": args.runs}
    for side, runs in results.items():
        summary[side] = {
            key: round(statistics.median(float(r[key]) for r in runs), 3)  # type: ignore[arg-type]
            for key in ("transform", "rows")
        } | {"articles": runs[0]["articles"], "rejects": runs[0]["rejects"]}
    base, cur = summary["baseline"], summary["current"]
    summary["current_over_baseline"] = {
        key: round(cur[key] / base[key], 3)  # type: ignore[index]
        for key in ("transform", "rows")
    }
    digests = {
        side: {(r["articles_sha256"], r["stories_sha256"]) for r in runs} for side, runs in results.items()
    }
    summary["outputs_identical"] = len(digests["baseline"] | digests["current"]) == 1
    summary["digests"] = {side: sorted(map(list, found)) for side, found in digests.items()}
    summary["baseline_revision"] = baseline
    emit_json(summary, args.out)
    return 0 if summary["outputs_identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
