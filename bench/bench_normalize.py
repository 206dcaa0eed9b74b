"""Speed of normalize_text on the seed article: chars/second, median of 5 runs, with per-step timings.

Run from the repository root:  .venv/bin/python bench/bench_normalize.py [path ...]
The first (cold) call loads the OpenCC dictionaries and fills the pinyin / script caches; it is reported on its
own line and left out of the medians, which describe a long-running worker.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.transforms.normalize import (  # noqa: E402
    _clean_whitespace,
    _nfc,
    _remove_invisible,
    _to_simplified_mapped,
    detect_script,
    normalize_punctuation,
    normalize_text,
    strip_ruby,
)

SEED = (
    Path(__file__).resolve().parents[1]
    / "tests"
    / "fixtures"
    / "seed"
    / "china_daily_2025-04-20_liuzhou_ip_week.txt"
)
RUNS = 5


def median_seconds(fn: Callable[[], object], runs: int = RUNS) -> float:
    """Median wall time of `runs` calls of `fn`."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench(raw: str, name: str) -> None:
    """Print cold and warm timings of normalize_text and of each step on `raw`."""
    t0 = time.perf_counter()
    normalize_text(raw)
    cold = time.perf_counter() - t0

    # Inputs each step sees inside normalize_text, so every step is timed on realistic text.
    no_invisible, _ = _remove_invisible(raw)
    composed, _ = _nfc(no_invisible)
    stripped, _, _ = strip_ruby(composed)
    simplified, _ = _to_simplified_mapped(stripped)
    punctuated = normalize_punctuation(simplified)

    steps: list[tuple[str, Callable[[], object], int]] = [
        ("remove_invisible", lambda: _remove_invisible(raw), len(raw)),
        ("nfc", lambda: _nfc(no_invisible), len(no_invisible)),
        ("strip_ruby", lambda: strip_ruby(composed), len(composed)),
        ("detect_script", lambda: detect_script(stripped), len(stripped)),
        ("to_simplified (mapped)", lambda: _to_simplified_mapped(stripped), len(stripped)),
        ("normalize_punctuation", lambda: normalize_punctuation(simplified), len(simplified)),
        ("clean_whitespace", lambda: _clean_whitespace(punctuated), len(punctuated)),
    ]
    total = median_seconds(lambda: normalize_text(raw))
    print(f"{name}: {len(raw)} raw chars")
    print(f"  cold first call        {cold * 1e3:8.2f} ms  (dictionary loads + empty caches)")
    print(
        f"  normalize_text         {total * 1e3:8.2f} ms  {len(raw) / total / 1e6:6.3f} M raw chars/s (median of {RUNS})"
    )
    for label, fn, n in steps:
        t = median_seconds(fn)
        print(
            f"  {label:<22} {t * 1e3:8.2f} ms  {n / t / 1e6:6.3f} M chars/s  {100 * t / total:5.1f}% of total"
        )


def main(argv: list[str]) -> None:
    """Benchmark the seed, or the UTF-8 files given on the command line."""
    paths = [Path(p) for p in argv] or [SEED]
    for path in paths:
        bench(path.read_text(encoding="utf-8"), path.name)


if __name__ == "__main__":
    main(sys.argv[1:])
