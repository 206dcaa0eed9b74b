"""Share of what analysts see that a person judged right: entities in 2+ articles, and people_titles rows.

Runs the pipeline over the 81 pages of ../shared/data/news_html_gold plus samples/ (what
`newsetl ingest '../shared/data/news_html_gold/**/*.html' samples` loads), takes the entities (kind, name) that
occur in two or more articles (the `entity_mentions` view) and every distinct (person, title, organization) of
`roles` (the `people_titles` view), and looks each up in the judgements of tests/fixtures/facts_audit/. A row
nobody judged yet is counted apart (`unjudged`) and listed: judge it and add it to the fixture.

The 81 pages are split in two halves by a stable hash of their path under news_html_gold (`half_of`): rules are
tuned on half A (with the samples, the project's own seed articles), and half B is reported untouched. A half
counts the entities in 2+ of its own articles and the role rows of its own articles.

    .venv/bin/python bench/audit_facts.py --out bench/results/audit_facts.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tasks.files import discover_inputs, read_refs  # noqa: E402
from tasks.transforms.models import Article  # noqa: E402
from tasks.transforms.pipeline import process_documents  # noqa: E402
from tasks.transforms.rows import article_key, stored_mentions  # noqa: E402

AUDIT = ROOT / "tests" / "fixtures" / "facts_audit"
EntityKey = tuple[str, str]
RoleKey = tuple[str, str, str | None]


def half_of(source_uri: str, gold: Path) -> str:
    """ "A" or "B" for a gold page (by the SHA-256 of its path under news_html_gold); "A" for a sample."""
    try:
        rel = Path(source_uri).relative_to(gold).as_posix()
    except ValueError:
        return "A"  # the samples: the project's seed articles, tuned on long before this split
    return "AB"[hashlib.sha256(rel.encode("utf-8")).digest()[0] % 2]


def load_articles(data: Path) -> list[Article]:
    """The gold pages and the bundled samples through every stage, one article per article_id (as loaded)."""
    inputs = [str(data / "news_html_gold" / "**" / "*.html"), str(ROOT / "samples")]
    docs, _ = read_refs(discover_inputs(inputs))
    articles, _ = process_documents(docs)
    by_id = {article_key(a.url, a.source_uri): a for a in articles}  # a later duplicate replaces the earlier
    return list(by_id.values())


def observed(articles: list[Article]) -> tuple[set[EntityKey], set[RoleKey]]:
    """Entities in 2+ articles and distinct role rows, as the two views show them."""
    seen_in: dict[EntityKey, set[int]] = defaultdict(set)
    roles: set[RoleKey] = set()
    for i, article in enumerate(articles):
        for m in stored_mentions(article.facts):  # what the warehouse stores
            seen_in[(m.kind, m.name)].add(i)
        roles.update((r.person, r.title, r.organization) for r in article.facts.roles)
    return {k for k, ids in seen_in.items() if len(ids) >= 2}, roles


def judgements() -> tuple[dict[EntityKey, bool], dict[RoleKey, bool]]:
    """The committed verdicts: True = right."""
    ents = json.loads((AUDIT / "entities.json").read_text(encoding="utf-8"))["entities"]
    rows = json.loads((AUDIT / "people_titles.json").read_text(encoding="utf-8"))["people_titles"]
    return (
        {(e["kind"], e["name"]): e["verdict"] == "right" for e in ents},
        {(r["person"], r["title"], r["organization"]): r["verdict"] == "right" for r in rows},
    )


def _share(seen: set[Any], verdicts: dict[Any, bool]) -> dict[str, object]:
    judged = [k for k in seen if k in verdicts]
    right = sum(verdicts[k] for k in judged)
    return {
        "n": len(seen),
        "judged": len(judged),
        "right": right,
        "share_right": right / len(judged) if judged else 0.0,
        "wrong": sorted("/".join(str(x) for x in k) for k in judged if not verdicts[k]),
        "unjudged": sorted("/".join(str(x) for x in k) for k in seen if k not in verdicts),
    }


def audit(data: Path) -> dict[str, dict[str, object]]:
    """Shares right of the entities (2+ articles) and of the people_titles rows: the whole set, then each half."""
    articles = load_articles(data)
    entity_verdicts, role_verdicts = judgements()
    gold = data / "news_html_gold"
    res: dict[str, dict[str, object]] = {}
    for part in ("", "A", "B"):
        chosen = [a for a in articles if not part or half_of(a.source_uri, gold) == part]
        entities, roles = observed(chosen)
        suffix = f"_half_{part}" if part else ""
        res["entities" + suffix] = _share(entities, entity_verdicts)
        res["people_titles" + suffix] = _share(roles, role_verdicts)
        res["entities" + suffix]["articles"] = len(chosen)
    return res


def main() -> None:
    """Parse args, audit, print and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    res = audit(args.data)
    for key, v in res.items():
        print(
            f"{key:<22} right {v['right']}/{v['judged']} = {v['share_right']:.3f} "
            f"(shown {v['n']}, unjudged {len(v['unjudged'])})"  # type: ignore[arg-type]
        )
        if "half" in key:
            continue  # the halves' rows are among the whole set's
        for row in v["wrong"]:  # type: ignore[attr-defined]
            print("   wrong", row)
        for row in v["unjudged"]:  # type: ignore[attr-defined]
            print("   unjudged", row)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
