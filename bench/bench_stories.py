"""Stories: pairwise precision/recall of story_id on copies built from real pages, and signature speed.

Run from the repository root:  .venv/bin/python bench/bench_stories.py --out bench/results/bench_stories.json
The news_html_gold pages with at least 300 characters of distinct body are the originals. Each gets three copies:
its lead rewritten (the first paragraph's clauses reordered, every third one dropped, an agency opener added), a
third of its paragraphs dropped, and site boilerplate added (credit, editor, related links), the last two combined
with the lead rewrite for one more. The real near-copies among the pages (the same BBC story three times, one
thepaper.cn story twice) are kept as they are; the other pages, many on the same topics (Huawei's 5G chips, Wuhan
during the epidemic, China-US relations), must stay apart. Originals load in run 1, copies in run 2 (a later run's
copy must join the stored story), through to_rows + upsert_articles into a fresh DuckDB file. Pairs are split by
original: even positions are the tuning half (SAME_STORY_SIMILARITY was set on it), odd ones held out.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search_eval import gold_articles  # noqa: E402

from tasks.transforms.rows import to_rows  # noqa: E402
from tasks.transforms.stories import signature_similarity, story_signature  # noqa: E402
from warehouse import repository  # noqa: E402
from warehouse.connection import connect  # noqa: E402
from warehouse.migrate import migrate  # noqa: E402
from warehouse.stories import SAME_STORY_SIMILARITY  # noqa: E402

BOILERPLATE = [
    "来源：本网综合 责任编辑：李明",
    "【相关阅读】",
    "· 多地出台新政策 业内人士解读",
    "· 专家：下半年经济有望继续回升",
    "（本文版权归原作者所有，转载请注明出处。如有侵权请联系删除）",
    "扫描二维码关注我们 点击查看更多精彩内容",
]


def _paragraphs(body: str) -> list[str]:
    return [p for p in body.split("\n") if p.strip()]


def rewrite_lead(body: str, rng: random.Random) -> str:
    """The first paragraph's clauses reordered, every third dropped, an agency opener in front."""
    paragraphs = _paragraphs(body)
    clauses = paragraphs[0].replace("。", "，").split("，")
    kept = [c for i, c in enumerate(clauses) if c and i % 3 != 2]
    rng.shuffle(kept)
    return "\n".join(["据本网记者报道，" + "，".join(kept) + "。", *paragraphs[1:]])


def drop_paragraphs(body: str, rng: random.Random) -> str:
    """A third of the paragraphs dropped (never all)."""
    paragraphs = _paragraphs(body)
    kept = [p for p in paragraphs if rng.random() > 1 / 3]
    return "\n".join(kept or paragraphs[:1])


def add_boilerplate(body: str, rng: random.Random) -> str:
    """Site furniture before and after the article."""
    return "\n".join([rng.choice(BOILERPLATE), body, *BOILERPLATE])


def build_set(seed: int = 11) -> tuple[list, list]:
    """(originals, copies): Articles with `source_uri` naming the copy and a `group` map kept by the caller."""
    rng = random.Random(seed)
    seen, originals = set(), []
    for a in gold_articles():
        if len(a.body) >= 300 and a.body not in seen and len(a.body) < 20000:
            seen.add(a.body)
            originals.append(a)
    copies = []
    for a in originals:
        bodies = {
            "lead": rewrite_lead(a.body, rng),
            "dropped": drop_paragraphs(a.body, rng),
            "boilerplate": add_boilerplate(a.body, rng),
            "all": add_boilerplate(drop_paragraphs(rewrite_lead(a.body, rng), rng), rng),
        }
        for kind, body in bodies.items():
            uri = f"{a.source_uri}#{kind}"
            copies.append(replace(a, source_uri=uri, url=None, body=body, content_sha256=uri))
    return originals, copies


def _truth(originals: list) -> dict[str, str]:
    """source_uri -> original's source_uri, with the real near-copies among the pages merged by title."""
    by_title: dict[str, str] = {}
    truth = {}
    for a in originals:
        # The BBC story and the thepaper.cn story: same title, near-identical body (checked by hand).
        truth[a.source_uri] = by_title.setdefault(a.title or a.source_uri, a.source_uri)
    return truth


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    originals, copies = build_set()
    truth = _truth(originals)
    for c in copies:
        truth[c.source_uri] = truth[c.source_uri.split("#")[0]]
    with tempfile.TemporaryDirectory() as tmp, connect(Path(tmp) / "w.duckdb") as conn:
        migrate(conn)
        for run, batch in (("run1", originals), ("run2", copies)):
            repository.start_run(conn, run, None)
            repository.upsert_articles(conn, [to_rows(a) for a in batch], run)
        story = dict(conn.execute("SELECT source_uri, story_id FROM articles").fetchall())
    half = {a.source_uri: ("tune" if i % 2 == 0 else "held_out") for i, a in enumerate(originals)}
    report: dict = {"originals": len(originals), "copies": len(copies), "threshold": SAME_STORY_SIMILARITY}
    for name in ("tune", "held_out", "all"):
        uris = [u for u in story if name == "all" or half[truth[u]] == name or half[u.split("#")[0]] == name]
        tp = fp = fn = 0
        for x, y in combinations(uris, 2):
            same_true, same_pred = truth[x] == truth[y], story[x] == story[y]
            tp += same_true and same_pred
            fp += same_pred and not same_true
            fn += same_true and not same_pred
        report[name] = {
            "articles": len(uris),
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
            "false_pairs": fp,
            "missed_pairs": fn,
        }
    # Estimated similarity of each copy kind to its original, and of the closest different page (for the threshold).
    sigs = {a.source_uri: story_signature(a.body).values for a in [*originals, *copies]}
    kinds: dict[str, list[float]] = {}
    for c in copies:
        base, kind = c.source_uri.split("#")
        kinds.setdefault(kind, []).append(signature_similarity(sigs[c.source_uri], sigs[base]))
    apart = [
        signature_similarity(sigs[x.source_uri], sigs[y.source_uri])
        for x, y in combinations(originals, 2)
        if truth[x.source_uri] != truth[y.source_uri]
    ]
    report["similarity"] = {
        **{f"copy_{k}_min": round(min(v), 3) for k, v in kinds.items()},
        **{f"copy_{k}_median": round(statistics.median(v), 3) for k, v in kinds.items()},
        "different_pages_max": round(max(apart), 3),
    }
    bodies = [a.body for a in originals]
    t0 = time.perf_counter()
    for body in bodies:
        story_signature(body)
    elapsed = time.perf_counter() - t0
    report["signature_chars_per_second"] = round(sum(map(len, bodies)) / elapsed)
    report["signature_ms_per_article"] = round(1000 * elapsed / len(bodies), 2)
    text = json.dumps(report, ensure_ascii=False, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
