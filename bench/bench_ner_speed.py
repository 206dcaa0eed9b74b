"""Whole-process speed: `newsetl parse --json` over the MSRA test sentences 5 times over vs `jieba.posseg` on the
same text, each a fresh process, interleaved run by run (so both see the same machine load), in wall seconds and in
CPU seconds (user + system, which other jobs on a busy machine do not inflate). `parse` runs as a user runs it
(`transform_workers` processes, min(2, CPUs)) and again on one process (NEWSETL_TRANSFORM_WORKERS=1); plus the tagger
alone: model load time in a fresh process and chars/s per sentence and on one long text.

With `--baseline REV`, the tagger of that git revision (its `tasks/` tree and model, from `git archive`) is timed
beside the working tree's, each run a fresh process of each, interleaved: `tag_many` over all MSRA test sentences
and `tag` one sentence at a time, chars/s (wall and CPU), the medians' ratio, and whether both gave the same spans.

    .venv/bin/python bench/bench_ner_speed.py [--runs 3] [--repeat 5] [--baseline REV] [--skip-parse] \
        --out bench/results/bench_ner_speed.json
"""

from __future__ import annotations

import argparse
import json
import os
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
from bench.timing import chars_per_second, emit_json  # noqa: E402

JIEBA = "import sys, jieba.posseg\ntext = open(sys.argv[1], encoding='utf-8').read()\nfor _ in jieba.posseg.cut(text):\n    pass\n"
LOAD = (
    "import time, sys\nt0 = time.perf_counter()\nfrom tasks.transforms.facts.tagger import load_tagger\n"
    "t1 = time.perf_counter()\nload_tagger()\nt2 = time.perf_counter()\nprint(t1 - t0, t2 - t1)\n"
)


# One timing of a tree's tagger: argv[1] the tree, argv[2] a JSON list of texts; prints chars/s and a digest.
TAGGER = """
import hashlib, json, sys, time
sys.path.insert(0, sys.argv[1])
from tasks.transforms.facts.tagger import load_tagger
texts = json.load(open(sys.argv[2], encoding="utf-8"))
tagger = load_tagger()
tagger.tag_many(texts[:50])
chars = sum(map(len, texts))
out = {}
for name, run in (("tag_many", lambda: tagger.tag_many(texts)), ("tag", lambda: [tagger.tag(t) for t in texts])):
    w0, c0 = time.perf_counter(), time.process_time()
    found = run()
    out[name] = {"wall_chars_per_s": chars / (time.perf_counter() - w0), "cpu_chars_per_s": chars / (time.process_time() - c0)}
spans = [[(m.kind, m.start, m.end) for m in f] for f in found]
out["digest"] = hashlib.sha256(json.dumps(spans).encode()).hexdigest()
print(json.dumps(out))
"""


