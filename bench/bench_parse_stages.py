"""Where `newsetl parse --json` spends its time on many short texts: CPU seconds per stage, in one process.

    .venv/bin/python bench/bench_parse_stages.py [--repeat 1] [--runs 3] --out bench/results/bench_parse_stages.json

Input: the MSRA test sentences (`--repeat` times over) as the JSONL records `newsetl parse` reads. Each stage runs
over the whole input before the next, as process_documents does for a batch (the tagger gets batches of
PARSE_BATCH_DOCS texts, as in `parse`). The numbers are CPU seconds (time.process_time: other jobs on a busy
machine do not count), the median of `--runs` passes after a warm-up pass; `finish` (facts plus the Article) is
also broken down by layer. `imports_s` is the CPU time of importing the CLI in a fresh process (median of
`--runs`); `tagger_load_s` reading the model file, once per process (the warm-up pass's).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.eval_ner import load_dataset  # noqa: E402
from bench.timing import emit_json  # noqa: E402

# The stages process_documents and `parse` run, in order; `finish` (facts and the Article) is broken down into
# the document's layers, timed separately over the same texts.
STAGES = (
    "tagger_load",
    "read_records",
    "decode_html_normalize_quality",
    "tag_many",
    "finish",
    "json_records",
)
LAYERS = ("sentences", "byline", "entities", "relations", "to_facts")
IMPORTS = "import time\nt = time.process_time()\nimport flows.cli\nprint(time.process_time() - t)\n"


def stage_seconds(records: list[str]) -> tuple[dict[str, float], int]:
    """CPU seconds of each stage over every record (and the number of texts that got facts)."""
    from flows.parse_output import PARSE_BATCH_DOCS, article_record
    from tasks.transforms.datetimes import zone_named
    from tasks.transforms.facts.document import Document, add_byline, add_sentences, to_facts
    from tasks.transforms.facts.entity_layer import add_entities
    from tasks.transforms.facts.relations import add_relations
    from tasks.transforms.facts.tagger import load_tagger
    from tasks.transforms.inputs import document_from_record
    from tasks.transforms.models import RejectedInput
    from tasks.transforms.pipeline import _finish, _prepare

    seconds: dict[str, float] = {}
    state: dict[str, Any] = {}

    def timed(name: str, fn: Callable[[], Any]) -> None:
        t0 = time.process_time()
        fn()
        seconds[name] = time.process_time() - t0

    def prepare() -> None:
        zone, ok = zone_named("Asia/Shanghai"), []
        for doc in state["docs"]:
            try:
                ok.append(_prepare(doc, zone, 2_000_000))
            except RejectedInput:
                pass
        state["prepared"] = [p for p in ok if p.quality.label == "ok"]

    def layer(name: str, fn: Callable[[Document], Document]) -> None:
        timed(name, lambda: state.__setitem__("docs_", [fn(d) for d in state["docs_"]]))

    timed("tagger_load", lambda: state.__setitem__("tagger", load_tagger()))
    timed("read_records", lambda: state.__setitem__("docs", [
        document_from_record(json.loads(r), f"msra.jsonl#L{k}") for k, r in enumerate(records)
    ]))  # fmt: skip
    timed("decode_html_normalize_quality", prepare)
    texts = [p.norm.text for p in state["prepared"]]
    timed("tag_many", lambda: state.__setitem__("tagged", [
        tags for k in range(0, len(texts), PARSE_BATCH_DOCS) for tags in state["tagger"].tag_many(
            texts[k : k + PARSE_BATCH_DOCS])
    ]))  # fmt: skip
    state["docs_"] = [Document(t, None, tagged=m) for t, m in zip(texts, state["tagged"], strict=True)]
    layer("sentences", add_sentences)
    layer("byline", add_byline)
    layer("entities", lambda d: add_entities(d, state["tagger"]))
    layer("relations", add_relations)
    timed("to_facts", lambda: [to_facts(d) for d in state["docs_"]])
    timed("finish", lambda: state.__setitem__("articles", [
        _finish(p, state["tagger"], m) for p, m in zip(state["prepared"], state["tagged"], strict=True)
    ]))  # fmt: skip
    timed("json_records", lambda: [
        json.dumps(article_record(a, None), ensure_ascii=False, default=str) for a in state["articles"]
    ])  # fmt: skip
    return seconds, len(texts)


def main() -> None:
    """Time every stage `--runs` times (after a warm-up), print and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    texts = [str(r["text"]) for r in load_dataset(args.data, "msra")] * args.repeat
    records = [json.dumps({"id": k, "text": t}, ensure_ascii=False) for k, t in enumerate(texts)]
    warm, n_facts = stage_seconds(records)
    passes = [stage_seconds(records)[0] for _ in range(args.runs)]
    median = {name: statistics.median(p[name] for p in passes) for name in passes[0]}
    stages = {name: median[name] for name in STAGES}
    imports = [
        float(subprocess.run([sys.executable, "-c", IMPORTS], check=True, capture_output=True, text=True,
                             cwd=ROOT).stdout)
        for _ in range(args.runs)
    ]  # fmt: skip
    result = {
        "texts": len(texts),
        "texts_with_facts": n_facts,
        "chars": sum(map(len, texts)),
        "imports_s": statistics.median(imports),
        "tagger_load_s": warm["tagger_load"],
        "stage_cpu_s": stages,
        "total_cpu_s": sum(stages.values()),
        "finish_layers_cpu_s": {name: median[name] for name in LAYERS},
    }
    emit_json(result, args.out)


if __name__ == "__main__":
    main()
