"""Whole-process speed: `newsetl parse --json` over the MSRA test sentences 5 times over vs `jieba.posseg` on the
same text, each a fresh process, interleaved run by run (so both see the same machine load), in wall seconds and
in CPU seconds (user + system, which other jobs on a busy machine do not inflate); plus the tagger alone: model
load time in a fresh process and chars/s per sentence, on one long text and on all sentences in one tag_many call.

    .venv/bin/python bench/bench_ner_speed.py [--runs 3] [--repeat 5] --out bench/results/bench_ner_speed.json
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.eval_ner import load_dataset  # noqa: E402
from bench.timing import chars_per_second  # noqa: E402

JIEBA = "import sys, jieba.posseg\ntext = open(sys.argv[1], encoding='utf-8').read()\nfor _ in jieba.posseg.cut(text):\n    pass\n"
LOAD = (
    "import time, sys\nt0 = time.perf_counter()\nfrom tasks.transforms.facts.tagger import load_tagger\n"
    "t1 = time.perf_counter()\nload_tagger()\nt2 = time.perf_counter()\nprint(t1 - t0, t2 - t1)\n"
)


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one process run to completion (its output discarded).

    The CPU seconds hold on a machine busy with other jobs, where the wall time also measures their load."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    """Write the inputs, time both processes `--runs` times, print and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5, help="times the test set is repeated in the input")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    texts = [str(r["text"]) for r in load_dataset(args.data, "msra")]
    newsetl = str(Path(sys.executable).parent / "newsetl")
    results: dict[str, object] = {"sentences": len(texts) * args.repeat}
    with tempfile.TemporaryDirectory() as tmp:
        jsonl, plain = Path(tmp) / "msra.jsonl", Path(tmp) / "msra.txt"
        lines = [t for _ in range(args.repeat) for t in texts]
        jsonl.write_text(
            "".join(json.dumps({"id": k, "text": t}, ensure_ascii=False) + "\n" for k, t in enumerate(lines)),
            encoding="utf-8",
        )
        plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
        results["chars"] = sum(map(len, lines))
        parse_s, jieba_s, parse_cpu, jieba_cpu = [], [], [], []
        for _ in range(args.runs):
            for cmd, wall, cpu in (
                ([newsetl, "parse", "--json", str(jsonl)], parse_s, parse_cpu),
                ([sys.executable, "-c", JIEBA, str(plain)], jieba_s, jieba_cpu),
            ):
                w, c = timed(cmd)
                wall.append(w)
                cpu.append(c)
            print(f"parse {parse_s[-1]:.2f} s, jieba.posseg {jieba_s[-1]:.2f} s (wall)", flush=True)
    load = [
        [float(x) for x in subprocess.run(
            [sys.executable, "-c", LOAD], check=True, capture_output=True, text=True, cwd=ROOT
        ).stdout.split()]
        for _ in range(args.runs)
    ]  # fmt: skip
    from tasks.transforms.facts.tagger import MODEL_PATH, load_tagger

    tagger = load_tagger()
    results |= {
        "parse_seconds": parse_s,
        "jieba_posseg_seconds": jieba_s,
        "parse_median_s": statistics.median(parse_s),
        "jieba_posseg_median_s": statistics.median(jieba_s),
        "speedup_vs_jieba_posseg": statistics.median(jieba_s) / statistics.median(parse_s),
        "parse_cpu_seconds": parse_cpu,
        "jieba_posseg_cpu_seconds": jieba_cpu,
        "speedup_vs_jieba_posseg_cpu": statistics.median(jieba_cpu) / statistics.median(parse_cpu),
        "tagger_import_s": statistics.median(x[0] for x in load),
        "tagger_load_s": statistics.median(x[1] for x in load),
        "model_bytes": MODEL_PATH.stat().st_size,
        "tagger_chars_per_s_sentences": chars_per_second(tagger.tag, texts, args.runs),
        "tagger_chars_per_s_one_text": chars_per_second(tagger.tag, ["".join(texts)], args.runs),
        # What process_documents does: every text of a batch in one call.
        "tagger_chars_per_s_tag_many": chars_per_second(
            lambda _: tagger.tag_many(texts), ["".join(texts)], args.runs
        ),
    }
    print(json.dumps(results, indent=1))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
