"""Score `extract_page` against trafilatura on the real gold pages in ../shared/data/news_html_gold.

    .venv/bin/python bench/eval_html.py --out bench/results/eval_html.json [--runs 5] [--half tune]

Halves: every page belongs to a fixed half, `tune` or `held_out`, by the first byte of the sha256 of its
duplicate group (else `set/id`), so the three snapshots of one BBC article share a half. Extraction rules are
tuned looking at `--half tune` only; `held_out` is reported, never looked into while tuning.

Body text, both over non-whitespace characters only:
  bag F1  bag-of-characters (Counter intersection): ignores order, so a shuffled page scores 1.0.
  LCS F1  longest common subsequence of the two character strings (exact, bit-parallel): order matters,
          so text pulled from the wrong place or out of order costs more.
Title/date/author: accuracy on pages whose gold states them. Author is also scored on the subset whose gold
name is not an editor (the gold name never follows an editor label such as 责任编辑 in the page).
Speed: pages/second over all pages, median of `--runs` passes, on the same decoded string; decoding untimed.
trafilatura runs `bare_extraction(with_metadata=True, include_comments=False)`: one call doing the same work as
`extract_page` (its `.text` equals `extract(output_format="txt")`); body-only `extract` is timed too.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402
from lxml import html as lxml_html  # noqa: E402

from tasks.transforms.html import extract_page, normalize_date  # noqa: E402

GOLD_DIR = ROOT.parent / "shared" / "data" / "news_html_gold"
# Silver author labels that SOURCE.md itself calls wrong (GNE output: "搜索", "未知"); not scored.
BAD_SILVER_AUTHORS = {"搜索", "未知"}
# goose3's test checks that goose's output *starts with* its expected text, a 150-character fragment that skips
# a paragraph: precision against it is meaningless, so it is scored for recall only and left out of F1 means.
RECALL_ONLY = {("goose3", "test_bbc_chinese")}
# Gold kinds, from manifest.csv's `gold_kind`: people wrote or reviewed the expectation, a tool's output was
# snapshotted, or GNE's own 2019 output (SOURCE.md: "SILVER only ... with visible errors").
GROUPS = {
    "trafilatura_eval": "human",
    "readability_mozilla": "human",
    "fundus": "human",
    "newspaper_codelucas": "snapshot",
    "newspaper4k": "snapshot",
    "goose3": "snapshot",
    "gne_silver": "silver",
}
EDITOR_LABEL = r"(?:责任编辑|责编|编辑|editorName)"
SYSTEMS = ("ours", "trafilatura")


@dataclass(frozen=True)
class Extraction:
    """What a system returned for one page."""

    text: str
    title: str | None
    date: str | None
    author: str | None


HALVES = ("tune", "held_out")


def half_of(set_name: str, page_id: str, dup_group: str = "") -> str:
    """The fixed half of a page: even first sha256 byte of its duplicate group (else `set/id`) -> tune."""
    key = dup_group or f"{set_name}/{page_id}"
    return HALVES[hashlib.sha256(key.encode("utf-8")).digest()[0] % 2]


def source_of(set_name: str, page_id: str) -> str:
    """The site a page comes from: GNE's folder per site (`gne_silver/163`), else the gold set."""
    if set_name == "gne_silver":
        return f"gne_silver/{page_id.split('/')[1]}"
    return set_name


def run_ours(html: str, url: str | None) -> Extraction:
    page = extract_page(html, url=url)
    return Extraction(page.text, page.title, page.published_at, page.author)


def run_trafilatura(html: str, url: str | None) -> Extraction:
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False)
    if doc is None or isinstance(doc, dict):  # a dict only when asked for with as_dict=True
        return Extraction("", None, None, None)
    return Extraction(doc.text or "", doc.title, doc.date, doc.author)


def run_trafilatura_body(html: str, url: str | None) -> str:
    return trafilatura.extract(html, url=url, output_format="txt", include_comments=False) or ""


def decode(payload: bytes, actual_encoding: str) -> tuple[str, str]:
    """Decode with the project's decode stage when it imports, else the manifest's measured encoding."""
    try:
        from tasks.transforms.decode import decode_bytes

        return decode_bytes(payload, declared_charset=None, source_uri="").text, "decode_bytes"
    except Exception:  # noqa: BLE001 - any failure of the stage means fall back to the manifest
        pass
    codec = re.split(r"[(\s]", actual_encoding or "")[0]
    try:
        return payload.decode(codec or "utf-8"), f"manifest:{codec}"
    except (LookupError, UnicodeDecodeError):
        return payload.decode("utf-8", "replace"), "utf-8?"


def _nonspace(text: str) -> str:
    return "".join(text.split())


