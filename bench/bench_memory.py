"""Peak RSS of one process transforming and loading large inputs (issue 11 item 5: <= 700 MB per process on any input).

    .venv/bin/python bench/bench_memory.py --out bench/results/bench_memory.json [--runs 3] [--max-text-bytes N]

Each case runs in a fresh process (resource.getrusage maxrss, so nothing of another case counts), which transforms
its inputs as a run's workers do (process_for_load: facts and index entry) and loads them into a fresh DuckDB file,
as a run with one transform process does: a small real article first (the baseline: imports, lexicons, OpenCC),
then a 15 MB one-line text, a 20 MB page of <p> paragraphs, a 2 MB text of random Han chars (every search bigram
distinct: the index's worst case; garbled, so it gets no facts), 2 MB of the seed's prose repeated (the facts'
worst case), four random ones at once (a run's batch part of 8 MiB) and a real gold page whose
body is repeated up to 20 MB (the read cap is 20 MiB). Reported per case: the median over `--runs` of wall seconds
and peak RSS, the outcome (articles loaded, or the stage and reason of the reject) and the RSS over the baseline's.
`--max-text-bytes` overrides the setting's default (2,000,000 bytes of UTF-8) to show the cost without the cap.
Then whole `newsetl ingest FOLDER` runs over 4, 16 and 48 such texts (`--run-inputs`; 48 reach a whole re-sort of
the search postings) and over 4 and 16 texts of 2 MB of real prose (`--prose-run-inputs`), on 1 and 2 processes:
the peak resident memory of the run's main process (Prefect, the transform on 1 process, the DuckDB writer) and of
its largest worker, sampled every 20 ms, which must stay flat as the folder grows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.timing import emit_json  # noqa: E402
from tasks.files import MAX_FILE_BYTES  # noqa: E402
from tasks.transforms.pipeline import DEFAULT_MAX_TEXT_BYTES  # noqa: E402

SEED = ROOT / "samples" / "china_daily_2025-04-20_liuzhou_ip_week.txt"
GOLD_PAGE = ROOT.parent / "shared" / "data" / "news_html_gold" / "fundus" / "People_2024_04_24.html"

_CHILD = """
import json, os, resource, sys, time
from pathlib import Path
from tasks.transforms.models import RawDocument
from tasks.transforms.pipeline import process_for_load
from tasks.transforms.rows import to_rows
from warehouse import repository
from warehouse.connection import connect
from warehouse.migrate import migrate
paths, media_type, cap, db = sys.argv[1].split(os.pathsep), sys.argv[2], int(sys.argv[3]), sys.argv[4]
docs = [RawDocument(p, Path(p).read_bytes(), media_type) for p in paths]
started = time.perf_counter()
articles, rejects = process_for_load(docs, max_text_bytes=cap)
with connect(db) as conn:  # a lone input is transformed and loaded by the run's own process
    migrate(conn)
    repository.start_run(conn, "memory", None)
    repository.upsert_articles(conn, [to_rows(a) for a in articles], "memory")