def tagger_speed(texts: list[str], baseline: str, runs: int) -> dict[str, object]:
    """chars/s of the working tree's tagger and of revision `baseline`'s, fresh processes interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "baseline"
        old.mkdir()
        archive = subprocess.run(
            ["git", "archive", baseline, "tasks"], cwd=ROOT, check=True, capture_output=True
        )
        subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
        data = Path(tmp) / "texts.json"
        data.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        trees = {"baseline": old, "current": ROOT}
        found: dict[str, list[dict[str, object]]] = {name: [] for name in trees}
        for _ in range(runs):
            for name, tree in trees.items():
                cmd = [sys.executable, "-c", TAGGER, str(tree), str(data)]
                out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=tmp).stdout
                found[name].append(json.loads(out))
                print(name, out.strip(), flush=True)
    medians = {
        name: {
            f"{call}_{clock}_chars_per_s": statistics.median(r[call][f"{clock}_chars_per_s"] for r in rows)  # type: ignore[index]
            for call in ("tag_many", "tag")
            for clock in ("wall", "cpu")
        }
        for name, rows in found.items()
    }
    speedups = {
        f"speedup_{key.removesuffix('_chars_per_s')}": value / medians["baseline"][key]
        for key, value in medians["current"].items()
    }
    digests = {str(r["digest"]) for rows in found.values() for r in rows}
    return {
        "baseline_rev": baseline,
        "runs": runs,
        **medians,
        **speedups,
        "identical_output": len(digests) == 1,
    }


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one process run to completion (its output discarded).

    The CPU seconds hold on a machine busy with other jobs, where the wall time also measures their load."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
                   env={**os.environ, **(env or {})})  # fmt: skip
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    """Write the inputs, time both processes `--runs` times, print and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5, help="times the test set is repeated in the input")
    parser.add_argument("--baseline", default=None, help="git revision whose tagger is timed beside this one")
    parser.add_argument(
        "--skip-parse", action="store_true", help="leave out the whole-process parse/jieba runs"
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    texts = [str(r["text"]) for r in load_dataset(args.data, "msra")]
    results: dict[str, object] = {"sentences": len(texts) * args.repeat}
    if not args.skip_parse:
        results |= parse_vs_jieba(texts, args.repeat, args.runs)
    load = [
        [float(x) for x in subprocess.run(
            [sys.executable, "-c", LOAD], check=True, capture_output=True, text=True, cwd=ROOT
        ).stdout.split()]
        for _ in range(args.runs)
    ]  # fmt: skip
    from tasks.transforms.facts.tagger import MODEL_PATH, load_tagger

    tagger = load_tagger()
    results |= {
        "tagger_import_s": statistics.median(x[0] for x in load),
        "tagger_load_s": statistics.median(x[1] for x in load),
        "model_bytes": MODEL_PATH.stat().st_size,
        "tagger_chars_per_s_sentences": chars_per_second(tagger.tag, texts, args.runs),
        "tagger_chars_per_s_one_text": chars_per_second(tagger.tag, ["".join(texts)], args.runs),
        # One call over all sentences: the batch is the unit of work, so each pass is one timed call.
        "tagger_chars_per_s_tag_many": chars_per_second(
            lambda _: tagger.tag_many(texts), ["".join(texts)], args.runs
        ),
    }
    if args.baseline:
        results["tagger_vs_baseline"] = tagger_speed(texts, args.baseline, args.runs)
    emit_json(results, args.out)


def parse_vs_jieba(texts: list[str], repeat: int, runs: int) -> dict[str, object]:
    """Seconds of whole `newsetl parse --json` and `jieba.posseg` processes on the texts `repeat` times over."""
    newsetl = str(Path(sys.executable).parent / "newsetl")
    with tempfile.TemporaryDirectory() as tmp:
        jsonl, plain = Path(tmp) / "msra.jsonl", Path(tmp) / "msra.txt"
        lines = [t for _ in range(repeat) for t in texts]
        jsonl.write_text(
            "".join(json.dumps({"id": k, "text": t}, ensure_ascii=False) + "\n" for k, t in enumerate(lines)),
            encoding="utf-8",
        )
        plain.write_text("\n".join(lines) + "\n", encoding="utf-8")
        parse_s, jieba_s, parse_cpu, jieba_cpu, one_s, one_cpu = [], [], [], [], [], []
        parse = [newsetl, "parse", "--json", str(jsonl)]
        for _ in range(runs):
            for cmd, env, wall, cpu in (
                (parse, {}, parse_s, parse_cpu),
                (parse, {"NEWSETL_TRANSFORM_WORKERS": "1"}, one_s, one_cpu),
                ([sys.executable, "-c", JIEBA, str(plain)], {}, jieba_s, jieba_cpu),
            ):
                w, c = timed(cmd, env)
                wall.append(w)
                cpu.append(c)
            print(f"parse {parse_s[-1]:.2f} s, one process {one_s[-1]:.2f} s, jieba.posseg {jieba_s[-1]:.2f} s"
                  " (wall)", flush=True)  # fmt: skip
    return {
        "chars": sum(map(len, lines)),
        "parse_seconds": parse_s,
        "jieba_posseg_seconds": jieba_s,
        "parse_median_s": statistics.median(parse_s),
        "jieba_posseg_median_s": statistics.median(jieba_s),
        "speedup_vs_jieba_posseg": statistics.median(jieba_s) / statistics.median(parse_s),
        "parse_cpu_seconds": parse_cpu,
        "jieba_posseg_cpu_seconds": jieba_cpu,
        "speedup_vs_jieba_posseg_cpu": statistics.median(jieba_cpu) / statistics.median(parse_cpu),
        # The default runs `transform_workers` processes (min(2, CPUs)); this is the same parse on one.
        "transform_workers_default": _default_workers(),
        "parse_one_process_seconds": one_s,
        "parse_one_process_cpu_seconds": one_cpu,
        "speedup_vs_jieba_posseg_one_process": statistics.median(jieba_s) / statistics.median(one_s),
        "speedup_vs_jieba_posseg_one_process_cpu": statistics.median(jieba_cpu) / statistics.median(one_cpu),
    }


def _default_workers() -> int:
    """The transform_workers a plain `newsetl parse` runs with here."""
    from flows.settings import load_settings

    return load_settings().transform_workers


if __name__ == "__main__":
    main()