def _prf(overlap: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    if not n_pred or not n_gold or not overlap:
        return 0.0, 0.0, 0.0
    p, r = overlap / n_pred, overlap / n_gold
    return p, r, 2 * p * r / (p + r)


def bag_f1(predicted: str, gold: str) -> tuple[float, float, float]:
    """Precision, recall, F1 of the bags of non-whitespace characters."""
    pred, ref = Counter(_nonspace(predicted)), Counter(_nonspace(gold))
    return _prf(sum((pred & ref).values()), sum(pred.values()), sum(ref.values()))


def lcs_length(a: str, b: str) -> int:
    """Exact LCS length, bit-parallel (Hyyrö 2004): one big-int row per character of `b`."""
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for i, ch in enumerate(a):
        masks[ch] = masks.get(ch, 0) | (1 << i)
    full = (1 << len(a)) - 1
    row = full
    for ch in b:
        match = row & masks.get(ch, 0)
        row = ((row + match) | (row - match)) & full
    return len(a) - row.bit_count()


def lcs_f1(predicted: str, gold: str) -> tuple[float, float, float]:
    """Precision, recall, F1 of the longest common subsequence of the non-whitespace strings."""
    pred, ref = _nonspace(predicted), _nonspace(gold)
    return _prf(lcs_length(pred, ref), len(pred), len(ref))


def gold_body(row: dict, gold_dir: Path) -> str | None:
    """Gold body text, or the text of Readability's expected article HTML."""
    if row.get("body_text"):
        return str(row["body_text"])
    if row.get("body_html"):
        html_path = gold_dir / row["body_html"]
        source = html_path.read_text(encoding="utf-8") if html_path.is_file() else row["body_html"]
        return str(lxml_html.fromstring(source).text_content())
    return None


def title_ok(pred: str | None, gold: str) -> bool:
    """Equal ignoring whitespace, or equal to the gold minus a site suffix (Readability keeps `_光明网`)."""
    p, g = _nonspace(pred or ""), _nonspace(gold)
    return bool(p) and (p == g or (g.startswith(p) and g[len(p) : len(p) + 1] in {"_", "-", "|", "–"}))


def author_ok(pred: str | None, gold: list[str]) -> bool:
    """Every name the system returned (split on ; , 、 /) is a gold name."""
    names = [n for n in re.split(r"\s*[;；,，、/]\s*", pred or "") if n]
    return bool(names) and all(n in gold for n in names)


def is_editor(name: str, html: str) -> bool:
    """The name follows an editor label (`责任编辑：焦鹏`, `(责编：牛镛、岳弘彬)`, `"editorName":"韩保林"`)."""
    return (
        re.search(EDITOR_LABEL + r"[^<>\u4e00-\u9fff]{0,12}(?:[^<>]{0,12}[、,，\s])?" + re.escape(name), html)
        is not None
    )


def score(row: dict, html: str, got: Extraction, gold_text: str | None) -> dict[str, Any]:
    """Per-page scores of one system's extraction."""
    out: dict[str, Any] = {"chars": len(got.text)}
    if gold_text:
        bag, lcs = bag_f1(got.text, gold_text), lcs_f1(got.text, gold_text)
        out.update(bag_p=bag[0], bag_r=bag[1], bag_f1=bag[2], lcs_p=lcs[0], lcs_r=lcs[1], lcs_f1=lcs[2])
    if row.get("must_include") or row.get("must_exclude"):
        out["include_hits"] = sum(s in got.text for s in row.get("must_include") or [])
        out["exclude_leaks"] = sum(s in got.text for s in row.get("must_exclude") or [])
    if row.get("title"):
        out.update(title=got.title, title_ok=title_ok(got.title, row["title"]))
    gold_day = (normalize_date(row["date"]) or "")[:10] if row.get("date") else ""
    if gold_day:
        out.update(date=got.date, date_ok=(normalize_date(got.date or "") or "")[:10] == gold_day)
    authors = [a for a in row.get("authors") or [] if a not in BAD_SILVER_AUTHORS]
    if authors:
        out.update(author=got.author, author_ok=author_ok(got.author, authors))
        if not any(is_editor(a, html) for a in authors):
            out["author_non_editor_ok"] = out["author_ok"]
    return out


def pages_per_second(
    fn: Callable[[str, str | None], object], pages: list[tuple[str, str | None]], runs: int
) -> float:
    """Median over `runs` passes of pages / seconds (after one untimed warm-up pass)."""
    rates = []
    for run in range(runs + 1):
        start = time.perf_counter()
        for html, url in pages:
            fn(html, url)
        if run:
            rates.append(len(pages) / (time.perf_counter() - start))
    return round(statistics.median(rates), 1)


def mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def summarize(results: list[dict], system: str) -> dict[str, Any]:
    """Means of one system's scores over a list of pages."""
    scores = [r[system] for r in results]
    f1_rows = [
        s
        for r, s in zip(results, scores, strict=True)
        if "bag_f1" in s and (r["set"], r["id"]) not in RECALL_ONLY
    ]
    out: dict[str, Any] = {"body_n": len(f1_rows)}
    for key in ("bag_f1", "lcs_f1", "bag_p", "bag_r", "lcs_p", "lcs_r"):
        out[key] = mean([s[key] for s in f1_rows])
    for key in ("title_ok", "date_ok", "author_ok", "author_non_editor_ok"):
        scored = [float(s[key]) for s in scores if key in s]
        out[key.removesuffix("_ok")] = {"n": len(scored), "accuracy": mean(scored)}
    out["snippets_included"] = sum(s.get("include_hits", 0) for s in scores)
    out["snippets_total"] = sum(len(r.get("must_include") or []) for r in results)
    out["snippets_leaked"] = sum(s.get("exclude_leaks", 0) for s in scores)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD_DIR)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5, help="timed passes per system (median reported)")
    parser.add_argument("--half", choices=HALVES, help="score one half only (tune on `tune`)")
    args = parser.parse_args()

    manifest = {(r["set"], r["id"]): r for r in csv.DictReader(open(args.gold / "manifest.csv"))}
    encodings = {key: r["actual_encoding"] for key, r in manifest.items()}
    rows = [json.loads(line) for line in open(args.gold / "gold_unified.jsonl", encoding="utf-8")]
    for row in rows:
        dup_group = manifest.get((row["set"], row["id"]), {}).get("dup_group", "")
        row["half"] = half_of(row["set"], row["id"], dup_group)
    rows = [row for row in rows if args.half is None or row["half"] == args.half]
    results, inputs = [], []
    for row in rows:
        html, decoder = decode(
            (args.gold / row["html"]).read_bytes(), encodings.get((row["set"], row["id"]), "")
        )
        inputs.append((html, row.get("url")))
        gold_text = gold_body(row, args.gold)
        result: dict[str, Any] = {
            "set": row["set"],
            "id": row["id"],
            "group": GROUPS[row["set"]],
            "half": row["half"],
            "source": source_of(row["set"], row["id"]),
            "decoder": decoder,
        }
        result["must_include"] = row.get("must_include")
        for system, run in zip(SYSTEMS, (run_ours, run_trafilatura), strict=True):
            result[system] = score(row, html, run(html, row.get("url")), gold_text)
        results.append(result)

    speed = {
        "ours": pages_per_second(extract_page, inputs, args.runs),
        "trafilatura": pages_per_second(run_trafilatura, inputs, args.runs),
        "trafilatura_body_only": pages_per_second(run_trafilatura_body, inputs, args.runs),
    }
    groups: dict[str, list[dict]] = {"all": results}
    for key in ("half", "group", "set", "source"):
        for r in results:
            groups.setdefault(f"{key}:{r[key]}", []).append(r)
    summary = {name: {s: summarize(rs, s) for s in SYSTEMS} for name, rs in groups.items()}
    print_pages(results)
    print_summary(summary, speed, len(results))
    for r in results:
        r.pop("must_include")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {"pages_per_second": speed, "summary": summary, "pages": results}
    args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n")


