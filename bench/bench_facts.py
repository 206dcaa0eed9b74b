"""Throughput of extract_facts (chars/second) over the news_html_gold body texts; median of 5 runs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.timing import chars_per_second  # noqa: E402
from tasks.transforms.facts import extract_facts  # noqa: E402

GOLD = Path(__file__).resolve().parents[2] / "shared" / "data" / "news_html_gold" / "gold_unified.jsonl"


def load_bodies(path: Path = GOLD) -> list[str]:
    """Every non-empty body_text of the gold file."""
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return [r["body_text"] for r in rows if r.get("body_text")]


def main(runs: int = 5) -> None:
    """Print articles, chars, and the median chars/s of `runs` passes."""
    bodies = load_bodies(Path(sys.argv[1]) if len(sys.argv) > 1 else GOLD)
    chars = sum(len(b) for b in bodies)
    speed = chars_per_second(extract_facts, bodies, runs)
    print(f"{len(bodies)} articles, {chars} chars, median {chars / speed:.3f} s, {speed:,.0f} chars/s")


if __name__ == "__main__":
    main()
