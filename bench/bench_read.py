"""Reading a JSONL file grows linearly with its lines: CPU seconds to discover and read N and 4N lines, and the ratio.

Each line is a real sample article's text (samples/articles.jsonl) with a distinct id, so the JSON decoding is
what a real file costs. The file is sliced as `ingest` slices it (JSONL_SLICE_LINES lines per slice) and every
slice is read; linear reading gives a ratio near 4, re-reading the lines before each slice near 16.

    .venv/bin/python bench/bench_read.py [--lines 10000] [--runs 3] --out bench/results/bench_read.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.timing import emit_json  # noqa: E402
from tasks.files import discover_inputs, read_ref  # noqa: E402


def write_jsonl(path: Path, n: int) -> None:
    """n lines made from the bundled sample records, each with its own id."""
    records = [
        json.loads(line) for line in (ROOT / "samples" / "articles.jsonl").read_text("utf-8").splitlines()
    ]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            handle.write(json.dumps({**records[i % len(records)], "id": f"r{i}"}, ensure_ascii=False) + "\n")


def read_seconds(path: Path) -> tuple[float, int]:
    """CPU seconds to discover the file's slices and read every one, and the documents read."""
    started = time.process_time()
    docs = sum(len(read_ref(ref)[0]) for ref in discover_inputs([str(path)]))
    return time.process_time() - started, docs


def main() -> None:
    """Time N and 4N lines `--runs` times each (interleaved), print and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "small.jsonl", Path(tmp) / "large.jsonl"
        write_jsonl(small, args.lines)
        write_jsonl(large, 4 * args.lines)
        times: dict[str, list[float]] = {"small": [], "large": []}
        for _ in range(args.runs):
            for name, path, n in (("small", small, args.lines), ("large", large, 4 * args.lines)):
                seconds, docs = read_seconds(path)
                assert docs == n, (docs, n)
                times[name].append(seconds)
        result = {
            "lines": [args.lines, 4 * args.lines],
            "mb": [round(small.stat().st_size / 1e6, 1), round(large.stat().st_size / 1e6, 1)],
            "cpu_seconds": times,
            "median_s": [statistics.median(times["small"]), statistics.median(times["large"])],
            "ratio_4x_lines": statistics.median(times["large"]) / statistics.median(times["small"]),
        }
    emit_json(result, args.out)


if __name__ == "__main__":
    main()
