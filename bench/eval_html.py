"""Score `extract_page` on the real gold pages in ../shared/data/news_html_gold.

Body: character-level F1 over non-whitespace characters, as a bag of characters (collections.Counter
intersection), so word order and line breaks do not matter but every extra or missing character does.
Title/date/author: accuracy on pages whose gold states them. Speed: pages per second of `extract_page` alone.

    .venv/bin/python bench/eval_html.py --out bench/results/eval_html.json
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lxml import html as lxml_html  # noqa: E402

from tasks.transforms.html import extract_page, normalize_date  # noqa: E402

GOLD_DIR = ROOT.parent / "shared" / "data" / "news_html_gold"
# Silver author labels that SOURCE.md itself calls wrong (GNE output: "搜索", "未知"); not scored.
BAD_SILVER_AUTHORS = {"搜索", "未知"}


def decode(payload: bytes, actual_encoding: str) -> tuple[str, str]:
    """Decode with the project's decode stage when it imports, else the manifest's measured encoding."""
    try:
        from tasks.transforms.decode import decode_bytes

        return decode_bytes(payload, declared_charset=None, source_uri="").text, "decode_bytes"
    except Exception:  # noqa: BLE001 - the stage is being written in parallel; any failure means fall back
        pass
    codec = re.split(r"[(\s]", actual_encoding or "")[0]
    if codec:
        try:
            return payload.decode(codec), f"manifest:{codec}"
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(payload).best()
    return (str(best), "charset_normalizer") if best else (payload.decode("utf-8", "replace"), "utf-8?")


def char_f1(predicted: str, gold: str) -> tuple[float, float, float]:
    """Precision, recall, F1 of the bags of non-whitespace characters."""
    pred = Counter(ch for ch in predicted if not ch.isspace())
    ref = Counter(ch for ch in gold if not ch.isspace())
    overlap = sum((pred & ref).values())
    if not pred or not ref or not overlap:
        return 0.0, 0.0, 0.0
    p, r = overlap / sum(pred.values()), overlap / sum(ref.values())
    return p, r, 2 * p * r / (p + r)


def gold_body(row: dict, gold_dir: Path) -> tuple[str | None, str]:
    """Gold body text, or the text of Readability's expected article HTML (marked as derived)."""
    if row.get("body_text"):
        return row["body_text"], "text"
    if row.get("body_html"):
        html_path = gold_dir / row["body_html"]
        source = html_path.read_text(encoding="utf-8") if html_path.is_file() else row["body_html"]
        return lxml_html.fromstring(source).text_content(), "html->text"
    return None, ""


def norm_title(title: str | None) -> str:
    return re.sub(r"\s+", "", title or "")


def title_ok(pred: str | None, gold: str) -> bool:
    """Equal ignoring whitespace, or equal to the gold minus a site suffix (Readability keeps `_光明网`)."""
    p, g = norm_title(pred), norm_title(gold)
    return bool(p) and (p == g or (g.startswith(p) and g[len(p) : len(p) + 1] in {"_", "-", "|", "–"}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_DIR)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    encodings = {
        (r["set"], r["id"]): r["actual_encoding"] for r in csv.DictReader(open(args.gold / "manifest.csv"))
    }
    rows = [json.loads(line) for line in open(args.gold / "gold_unified.jsonl", encoding="utf-8")]
    results, seconds = [], 0.0
    for row in rows:
        payload = (args.gold / row["html"]).read_bytes()
        text, decoder = decode(payload, encodings.get((row["set"], row["id"]), ""))
        start = time.perf_counter()
        page = extract_page(text, url=row.get("url"))
        seconds += time.perf_counter() - start
        gold, gold_kind = gold_body(row, args.gold)
        result = {"set": row["set"], "id": row["id"], "decoder": decoder, "chars": len(page.text)}
        if gold:
            p, r, f = char_f1(page.text, gold)
            result.update(body_kind=gold_kind, precision=round(p, 4), recall=round(r, 4), f1=round(f, 4))
        if row.get("must_include") or row.get("must_exclude"):
            result["include_hits"] = sum(s in page.text for s in row.get("must_include") or [])
            result["include_total"] = len(row.get("must_include") or [])
            result["exclude_leaks"] = sum(s in page.text for s in row.get("must_exclude") or [])
        if row.get("title"):
            result.update(
                title_gold=row["title"], title=page.title, title_ok=title_ok(page.title, row["title"])
            )
        gold_day = (normalize_date(row["date"]) or "")[:10] if row.get("date") else ""
        if gold_day:
            result.update(date_gold=gold_day, date=page.published_at)
            result["date_ok"] = (page.published_at or "")[:10] == gold_day
        authors = [a for a in row.get("authors") or [] if a not in BAD_SILVER_AUTHORS]
        if authors:
            result.update(author_gold=authors, author=page.author, author_ok=page.author in authors)
        results.append(result)

    summary = summarize(results, seconds)
    print_table(results, summary)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"summary": summary, "pages": results}, ensure_ascii=False, indent=1) + "\n"
    )


def summarize(results: list[dict], seconds: float) -> dict:
    def mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 4) if values else None

    def accuracy(key: str) -> dict:
        scored = [r[key] for r in results if key in r]
        return {"n": len(scored), "accuracy": mean([float(x) for x in scored])}

    bodies = [r for r in results if "f1" in r]
    not_silver = [r for r in bodies if r["set"] != "gne_silver"]
    return {
        "pages": len(results),
        "pages_per_second": round(len(results) / seconds, 1) if seconds else None,
        "body_f1_mean_all": mean([r["f1"] for r in bodies]),
        "body_n_all": len(bodies),
        "body_f1_mean_non_silver": mean([r["f1"] for r in not_silver]),
        "body_n_non_silver": len(not_silver),
        "body_precision_mean_all": mean([r["precision"] for r in bodies]),
        "body_recall_mean_all": mean([r["recall"] for r in bodies]),
        "snippets_included": f"{sum(r.get('include_hits', 0) for r in results)}/"
        f"{sum(r.get('include_total', 0) for r in results)}",
        "snippets_leaked": sum(r.get("exclude_leaks", 0) for r in results),
        "title": accuracy("title_ok"),
        "date": accuracy("date_ok"),
        "author": accuracy("author_ok"),
    }


def print_table(results: list[dict], summary: dict) -> None:
    print(f"{'set':20} {'id':42} {'P':>6} {'R':>6} {'F1':>6}  title date author")
    for r in results:
        if not any(k in r for k in ("f1", "title_ok", "date_ok", "author_ok", "include_hits")):
            continue
        scores = " ".join(f"{r[k]:6.3f}" if k in r else "     -" for k in ("precision", "recall", "f1"))
        marks = " ".join(
            ("ok" if r[k] else "NO").ljust(w) if k in r else "-".ljust(w)
            for k, w in (("title_ok", 5), ("date_ok", 4), ("author_ok", 6))
        )
        print(f"{r['set']:20} {r['id'][:42]:42} {scores}  {marks}")
    print(json.dumps(summary, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
