"""The ingest_news flow: read or fetch inputs in batches, transform them, load DuckDB, record the run."""

from __future__ import annotations

import logging
import time
import uuid
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import duckdb
from prefect import Task, flow, get_run_logger
from prefect.context import FlowRunContext
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from flows.artifacts import publish_summary
from flows.lifecycle import (
    RunInterrupted,
    check_dask,
    check_request,
    describe_error,
    publish_snapshot,
    stop_on_signals,
)
from flows.settings import Settings, Source, load_settings
from flows.transform_runners import (
    DaskTarget,
    PendingBatch,
    TransformOptions,
    TransformRunner,
    open_transforms,
)
from flows.writer import single_writer
from tasks.crawl import close_fetchers, discover_web, fetch_batch, read_fetch_state
from tasks.fetch import FetchPolicy
from tasks.files import InputRef, discover_inputs
from tasks.load import find_unchanged, finish_run, load_batch, prepare_warehouse, save_fetch_state
from tasks.parallel import kill_pool
from tasks.read import read_batch
from tasks.transforms.models import Article, RawDocument, Reject
from tasks.transforms.rows import article_key
from tasks.web import FetchState, WebSpec
from warehouse.repository import LoadResult

# Errors of one row's content (a value DuckDB cannot store): the batch is then loaded input by input, so one bad
# input is rejected and the rest of its batch is kept. A full disk or a busy file is not one of them.
_ROW_ERRORS = (
    duckdb.ConversionException,
    duckdb.ConstraintException,
    duckdb.InvalidInputException,
    UnicodeError,
    TypeError,
    ValueError,
)


def in_prefect_run() -> bool:
    """True inside a Prefect flow run (orchestrated), False when run_ingest is called directly (local fast mode)."""
    return FlowRunContext.get() is not None


def call(task: Task[..., R], *args: Any) -> R:
    """Run a task: as a Prefect task run inside a flow run, else as the plain function (no API needed)."""
    if not in_prefect_run():
        return task.fn(*args)
    # quote(): Prefect would otherwise walk every element of a batch's arguments looking for upstream futures
    # (measured: 22 of 34 s for 1,000 articles went there; see bench/bench_ingest.py).
    return task(*(quote(a) for a in args))


def _logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    return get_run_logger() if in_prefect_run() else logging.getLogger("newsetl")


