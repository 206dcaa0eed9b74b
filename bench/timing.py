"""The one timing loop the benchmarks share: median over repeated passes, warm-up outside the timing."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


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
