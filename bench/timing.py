"""The one timing loop the benchmarks share: median over repeated passes, warm-up outside the timing."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path


def chars_per_second(fn: Callable[[str], object], texts: list[str], runs: int) -> float:
    """Median chars/s of `runs` passes of `fn` over `texts` (one warm-up call first)."""
    if not texts:
        return 0.0
    fn(texts[0])  # build lexicons / load dictionaries outside the timing
    chars = sum(len(t) for t in texts)
    timings = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for t in texts:
            fn(t)
        timings.append(time.perf_counter() - t0)
    return chars / statistics.median(timings)


def emit_json(result: object, out: Path | None) -> None:
    """Print a benchmark's result as JSON, and write it to `out` when given."""
    text = json.dumps(result, indent=1, ensure_ascii=False)
    print(text)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
