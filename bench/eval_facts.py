"""Score roles and metrics of `extract_facts` on tests/fixtures/facts_gold (real news_html_gold articles).

Matching: a role matches on (person, title); its organization is then scored as accuracy over matched roles.
A metric matches on (value, unit); its kind (count/share/growth/amount) is then scored over matched metrics.
Precision counts every role/metric we output on the gold articles, so facts the gold does not list count against
us: the gold lists every role it names, but only the main metrics, so metric precision is a lower bound.
Bodies are read from ../shared/data/news_html_gold (GPL-3.0 pages are not copied into the repo); a missing
article is skipped. Also prints chars/s of extract_facts over the bodies (median of `--runs`).

    .venv/bin/python bench/eval_facts.py --out bench/results/eval_facts.json
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.timing import chars_per_second  # noqa: E402
from tasks.transforms.facts import extract_facts  # noqa: E402

GOLD = ROOT / "tests" / "fixtures" / "facts_gold" / "roles_metrics.json"
# Date and author accuracy on the same pages is measured by bench/eval_html.py.


def load_bodies(data: Path) -> dict[tuple[str, str], str]:
    """body_text of every gold page, keyed by (set, id)."""
    path = data / "news_html_gold" / "gold_unified.jsonl"
    if not path.exists():
        return {}
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {(r["set"], r["id"]): r["body_text"] for r in rows if r.get("body_text")}


def _prf(tp: int, pred: int, gold: int) -> dict[str, float]:
    p, r = (tp / pred if pred else 0.0), (tp / gold if gold else 0.0)
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "pred": pred, "gold": gold}


def evaluate(data: Path, runs: int = 3) -> dict[str, object]:
    """Role and metric P/R/F1 plus attribute accuracy, misses, and speed."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    bodies = load_bodies(data)
    counts = dict.fromkeys(
        ("role_tp", "role_pred", "role_gold", "org_ok", "met_tp", "met_pred", "met_gold", "kind_ok"), 0
    )
    misses: list[str] = []
    texts = []
    for art in gold:
        body = bodies.get((art["set"], art["id"]))
        if body is None:
            continue
        texts.append(body)
        facts = extract_facts(body, art["published_at"])
        got_roles = {(r.person, r.title): r.organization for r in facts.roles}
        counts["role_pred"] += len(got_roles)
        for want in art["roles"]:
            counts["role_gold"] += 1
            key = (want["person"], want["title"])
            if key in got_roles:
                counts["role_tp"] += 1
                counts["org_ok"] += got_roles[key] == want["organization"]
            else:
                misses.append(f"{art['id']}: role {key}")
        got_metrics = {(m.value, m.unit): m.kind for m in facts.metrics}
        counts["met_pred"] += len(got_metrics)
        for want in art["metrics"]:
            counts["met_gold"] += 1
            key = (float(want["value"]), want["unit"])
            if key in got_metrics:
                counts["met_tp"] += 1
                counts["kind_ok"] += got_metrics[key] == want["kind"]
            else:
                misses.append(f"{art['id']}: metric {key}")
    speed = chars_per_second(extract_facts, texts, runs)
    c = counts
    return {
        "articles": len(texts),
        "roles": _prf(c["role_tp"], c["role_pred"], c["role_gold"]),
        "role_org_accuracy": c["org_ok"] / c["role_tp"] if c["role_tp"] else 0.0,
        "metrics": _prf(c["met_tp"], c["met_pred"], c["met_gold"]),
        "metric_kind_accuracy": c["kind_ok"] / c["met_tp"] if c["met_tp"] else 0.0,
        "chars_per_s": speed,
        "misses": misses,
    }


def main() -> None:
    """Parse args, evaluate, print and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    res = evaluate(args.data, args.runs)
    print(f"articles {res['articles']}, extract_facts {res['chars_per_s']:,.0f} chars/s")
    for key in ("roles", "metrics"):
        v: dict[str, float] = res[key]  # type: ignore[assignment]
        print(
            f"{key:<8} P {v['p']:.3f} R {v['r']:.3f} F1 {v['f1']:.3f} (tp {v['tp']}, pred {v['pred']}, gold {v['gold']})"
        )
    print(
        f"role organization accuracy {res['role_org_accuracy']:.3f}; metric kind accuracy {res['metric_kind_accuracy']:.3f}"
    )
    for miss in res["misses"]:  # type: ignore[attr-defined]
        print("  miss", miss)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
