"""Is extract_metrics linear in text length? chars/s on real and adversarial texts at 1x, 8x and 64x their size.

Each input is repeated to 1x, 8x and 64x; the ratio is chars/s at that size over chars/s at 1x, measured in the same
invocation (median of `--runs`). A linear stage keeps the ratio near 1; a quadratic one falls about 8x per step.
Adversarial inputs are ones a quadratic look-behind would choke on: a clause with no break and many figures,
digits without a unit, and a run of numerals.

    .venv/bin/python bench/bench_metrics.py --out bench/results/bench_metrics.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_facts import load_bodies  # noqa: E402
from bench.timing import chars_per_second  # noqa: E402
from tasks.transforms.facts.metrics import extract_metrics  # noqa: E402

GOLD = ROOT.parent / "shared" / "data" / "news_html_gold" / "gold_unified.jsonl"
SCALES = (1, 8, 64)


def inputs() -> dict[str, str]:
    """Name -> base text (about 2-20 K characters) of each input."""
    texts = {
        "no_break_figures": "销售额同比增长5%和3.2亿元、" * 400,
        "digits_no_unit": "1234567890" * 400,
        "numerals": "三千一百八十五" * 600,
        "list_without_unit": "34.5、" * 800 + "85.9亿元",
    }
    if GOLD.exists():
        texts["news_html_gold"] = "\n".join(load_bodies(GOLD))[:20000]
    return texts


def measure(runs: int) -> dict[str, dict[str, float]]:
    """chars/s at each scale and the ratio to 1x, per input."""
    out: dict[str, dict[str, float]] = {}
    for name, base in inputs().items():
        speeds = {n: chars_per_second(extract_metrics, [base * n], runs) for n in SCALES}
        out[name] = {
            "chars_1x": len(base),
            **{f"chars_per_s_{n}x": speeds[n] for n in SCALES},
            **{f"ratio_{n}x": speeds[n] / speeds[1] for n in SCALES[1:]},
        }
    return out


def main() -> None:
    """Parse args, measure, print and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    res = measure(args.runs)
    for name, r in res.items():
        print(
            f"{name:<18} {r['chars_1x']:>6.0f} chars: {r['chars_per_s_1x']:>12,.0f} chars/s at 1x; "
            f"ratio 8x {r['ratio_8x']:.2f}, 64x {r['ratio_64x']:.2f}"
        )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(res, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
