"""Peak memory of DuckDB checkpoints as a table of long strings grows (why a run's memory still grows, issue 11).

    .venv/bin/python bench/probe_checkpoint_memory.py --chars 5000 --rows 2000 --batches 16 [--row-group-size 2048]
        [--max-vacuum-tasks 0] [--primary-key] [--out bench/results/probe_checkpoint_memory.json]

Pure DuckDB, no newsetl code: each batch opens the file, appends `--rows` strings of `--chars` random Han characters
(as a load appends article bodies) in one transaction, checkpoints and closes. Reported per batch: the process's
resident MB before, its peak during the batch (sampled every 5 ms) and the file's size. With DuckDB's default row
groups (122,880 rows) the peak grows with what the table holds: each append after a checkpoint starts a small row
group, and a checkpoint's vacuum merges them into one, rewriting the merged rows, long strings included (DuckDB PRs
#18829, #21316); the file doubles at each such merge.
`--row-group-size` attaches the file with smaller row groups, which bounds what a merge rewrites;
`--max-vacuum-tasks 0` stops the merging (small row groups then accumulate); `--primary-key` keys the table.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import emit_json  # noqa: E402


def _resident_mb() -> float:
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _open(path: Path, row_group_size: int | None, max_vacuum_tasks: int | None) -> duckdb.DuckDBPyConnection:
    if row_group_size is None:
        conn = duckdb.connect(str(path))
    else:
        conn = duckdb.connect()
        conn.execute(f"ATTACH '{path}' AS warehouse (ROW_GROUP_SIZE {int(row_group_size)})")
        conn.execute("USE warehouse")
    if max_vacuum_tasks is not None:
        conn.execute(f"SET max_vacuum_tasks = {int(max_vacuum_tasks)}")
    return conn


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chars", type=int, default=5000)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--batches", type=int, default=16)
    parser.add_argument("--row-group-size", type=int)
    parser.add_argument("--max-vacuum-tasks", type=int, help="0: checkpoints never merge row groups")
    parser.add_argument(
        "--primary-key", action="store_true", help="article_id as the table's key, as in newsetl"
    )
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    peak = [0.0]

    def sample() -> None:
        while True:
            peak[0] = max(peak[0], _resident_mb())
            time.sleep(0.005)

    threading.Thread(target=sample, daemon=True).start()
    rng = random.Random(1)
    text = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(args.chars + 1000))
    batches = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "probe.duckdb"
        conn = _open(path, args.row_group_size, args.max_vacuum_tasks)
        key = " PRIMARY KEY" if args.primary_key else ""
        conn.execute(f"CREATE TABLE articles (article_id VARCHAR{key}, body VARCHAR)")
        conn.close()
        for b in range(args.batches):
            ids = [f"{b}-{k}" for k in range(args.rows)]
            bodies = [
                text[k % 1000 : k % 1000 + args.chars] + str(b * args.rows + k) for k in range(args.rows)
            ]
            conn = _open(path, args.row_group_size, args.max_vacuum_tasks)
            before = peak[0] = _resident_mb()
            conn.execute("BEGIN TRANSACTION")
            conn.execute("INSERT INTO articles SELECT unnest(?), unnest(?)", [ids, bodies])
            conn.execute("COMMIT")
            conn.execute("CHECKPOINT")
            conn.close()
            batches.append({"before_mb": round(before), "peak_mb": round(peak[0]),
                            "file_mb": round(path.stat().st_size / 2**20)})  # fmt: skip
    emit_json({"chars": args.chars, "rows": args.rows, "row_group_size": args.row_group_size,
               "max_vacuum_tasks": args.max_vacuum_tasks, "primary_key": args.primary_key,
               "batches": batches}, args.out)  # fmt: skip


if __name__ == "__main__":
    main()
