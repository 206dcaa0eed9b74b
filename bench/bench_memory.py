"""Peak RSS of one process transforming one large input (issue 11 item 5: <= 700 MB per process on any input).

    .venv/bin/python bench/bench_memory.py --out bench/results/bench_memory.json [--runs 3] [--max-text-chars N]

Each case runs in a fresh process (resource.getrusage maxrss, so nothing of another case counts), which transforms
the input as a run's workers do (process_for_load: facts and index entry) and loads it into a fresh DuckDB file, as
a run does with a lone input in its own process: a small real article first (the baseline: imports, lexicons,
OpenCC), then a 15 MB one-line text, a 20 MB page of <p> paragraphs, 2 M random Han chars (every search bigram
distinct: the index's worst case) and a real gold page whose body is repeated up to 20 MB (the read cap is 20 MiB). Reported per case:
the median over `--runs` of wall seconds and peak RSS, the outcome (loaded, or the stage and reason of the reject)
and the RSS over the baseline's. `--max-text-chars` overrides the setting's default (2,000,000) to show the
cost without the cap.
"""

from __future__ import annotations

import argparse
import json
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
from tasks.transforms.pipeline import DEFAULT_MAX_TEXT_CHARS  # noqa: E402

SEED = ROOT / "samples" / "china_daily_2025-04-20_liuzhou_ip_week.txt"
GOLD_PAGE = ROOT.parent / "shared" / "data" / "news_html_gold" / "fundus" / "People_2024_04_24.html"

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from tasks.transforms.models import RawDocument
from tasks.transforms.pipeline import process_for_load
from tasks.transforms.rows import to_rows
from warehouse import repository
from warehouse.connection import connect
from warehouse.migrate import migrate
path, media_type, cap, db = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
doc = RawDocument(str(path), path.read_bytes(), media_type)
started = time.perf_counter()
articles, rejects = process_for_load([doc], max_text_chars=cap)
with connect(db) as conn:  # a lone input is transformed and loaded by the run's own process
    migrate(conn)
    repository.start_run(conn, "memory", None)
    repository.upsert_articles(conn, [to_rows(a) for a in articles], "memory")
seconds = time.perf_counter() - started
outcome = "loaded" if articles else f"{rejects[0].stage}: {rejects[0].reason.split(':')[0]}"
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_rss_mb": rss, "outcome": outcome}))
"""


def build_cases(folder: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, media type) of every case, written under folder."""
    seed = SEED.read_text("utf-8")
    cases = {"baseline_seed_article": (SEED, "text")}
    one_line = seed.replace("\n", "")
    text = folder / "one_line_15mb.txt"
    text.write_text(one_line * (15 * 1024 * 1024 // len(one_line.encode()) + 1), "utf-8")
    cases["text_15mb_one_line"] = (text, "text")
    paragraphs = "".join(f"<p>{line}</p>\n" for line in seed.splitlines() if line.strip())
    repeats = (MAX_FILE_BYTES - 200) // len(paragraphs.encode())
    page = folder / "paragraphs_20mb.html"
    page.write_text(f"<html><body><article>{paragraphs * repeats}</article></body></html>", "utf-8")
    cases["html_20mb_paragraphs"] = (page, "html")
    # The search index's worst case: every bigram distinct (random Han chars), just under the text cap.
    rng = random.Random(7)
    hostile = folder / "distinct_bigrams.txt"
    hostile.write_text(
        "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(DEFAULT_MAX_TEXT_CHARS - 10)), "utf-8"
    )
    cases["text_2m_chars_distinct_bigrams"] = (hostile, "text")
    if GOLD_PAGE.is_file():
        html = GOLD_PAGE.read_text("utf-8")
        body = re.search(r"(<body[^>]*>)(.*)(</body>)", html, re.S | re.I)
        if body:
            times = (MAX_FILE_BYTES - len(html.encode())) // len(body.group(2).encode())
            real = folder / "real_page_20mb.html"
            real.write_text(html[: body.start(2)] + body.group(2) * times + html[body.end(2) :], "utf-8")
            cases["html_20mb_real_page_repeated"] = (real, "html")
    return cases


def run_case(path: Path, media_type: str, cap: int) -> dict[str, object]:
    """One fresh process transforming one input and loading it into a fresh DuckDB file."""
    db = path.parent / f"memory-{time.monotonic_ns()}.duckdb"
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), media_type, str(cap), str(db)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--max-text-chars", type=int, default=DEFAULT_MAX_TEXT_CHARS)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result: dict[str, object] = {"max_text_chars": args.max_text_chars, "cases": {}}
    with tempfile.TemporaryDirectory() as tmp:
        base_rss = None
        for name, (path, media_type) in build_cases(Path(tmp)).items():
            runs = [run_case(path, media_type, args.max_text_chars) for _ in range(args.runs)]
            rss = statistics.median(float(r["peak_rss_mb"]) for r in runs)  # type: ignore[arg-type]
            base_rss = base_rss or rss
            result["cases"][name] = {  # type: ignore[index]
                "bytes": path.stat().st_size,
                "outcome": runs[0]["outcome"],
                "seconds": round(statistics.median(float(r["seconds"]) for r in runs), 2),  # type: ignore[arg-type]
                "peak_rss_mb": round(rss),
                "over_baseline_mb": round(rss - base_rss),
            }
    emit_json(result, args.out)


if __name__ == "__main__":
    main()