R = TypeVar("R")
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
    samples: list[dict[str, Any]] = field(default_factory=list)  # a few facts, for the run's artifact
    quality: Counter[str] = field(default_factory=Counter)  # articles marked by the quality guard, by label

    def as_dict(self) -> dict[str, object]:
        """Plain-JSON form."""
        return {
            "run_id": self.run_id,
            "db_path": self.db_path,
            "counts": dict(self.counts),
            "facts": dict(self.facts),
            "rejects": dict(self.rejects),
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "samples": self.samples,
            "quality": dict(self.quality),
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


def is_url(value: str) -> bool:
    """True for http(s) URLs (fetched), False for paths and globs (read)."""
    return value.lower().startswith(("http://", "https://"))


def _short_reason(reason: str) -> str:
    # Group rejects by the kind of reason, not by the per-input detail after the first colon.
    return reason.split(":")[0][:80]


def fetch_policy(
    settings: Settings, allow_hosts: Iterable[str] = (), source: Source | None = None
) -> FetchPolicy:
    """The fetch policy from settings, extra allowed hosts and a source's politeness."""
    interval = settings.min_interval_per_host
    if source is not None and source.min_interval_per_host is not None:
        interval = source.min_interval_per_host
    return FetchPolicy(
        user_agent=settings.user_agent,
        connect_timeout=settings.connect_timeout,
        total_timeout=settings.total_timeout,
        max_bytes=settings.max_response_bytes,
        max_redirects=settings.max_redirects,
        allow_hosts=frozenset(settings.allow_hosts) | frozenset(allow_hosts),
        retries=settings.retries,
        min_interval_per_host=interval,
        max_concurrency_per_host=settings.max_concurrency_per_host,
        respect_robots=settings.respect_robots,
        proxy=settings.proxy,
        ca_file=settings.ca_file,
    )


@dataclass
class _Batch:
    """A batch whose transform was submitted, with what its load needs besides the transform's result."""

    transform: PendingBatch
    n_docs: int
    rejects: list[Reject]
    states: list[FetchState]
    not_modified: int
    weight: int | None


class _Run:
    """The steps one flow run repeats per batch, sharing its summary."""

    def __init__(
        self, summary: RunSummary, db: str, transforms: TransformRunner, wait_seconds: float
    ) -> None:
        self.summary, self.db, self.total, self.done = summary, db, 0, 0
        self.transforms, self.wait = transforms, wait_seconds
        self.pending: deque[_Batch] = deque()  # submitted transforms, loaded in this order
        self.logger = _logger()

    def _timed(self, stage: str, started: float) -> None:
        self.summary.seconds[stage] += time.perf_counter() - started

    def process(
        self,
        docs: list[RawDocument],
        rejects: list[Reject],
        states: list[FetchState] | None = None,
        not_modified: int = 0,
        weight: int | None = None,
    ) -> None:
        """Submit one batch's transform, then load the batches that are more than `ahead` behind it, in order."""
        docs, skipped = self.skip_unchanged(docs)
        started = time.perf_counter()
        pending = self.transforms.submit(docs)
        self._timed("transform", started)
        self.pending.append(_Batch(pending, len(docs), rejects, states or [], not_modified + skipped, weight))
        # Batch k is loaded here, in the flow process, while batch k+1 (and up to `ahead` more) is transformed.
        while len(self.pending) > self.transforms.ahead:
            self._finish(self.pending.popleft())

    def drain(self) -> None:
        """Load every batch still being transformed."""
        while self.pending:
            self._finish(self.pending.popleft())

    def _finish(self, batch: _Batch) -> None:
        """Wait for a batch's transform, load it and count it."""
        summary = self.summary
        started = time.perf_counter()
        articles, more = batch.transform.result()
        self._timed("transform", started)
        rejects, states = batch.rejects + more, batch.states
        started = time.perf_counter()
        try:
            result = call(load_batch, self.db, summary.run_id, articles, rejects, states, self.wait)
        except _ROW_ERRORS as exc:
            self.logger.warning("loading a batch failed (%s); loading it input by input", describe_error(exc))
            result, failed = self._load_one_by_one(articles, rejects, states)
            articles = [a for a in articles if a.source_uri not in {r.source_uri for r in failed}]
            rejects, more = rejects + failed, more + failed
        self._timed("load", started)
        not_modified = batch.not_modified
        loaded = {"loaded": result.loaded, "unchanged": result.unchanged + not_modified,
                  "duplicates": result.duplicates, "rejected": len(rejects)}  # fmt: skip
        n_inputs = batch.n_docs + len(rejects) - len(more) + not_modified
        summary.counts["inputs"] += n_inputs
        summary.counts.update(loaded)
        # Facts are counted for the articles stored, so the summary equals the rows the tables gained.
        written = set(result.written)
        summary.quality.update(a.quality for a in articles if a.quality != "ok")
        for article in articles:
            if (aid := article_key(article.url, article.source_uri)) not in written:
                continue
            written.discard(aid)  # the same article twice in a batch: only the first was stored
            f = article.facts
            summary.facts.update(
                mentions=len(f.mentions), roles=len(f.roles), metrics=len(f.metrics),
                quotes=len(f.quotes), events=len(f.events), dates=len(f.dates), bylines=int(f.byline is not None),
            )  # fmt: skip
            if len(summary.samples) < 5:
                summary.samples.extend(
                    {"article": article.title or article.source_uri, "person": r.person, "title": r.title,
                     "organization": r.organization}
                    for r in f.roles[:2]
                )  # fmt: skip
        for reject in rejects:
            summary.rejects[f"{reject.stage}: {_short_reason(reject.reason)}"] += 1
        self.done += batch.weight if batch.weight is not None else n_inputs
        self.logger.info(
            "batch: %d loaded, %d unchanged, %d duplicates, %d rejected (%d/%s inputs)", loaded["loaded"],
            loaded["unchanged"], loaded["duplicates"], loaded["rejected"], self.done, self.total or "?",
        )  # fmt: skip
        for listener in list(_progress_listeners):
            listener(self.done, self.total)

    def _load_one_by_one(
        self, articles: list[Article], rejects: list[Reject], states: list[FetchState]
    ) -> tuple[LoadResult, list[Reject]]:
        """Load each article in its own transaction; one that cannot be stored becomes an internal reject."""
        results: list[LoadResult] = []
        failed: list[Reject] = []
        for article in articles:
            try:
                results.append(call(load_batch, self.db, self.summary.run_id, [article], [], [], self.wait))
            except _ROW_ERRORS as exc:
                reason = f"internal error: load: {describe_error(exc)}"
                payload = article.body_raw.encode("utf-8", "backslashreplace")
                failed.append(Reject(article.source_uri, "internal", reason, payload))
        results.append(
            call(load_batch, self.db, self.summary.run_id, [], rejects + failed, states, self.wait)
        )
        merged = LoadResult(
            loaded=sum(r.loaded for r in results),
            unchanged=sum(r.unchanged for r in results),
            duplicates=sum(r.duplicates for r in results),
            written=tuple(w for r in results for w in r.written),
        )
        return merged, failed

    def skip_unchanged(self, docs: list[RawDocument]) -> tuple[list[RawDocument], int]:
        """Drop inputs stored with the same bytes by this pipeline version, before any decoding (issue 11 item 4)."""
        if not docs:
            return docs, 0
        started = time.perf_counter()
        unchanged = call(find_unchanged, self.db, docs, self.wait)
        self._timed("skip", started)
        kept = [d for d in docs if d.source_uri not in unchanged]
        return kept, len(docs) - len(kept)

    def read_local(self, inputs: list[str], batch_size: int) -> None:
        """Files, folders, globs and JSONL, batch by batch."""
        # JSONL slices no longer than a batch, so batch_size holds for JSONL too.
        for batch in batched_refs(discover_inputs(inputs, slice_lines=batch_size), batch_size):
            started = time.perf_counter()
            docs, rejects = call(read_batch, batch)
            self._timed("read", started)
            self.process(docs, rejects, weight=sum(_weight(r) for r in batch))
        self.drain()

    def fetch_web(self, spec: WebSpec, policy: FetchPolicy, batch_size: int) -> None:
        """Feeds, sitemaps and pages: discover article URLs, then fetch them batch by batch."""
        started = time.perf_counter()
        roots = [*spec.feeds, *spec.sitemaps, *spec.pages]
        found = call(discover_web, spec, policy, call(read_fetch_state, self.db, roots, self.wait))
        self._timed("fetch", started)
        self.total += len(found.targets) + len(found.docs)
        page_urls = set(spec.pages)
        page_states = [s for s in found.states if s[0] in page_urls]
        root_states = [s for s in found.states if s[0] not in page_urls]
        self.process(found.docs, found.rejects, page_states, not_modified=found.not_modified)
        for start in range(0, len(found.targets), batch_size):
            targets = found.targets[start : start + batch_size]
            started = time.perf_counter()
            states = call(read_fetch_state, self.db, [t.url for t in targets], self.wait)
            fetched = call(fetch_batch, targets, policy, states, spec.charset)
            self._timed("fetch", started)
            self.process(fetched.docs, fetched.rejects, fetched.states, not_modified=fetched.not_modified)
        self.drain()
        # Feeds and sitemaps are marked fetched only once every article they listed was processed, so a crash
        # mid-run makes the next run read them in full again instead of getting a 304 and skipping the rest.
        call(save_fetch_state, self.db, root_states, self.wait)


def run_ingest(
    paths: list[str] | None = None,
    db_path: str | None = None,
    batch_size: int | None = None,
    feeds: list[str] | None = None,
    sitemaps: list[str] | None = None,
    source: str | None = None,
    allow_hosts: list[str] | None = None,
    dask_workers: int | None = None,
    dask_address: str | None = None,
) -> dict[str, object]:
    """The ingest: orchestrated when called inside the ingest_news flow, plain Python otherwise.

    dask_workers starts a local Dask cluster of that many workers for the transform; dask_address (or the
    `dask_address` setting) uses the cluster at that address. Neither: the local process pool, no Dask at all.
    """
    logger = _logger()
    settings = load_settings()
    configured, db = check_request(settings, paths, db_path, batch_size, feeds, sitemaps, source)
    dask = check_dask(dask_workers, dask_address or (None if dask_workers else settings.dask_address))
    given = list(paths or []) + list(configured.paths if configured else ())
    urls = [p for p in given if is_url(p)]
    local = [p for p in given if not is_url(p)]
    spec = WebSpec(
        pages=tuple(urls) + (configured.pages if configured else ()),
        feeds=tuple(feeds or ()) + (configured.feeds if configured else ()),
        sitemaps=tuple(sitemaps or ()) + (configured.sitemaps if configured else ()),
        charset=configured.charset if configured else None,
        max_articles=configured.max_articles if configured else None,
        allow_pattern=configured.allow_pattern if configured else None,
    )
    has_web = bool(spec.pages or spec.feeds or spec.sitemaps)
    if not local and not has_web:
        local = list(settings.default_paths)
    size = batch_size or settings.batch_size
    summary = RunSummary(run_id=flow_run.id or uuid.uuid4().hex, db_path=db)
    with stop_on_signals(), single_writer(db, holder=f"run {summary.run_id}"):
        _run_locked(
            summary, db, size, local, spec if has_web else None, settings, allow_hosts, configured, dask
        )
        if settings.publish_snapshot:
            publish_snapshot(db, settings.write_wait_seconds)
    logger.info(
        "run %s completed: %d inputs, %d loaded, %d unchanged, %d rejected",
        summary.run_id, summary.counts["inputs"], summary.counts["loaded"],
        summary.counts["unchanged"], summary.counts["rejected"],
    )  # fmt: skip
    return summary.as_dict()


def _run_locked(
    summary: RunSummary,
    db: str,
    size: int,
    local: list[str],
    spec: WebSpec | None,
    settings: Settings,
    allow_hosts: list[str] | None,
    configured: Source | None,
    dask: DaskTarget | None = None,
) -> None:
    logger = _logger()
    wait = settings.write_wait_seconds
    zone = configured.timezone if configured and configured.timezone else settings.timezone
    options = TransformOptions(settings.transform_workers, zone, settings.max_text_chars, settings.ner_model)
    status, error = "completed", None
    prepared = interrupted = False
    started = time.perf_counter()
    try:
        call(prepare_warehouse, db, summary.run_id, flow_run.id, wait)
        prepared = True
        logger.info("run %s: %s%s into %s (batches of %d)", summary.run_id, local or "", spec or "", db, size)
        with open_transforms(options, dask) as transforms:
            run = _Run(summary, db, transforms, wait_seconds=wait)
            if local:
                # Counted for the progress bar by a second streaming walk: a list of every file would grow with
                # the tree.
                run.total = sum(_weight(r) for r in discover_inputs(local, slice_lines=size))
                run.read_local(local, size)
            if spec is not None:
                try:
                    run.fetch_web(spec, fetch_policy(settings, allow_hosts or (), configured), size)
                finally:
                    close_fetchers()
    except BaseException as exc:
        status, error = "failed", describe_error(exc, db)
        interrupted = isinstance(exc, RunInterrupted)
        if interrupted:
            kill_pool()  # the workers' batch will never be loaded: stop them now, not at interpreter exit
        logger.error("run %s failed: %s", summary.run_id, error)
        raise
    finally:
        for key in ("inputs", "loaded", "unchanged", "duplicates", "rejected"):
            summary.counts.setdefault(key, 0)
        summary.seconds["total"] = time.perf_counter() - started
        # A run stopped by a signal before its row existed (waiting for a reader) still gets one; a warehouse that
        # could not be prepared (damaged, full, busy) cannot take it.
        if prepared or interrupted:
            _record_end(summary, db, wait, status, error, prepared)
        if in_prefect_run():
            publish_summary(summary.as_dict(), status)


def _record_end(
    summary: RunSummary, db: str, wait: float, status: str, error: str | None, prepared: bool
) -> None:
    """Write the run's end; a failure here is logged, never raised over the run's own error."""
    try:
        if not prepared:
            call(prepare_warehouse, db, summary.run_id, flow_run.id, wait)
        # How a run ended is worth a longer wait than a batch: a reader that made a batch give up may be done.
        call(finish_run, db, summary.run_id, status, dict(summary.counts), error, 3 * wait)
    except Exception as exc:  # noqa: BLE001 - the next run marks a run left `running` as crashed
        _logger().error("could not record the end of run %s: %s", summary.run_id, describe_error(exc, db))


@flow(name="ingest_news")
def ingest_news(
    paths: list[str] | None = None,
    db_path: str | None = None,
    batch_size: int | None = None,
    feeds: list[str] | None = None,
    sitemaps: list[str] | None = None,
    source: str | None = None,
    allow_hosts: list[str] | None = None,
    dask_workers: int | None = None,
    dask_address: str | None = None,
) -> dict[str, object]:
    """Ingest files, folders, globs, JSONL, URLs, feeds, sitemaps or a configured source into DuckDB."""
    return run_ingest(
        paths, db_path, batch_size, feeds, sitemaps, source, allow_hosts, dask_workers, dask_address
    )


__all__ = [
    "add_progress_listener",
    "batched_refs",
    "check_request",
    "fetch_policy",
    "ingest_news",
    "is_url",
    "run_ingest",
]
