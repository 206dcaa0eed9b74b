"""Is `extract_page` linear in page size? Seconds per page as a real page grows, and as nesting deepens.

    .venv/bin/python bench/bench_html_scaling.py --out bench/results/bench_html_scaling.json [--runs 5]

Wide: the largest gold page's <body> repeated 1, 4, 16, 32 times. Deep: a page whose article sits 250 ... 8000
elements deep. Each number is the median of `--runs` timed calls; `ratio` divides by the smallest size's time
measured in the same invocation, so a linear stage shows ratios at most 4, 16, 32 (the head is not repeated)
and, deep, near the depth ratio (the markup grows with the depth). Past 2048 levels the page goes through
html_deep.parse_capped, libxml2's limit.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tasks.transforms.html import extract_page  # noqa: E402

GOLD = ROOT.parent / "shared" / "data" / "news_html_gold"
PARAGRAPH = "<p>深处的正文写在很深的层级里，这是文章最重要的一段话。记者在现场看到了很多细节。</p>"


def seconds(html: str, runs: int) -> float:
    """Median seconds of one `extract_page` call (after a warm-up call)."""
    extract_page(html)
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        extract_page(html)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def widened(html: str, times: int) -> str:
    """The page with its body content repeated `times` times."""
    match = re.search(r"(<body[^>]*>)(.*)(</body>)", html, re.S | re.I)
    if not match:
        return html * times
    return html[: match.start(2)] + match.group(2) * times + html[match.end(2) :]


def deepened(depth: int) -> str:
    return "<html><body>" + "<div>" * depth + PARAGRAPH * 5 + "</div>" * depth + "</body></html>"


def series(pages: dict[int, str], runs: int) -> dict[str, dict[str, float]]:
    """Seconds and ratio to the first size, per size."""
    timed = {size: seconds(html, runs) for size, html in pages.items()}
    base = timed[min(timed)]
    return {
        str(size): {"chars": len(pages[size]), "seconds": round(t, 5), "ratio": round(t / base, 2)}
        for size, t in timed.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if GOLD.is_dir():
        largest = max(GOLD.glob("*/**/*.html"), key=lambda p: p.stat().st_size if "gne" not in str(p) else 0)
        base = largest.read_text(encoding="utf-8", errors="replace")
    else:  # no ../shared: a synthetic article
        largest, base = Path("synthetic"), "<html><body><div>" + PARAGRAPH * 200 + "</div></body></html>"
    result = {
        "page": str(largest.relative_to(GOLD) if GOLD.is_dir() else largest),
        "wide": series({k: widened(base, k) for k in (1, 4, 16, 32)}, args.runs),
        "deep": series({d: deepened(d) for d in (250, 1000, 2000, 4000, 8000)}, args.runs),
    }
    print(json.dumps(result, indent=1))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
