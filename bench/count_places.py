"""How many places carry codes, and which aliases are linked, on the 81 real pages plus samples/.

Runs the pipeline over ../shared/data/news_html_gold and samples/ (as bench/audit_facts.py does) and counts location
mentions and distinct location entities with an adcode or an ISO country code, with a level, and the aliases by
rule, for all articles and for two fixed halves (by sorted source path; nothing here was tuned on either). Places
resolved from a short or shared name by the article's context are listed in full, for a person to check.

    .venv/bin/python bench/count_places.py --out bench/results/count_places.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.audit_facts import load_articles  # noqa: E402
from tasks.transforms.facts.data.adcodes import divisions_by_name  # noqa: E402
from tasks.transforms.facts.gazetteer import abbreviation_index, place_index  # noqa: E402
from tasks.transforms.models import Article  # noqa: E402


def count(articles: list[Article]) -> dict[str, Any]:
    """Location mentions and entities with codes and levels; aliases by rule."""
    mentions = [(m, a) for a in articles for m in a.facts.mentions if m.kind == "location"]
    places = {p.name: p for a in articles for p in a.facts.places}
    located = {m.name for m, _ in mentions}
    coded = {n for n in located if n in places and (places[n].adcode or places[n].country_code)}
    rules = Counter(x.rule for a in articles for x in a.facts.aliases)
    return {
        "articles": len(articles),
        "location_mentions": len(mentions),
        "location_mentions_with_code": sum(1 for m, _ in mentions if m.name in coded),
        "location_mentions_with_level": sum(1 for m, _ in mentions if m.level),
        "location_entities": len(located),
        "location_entities_with_code": len(coded),
        "location_entities_with_adcode": sum(1 for n in coded if places[n].adcode),
        "location_entities_with_level": len({m.name for m, _ in mentions if m.level}),
        "aliases_by_rule": dict(rules),
    }


def _relative(source_uri: str) -> str:
    """A source path as committed results show it: relative to the checkout (or ../shared), never machine-specific."""
    path = Path(source_uri)
    for base, prefix in ((ROOT, ""), (ROOT.parent / "shared", "../shared/")):
        if path.is_relative_to(base):
            return prefix + path.relative_to(base).as_posix()
    return path.name


def context_resolved(articles: list[Article]) -> list[dict[str, str]]:
    """Mentions the gazetteer could not name and no single division carries: resolved by their article."""
    by_name, known = divisions_by_name(), {**place_index(), **abbreviation_index()}
    out = {}
    for a in articles:
        codes = {p.name: p for p in a.facts.places}
        for m in a.facts.mentions:
            p = codes.get(m.name)
            if m.kind != "location" or p is None or not p.adcode or m.surface in known:
                continue
            if len(by_name.get(m.surface, ())) != 1:
                out[(m.surface, p.name)] = {"surface": m.surface, "place": p.name, "adcode": p.adcode,
                                            "parent": p.parent or "", "article": a.title or _relative(a.source_uri)}  # fmt: skip
    return list(out.values())


def main() -> None:
    """Count on the shared pages plus samples and write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    articles = sorted(load_articles(args.data), key=lambda a: a.source_uri)
    half = len(articles) // 2
    examples: dict[str, list[str]] = {}
    for a in articles:
        for x in a.facts.aliases:
            seen = examples.setdefault(x.rule, [])
            pair = f"{x.alias} -> {x.name}"
            if len(seen) < 12 and pair not in seen:
                seen.append(pair)
    result = {
        "command": "python bench/count_places.py",
        "all": count(articles),
        "first_half": count(articles[:half]),
        "second_half": count(articles[half:]),
        "alias_examples": examples,
        "resolved_by_context": context_resolved(articles),
    }
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
