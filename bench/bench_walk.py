"""Peak RSS of discovering inputs (a folder walk and a `**` glob) as the tree grows: it should stay flat.

    python bench/bench_walk.py            # trees of 1,000 / 10,000 / 50,000 files (100 per folder) + a symlink loop

Each measurement runs in a fresh process (ru_maxrss is a high-water mark); the median of --runs is reported, with
its ratio to the smallest tree measured in the same invocation. Prints JSON.
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

ROOT = Path(__file__).resolve().parents[1]

_MEASURE = """
import resource, sys, time
from tasks.files import discover_inputs
started = time.perf_counter()
n = sum(1 for _ in discover_inputs([sys.argv[1]]))
seconds = time.perf_counter() - started
print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, seconds)
"""


def make_tree(root: Path, n_files: int, per_folder: int = 100) -> None:
    """n_files small .txt files, per_folder to a folder, with a symlink from the last folder back to the root."""
    for i in range(n_files):
        folder = root / f"d{i // per_folder:05d}"
        if i % per_folder == 0:
            folder.mkdir(parents=True)
        (folder / f"f{i:07d}.txt").write_bytes(b"x")
    (root / f"d{(n_files - 1) // per_folder:05d}" / "loop").symlink_to(root)  # a symlink loop: must end


def measure(target: str) -> tuple[int, float, float]:
    """(inputs found, peak RSS MiB, seconds) of one discovery in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    n, rss, seconds = done.stdout.split()
    return int(n), float(rss), float(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="newsetl-walk-") as tmp:
        for size in args.sizes:
            tree = Path(tmp) / f"t{size}"
            started = time.perf_counter()
            make_tree(tree, size)
            built = time.perf_counter() - started
            for kind, target in (("folder", str(tree)), ("glob", f"{tree}/**/*.txt")):
                runs = [measure(target) for _ in range(args.runs)]
                results.append({
                    "files": size, "kind": kind, "found": runs[0][0],
                    "peak_rss_mib": round(statistics.median(r[1] for r in runs), 1),
                    "seconds": round(statistics.median(r[2] for r in runs), 3),
                    "tree_built_seconds": round(built, 1),
                })  # fmt: skip
    for row in results:
        base = next(r for r in results if r["kind"] == row["kind"])
        row["rss_ratio_to_smallest"] = round(row["peak_rss_mib"] / base["peak_rss_mib"], 3)
    print(json.dumps({"runs": args.runs, "results": results}, indent=2))


if __name__ == "__main__":
    main()