seconds = time.perf_counter() - started
outcome = f"loaded {len(articles)}" if articles else f"{rejects[0].stage}: {rejects[0].reason.split(':')[0]}"
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_rss_mb": rss, "outcome": outcome}))
"""


def real_prose() -> str:
    """The seed's prose repeated to just under the text cap: every name and number found again in each copy."""
    seed = SEED.read_text("utf-8")
    return seed * ((DEFAULT_MAX_TEXT_BYTES - 100) // len(seed.encode()))


def build_cases(folder: Path) -> dict[str, tuple[list[Path], str]]:
    """name -> (files, media type) of every case, written under folder."""
    seed = SEED.read_text("utf-8")
    cases = {"baseline_seed_article": ([SEED], "text")}
    one_line = seed.replace("\n", "")
    text = folder / "one_line_15mb.txt"
    text.write_text(one_line * (15 * 1024 * 1024 // len(one_line.encode()) + 1), "utf-8")
    cases["text_15mb_one_line"] = ([text], "text")
    paragraphs = "".join(f"<p>{line}</p>\n" for line in seed.splitlines() if line.strip())
    repeats = (MAX_FILE_BYTES - 200) // len(paragraphs.encode())
    page = folder / "paragraphs_20mb.html"
    page.write_text(f"<html><body><article>{paragraphs * repeats}</article></body></html>", "utf-8")
    cases["html_20mb_paragraphs"] = ([page], "html")
    # The search index's worst case: every bigram distinct (random Han chars, 3 bytes each), just under the text
    # cap; then four of them, a run's whole batch part (BATCH_MAX_BYTES) transformed and loaded by one process.
    rng = random.Random(7)
    hostile = []
    for k in range(4):
        hostile.append(folder / f"distinct_bigrams_{k}.txt")
        chars = (DEFAULT_MAX_TEXT_BYTES - 10) // 3
        hostile[-1].write_text("".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(chars)), "utf-8")
    cases["text_2mb_distinct_bigrams"] = (hostile[:1], "text")
    # Random Han is garbled (quality guard): stored and indexed, but it gets no facts. The facts' worst case is real
    # prose just under the cap.
    prose = folder / "real_text_2mb.txt"
    prose.write_text(real_prose(), "utf-8")
    cases["text_2mb_real_prose"] = ([prose], "text")
    cases["batch_4x2mb_distinct_bigrams"] = (hostile, "text")
    if GOLD_PAGE.is_file():
        html = GOLD_PAGE.read_text("utf-8")
        body = re.search(r"(<body[^>]*>)(.*)(</body>)", html, re.S | re.I)
        if body:
            times = (MAX_FILE_BYTES - len(html.encode())) // len(body.group(2).encode())
            real = folder / "real_page_20mb.html"
            real.write_text(html[: body.start(2)] + body.group(2) * times + html[body.end(2) :], "utf-8")
            cases["html_20mb_real_page_repeated"] = ([real], "html")
    return cases


def run_case(paths: list[Path], media_type: str, cap: int) -> dict[str, object]:
    """One fresh process transforming the inputs and loading them into a fresh DuckDB file."""
    db = paths[0].parent / f"memory-{time.monotonic_ns()}.duckdb"
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, os.pathsep.join(map(str, paths)), media_type, str(cap), str(db)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _tree_rss_mb(pid: int) -> dict[int, float]:
    """Resident MB of a process and its descendants (Linux /proc), by pid."""
    out: dict[int, float] = {}
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/statm", "rb") as statm:
                out[current] = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
            with open(f"/proc/{current}/task/{current}/children") as children:
                pending.extend(int(c) for c in children.read().split())
        except OSError:
            continue
    return out


def run_folder(folder: Path, workers: int) -> dict[str, float]:
    """A whole `newsetl ingest FOLDER` run: peak resident MB of its main process and of its largest worker."""
    env = {**os.environ, "NEWSETL_TRANSFORM_WORKERS": str(workers)}
    db = folder.parent / f"run-{time.monotonic_ns()}.duckdb"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("newsetl")), "ingest", str(folder), "--db", str(db)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    main_peak = worker_peak = 0.0
    while proc.poll() is None:  # sampled every 20 ms: a peak shorter than that can be missed
        sizes = _tree_rss_mb(proc.pid)
        main_peak = max(main_peak, sizes.pop(proc.pid, 0.0))
        worker_peak = max([worker_peak, *sizes.values()])
        time.sleep(0.02)
    if proc.returncode:
        raise RuntimeError(f"newsetl ingest {folder} exited {proc.returncode}")
    return {"seconds": round(time.perf_counter() - started, 1), "main_peak_mb": round(main_peak),
            "worker_peak_mb": round(worker_peak)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--max-text-bytes", type=int, default=DEFAULT_MAX_TEXT_BYTES)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--run-inputs", type=int, nargs="*", default=[4, 16, 48],
        help="whole runs over folders of this many 2 MB distinct-bigram texts (none: skip)",
    )  # fmt: skip
    parser.add_argument(
        "--prose-run-inputs", type=int, nargs="*", default=[4, 16],
        help="whole runs over folders of this many 2 MB texts of real prose, each with facts (none: skip)",
    )  # fmt: skip
    args = parser.parse_args()
    result: dict[str, object] = {"max_text_bytes": args.max_text_bytes, "cases": {}}
    with tempfile.TemporaryDirectory() as tmp:
        base_rss = None
        for name, (paths, media_type) in build_cases(Path(tmp)).items():
            runs = [run_case(paths, media_type, args.max_text_bytes) for _ in range(args.runs)]
            rss = statistics.median(float(r["peak_rss_mb"]) for r in runs)  # type: ignore[arg-type]
            base_rss = base_rss or rss
            result["cases"][name] = {  # type: ignore[index]
                "bytes": sum(p.stat().st_size for p in paths),
                "outcome": runs[0]["outcome"],
                "seconds": round(statistics.median(float(r["seconds"]) for r in runs), 2),  # type: ignore[arg-type]
                "peak_rss_mb": round(rss),
                "over_baseline_mb": round(rss - base_rss),
            }
        # Flat as the corpus grows: whole runs over more and more worst-case texts, on 1 and 2 transform processes.
        result["runs"] = {}
        for n in args.run_inputs:
            folder = Path(tmp) / f"folder_{n}"
            folder.mkdir()
            rng = random.Random(n)
            for k in range(n):
                text = "".join(
                    chr(rng.randint(0x4E00, 0x9FA5)) for _ in range((DEFAULT_MAX_TEXT_BYTES - 10) // 3)
                )
                (folder / f"text_{k}.txt").write_text(text, "utf-8")
            for workers in (1, 2):
                result["runs"][f"{n}_texts_{workers}_process"] = run_folder(folder, workers)  # type: ignore[index]
        # The facts' worst case as a run: real prose just under the cap, each file its own text.
        prose = real_prose()
        for n in args.prose_run_inputs:
            folder = Path(tmp) / f"prose_{n}"
            folder.mkdir()
            for k in range(n):
                (folder / f"prose_{k}.txt").write_text(f"第{k}篇\n{prose}", "utf-8")
            for workers in (1, 2):
                result["runs"][f"{n}_prose_texts_{workers}_process"] = run_folder(folder, workers)  # type: ignore[index]
    emit_json(result, args.out)


if __name__ == "__main__":
    main()
