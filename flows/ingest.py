"""The ingest_news flow: read inputs in batches, transform them, load DuckDB, record the run."""

from __future__ import annotations

import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from prefect import flow, get_run_logger
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from flows.settings import load_settings
from tasks.files import InputRef, discover_inputs
from tasks.load import finish_run, load_batch, prepare_warehouse
from tasks.read import read_batch
from tasks.transform import transform_batch

ProgressListener = Callable[[int, int], None]
# In-process observers of progress (the CLI's progress bar); flow parameters must stay serializable for deployments.
_progress_listeners: list[ProgressListener] = []


def add_progress_listener(listener: ProgressListener) -> Callable[[], None]:
    """Call listener(n_done, n_total_or_0) after each batch; returns a function that removes it."""
    _progress_listeners.append(listener)
    return lambda: _progress_listeners.remove(listener)


@dataclass
class RunSummary:
    """What a run did; returned by the flow and printed by the CLI."""

    run_id: str
    db_path: str
    counts: Counter[str] = field(default_factory=Counter)
    facts: Counter[str] = field(default_factory=Counter)
    rejects: Counter[str] = field(default_factory=Counter)  # "stage: reason" -> n
    seconds: defaultdict[str, float] = field(
        default_factory=lambda: defaultdict(float)
    )  # stage -> wall seconds

    def as_dict(self) -> dict[str, object]:
        """Plain-JSON form."""
        return {
            "run_id": self.run_id,
            "db_path": self.db_path,
            "counts": dict(self.counts),
            "facts": dict(self.facts),
            "rejects": dict(self.rejects),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def _weight(ref: InputRef) -> int:
    return ref.line_end - ref.line_start if ref.line_start else 1


def batched_refs(refs: Iterable[InputRef], batch_size: int) -> Iterator[list[InputRef]]:
    """Group refs so each batch holds about batch_size documents (a JSONL slice weighs its lines)."""
    batch: list[InputRef] = []
    weight = 0
    for ref in refs:
        batch.append(ref)
        weight += _weight(ref)
        if weight >= batch_size:
            yield batch
            batch, weight = [], 0
    if batch:
        yield batch


def _short_reason(reason: str) -> str:
    # Group rejects by the kind of reason, not by the per-file detail after the first colon.
    return reason.split(":")[0][:80]


@flow(name="ingest_news")
def ingest_news(
    paths: list[str] | None = None,
    db_path: str | None = None,
    batch_size: int | None = None,
) -> dict[str, object]:
    """Ingest article files, folders, globs or JSONL into the DuckDB warehouse; returns the run summary."""
    logger = get_run_logger()
    settings = load_settings()
    db = db_path or settings.db_path
    size = batch_size or settings.batch_size
    inputs = list(paths) if paths else list(settings.default_paths)
    flow_run_id = flow_run.id
    summary = RunSummary(run_id=flow_run_id or uuid.uuid4().hex, db_path=db)
    prepare_warehouse(db, summary.run_id, flow_run_id)
    logger.info("run %s: ingesting %s into %s (batches of %d)", summary.run_id, inputs, db, size)

    refs = list(
        discover_inputs(inputs)
    )  # refs are tiny (paths and line ranges); the documents are read per batch
    total = sum(_weight(r) for r in refs)
    done = 0
    status, error = "completed", None
    try:
        for number, batch in enumerate(batched_refs(refs, size), start=1):
            started = time.perf_counter()
            docs, read_rejects = read_batch(quote(batch))
            summary.seconds["read"] += time.perf_counter() - started
            started = time.perf_counter()
            # quote(): Prefect would otherwise walk every element of a batch's arguments looking for upstream futures
            # (measured: 22 of 34 s for 1,000 articles went there; see bench/bench_ingest.py).
            articles, rejects = transform_batch(quote(docs))
            summary.seconds["transform"] += time.perf_counter() - started
            rejects = read_rejects + rejects
            started = time.perf_counter()
            loaded = load_batch(db, summary.run_id, quote(articles), quote(rejects))
            summary.seconds["load"] += time.perf_counter() - started

            summary.counts["inputs"] += len(docs) + len(read_rejects)
            summary.counts.update(loaded)
            for article in articles:
                f = article.facts
                summary.facts.update(
                    mentions=len(f.mentions), roles=len(f.roles), metrics=len(f.metrics),
                    quotes=len(f.quotes), events=len(f.events), dates=len(f.dates), bylines=int(f.byline is not None),
                )  # fmt: skip
            for reject in rejects:
                summary.rejects[f"{reject.stage}: {_short_reason(reject.reason)}"] += 1
            done += sum(_weight(r) for r in batch)
            logger.info(
                "batch %d: %d loaded, %d unchanged, %d rejected (%d/%d inputs)",
                number, loaded["loaded"], loaded["unchanged"], loaded["rejected"], done, total,
            )  # fmt: skip
            for listener in list(_progress_listeners):
                listener(done, total)
    except BaseException as exc:
        status, error = "failed", f"{type(exc).__name__}: {exc}"
        raise
    finally:
        for key in ("inputs", "loaded", "unchanged", "rejected"):
            summary.counts.setdefault(key, 0)
        finish_run(db, summary.run_id, status, dict(summary.counts), error)
    logger.info(
        "run %s %s: %d inputs, %d loaded, %d unchanged, %d rejected",
        summary.run_id, status, summary.counts["inputs"], summary.counts["loaded"],
        summary.counts["unchanged"], summary.counts["rejected"],
    )  # fmt: skip
    return summary.as_dict()
