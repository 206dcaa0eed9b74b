"""Peak memory and time of the search index's whole re-sort under DuckDB memory limits (warehouse/search_index.py).

    .venv/bin/python bench/probe_sort_memory.py [--rows 20000000] [--recent 2500000] [--runs 3]
        [--limits none 256 96 64] [--out bench/results/probe_sort_memory.json]

Pure DuckDB, no newsetl code: a file holds `--rows` sorted postings (term ids spread as hashes are) and `--recent`
unsorted ones; each case opens it in a fresh process, sets `memory_limit` (MB; `none` leaves DuckDB's default of
80% of RAM), and writes both into a new table sorted by (term_id, doc_id) in one transaction, as a move's re-sort
does. Reported per limit: the medians over `--runs` of seconds and of the resident MB the sort added (sampled every
5 ms), and both as ratios to the first limit, run in the same invocation.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import emit_json  # noqa: E402

_CHILD = """
import json, os, sys, threading, time
import duckdb
def resident_mb():
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
peak = [0.0]
def sample():
    while True:
        peak[0] = max(peak[0], resident_mb())
        time.sleep(0.005)
db, limit = sys.argv[1], sys.argv[2]
conn = duckdb.connect(db)
conn.execute("SET GLOBAL max_vacuum_tasks = 0")
conn.execute("SELECT count(*) FROM postings").fetchall()
threading.Thread(target=sample, daemon=True).start()
time.sleep(0.05)
base = resident_mb()
peak[0] = base
if limit != "none":
    conn.execute(f"SET memory_limit = '{int(limit)}MB'")
started = time.perf_counter()
conn.execute("BEGIN")
conn.execute("CREATE TABLE sorted (term_id BIGINT NOT NULL, doc_id INTEGER NOT NULL, tf INTEGER NOT NULL)")
conn.execute("INSERT INTO sorted SELECT * FROM (SELECT * FROM postings UNION ALL SELECT * FROM recent) "
             "ORDER BY term_id, doc_id")
conn.execute("ROLLBACK")
seconds = time.perf_counter() - started
time.sleep(0.02)
print(json.dumps({"seconds": seconds, "added_mb": peak[0] - base}))
"""


def build(path: Path, rows: int, recent: int) -> None:
    """The sorted postings and the recent ones, as a load leaves them."""
    with duckdb.connect(str(path)) as conn:
        conn.execute(
            "CREATE TABLE postings AS SELECT (hash(i) >> 1)::BIGINT AS term_id, (i // 700000)::INTEGER AS doc_id, "
            "1 AS tf FROM range(?) AS t(i) ORDER BY term_id",
            [rows],
        )
        conn.execute(
            "CREATE TABLE recent AS SELECT (hash(i + ?) >> 1)::BIGINT AS term_id, "
            "(i // 700000)::INTEGER AS doc_id, 1 AS tf FROM range(?) AS t(i)",
            [rows, recent],
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=20_000_000)
    parser.add_argument("--recent", type=int, default=2_500_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--limits", nargs="+", default=["none", "256", "96", "64"])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result: dict[str, object] = {"rows": args.rows, "recent": args.recent, "runs": args.runs, "limits": {}}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "postings.duckdb"
        build(db, args.rows, args.recent)
        samples: dict[str, list[dict[str, float]]] = {limit: [] for limit in args.limits}
        for _ in range(args.runs):  # interleaved, so a busy spell of the machine touches every limit alike
            for limit in args.limits:
                proc = subprocess.run(
                    [sys.executable, "-c", _CHILD, str(db), limit], capture_output=True, text=True, check=True
                )
                samples[limit].append(json.loads(proc.stdout.strip().splitlines()[-1]))
    first = None
    for limit, runs in samples.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        added = statistics.median(r["added_mb"] for r in runs)
        first = first or (seconds, added)
        result["limits"][limit] = {  # type: ignore[index]
            "seconds": round(seconds, 2),
            "added_mb": round(added),
            "seconds_ratio": round(seconds / first[0], 2),
            "added_mb_ratio": round(added / first[1], 3),
        }
    emit_json(result, args.out)


if __name__ == "__main__":
    main()