def _mark(scores: dict, key: str) -> str:
    return ("ok" if scores[key] else "NO") if key in scores else "-"


def print_pages(results: list[dict]) -> None:
    print(f"{'set':13} {'id':30} {'bagF1 ours/traf':>15} {'lcsF1 ours/traf':>15}  title   date    author")
    for r in results:
        o, t = r["ours"], r["trafilatura"]
        if not any(k in o for k in ("bag_f1", "title_ok", "date_ok", "author_ok")):
            continue
        f1s = " ".join(
            f"{o[k]:.3f}/{t[k]:.3f}".rjust(15) if k in o else "-".rjust(15) for k in ("bag_f1", "lcs_f1")
        )
        marks = " ".join(
            f"{_mark(o, k)}/{_mark(t, k)}".ljust(7) for k in ("title_ok", "date_ok", "author_ok")
        )
        print(f"{r['set'][:13]:13} {r['id'][-30:]:30} {f1s}  {marks}")


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_summary(summary: dict, speed: dict, n_pages: int) -> None:
    print(f"\n{'subset':30} {'sys':5} {'n':>3} {'bagF1':>6} {'lcsF1':>6} {'lcsP':>6} {'lcsR':>6}  "
          f"{'title':>9} {'date':>9} {'author':>9} {'auth!ed':>9}")  # fmt: skip
    for name, by_system in summary.items():
        if not any(by_system["ours"][k] for k in ("body_n", "snippets_total")) and not any(
            by_system["ours"][k]["n"] for k in ("title", "date", "author")
        ):
            continue  # a site whose pages have no gold at all (GNE's unlabelled pages)
        for system in SYSTEMS:
            s = by_system[system]
            accs = " ".join(
                f"{_fmt(s[k]['accuracy'])}/{s[k]['n']}".rjust(9)
                for k in ("title", "date", "author", "author_non_editor")
            )
            f1s = " ".join(_fmt(s[k]).rjust(6) for k in ("bag_f1", "lcs_f1", "lcs_p", "lcs_r"))
            print(f"{name[:30]:30} {system[:5]:5} {s['body_n']:3d} {f1s}  {accs}")
    every = summary["all"]
    for system in SYSTEMS:
        s = every[system]
        print(
            f"{system}: snippets included {s['snippets_included']}/{s['snippets_total']}, leaked {s['snippets_leaked']}"
        )
    print(f"pages/second over {n_pages} pages (median): {json.dumps(speed)}")


if __name__ == "__main__":
    main()
