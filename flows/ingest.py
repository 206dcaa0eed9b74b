"""The ingest_news flow: read or fetch inputs in batches, transform them, load DuckDB, record the run."""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

from prefect import flow
from prefect.runtime import flow_run

from flows.artifacts import publish_summary
from flows.batches import (
    BatchRun,
    RunSummary,
    add_progress_listener,
    batched_refs,
    call,
    in_prefect_run,
    input_weight,
    run_logger,
)
from flows.lifecycle import (
    check_dask,
    check_request,
    describe_error,
    interruption_of,
    publish_snapshot,
    quiet_expected_errors,
    raise_if_stopped,
    stop_on_signals,
)
from flows.settings import Settings, Source, load_settings
from flows.transform_runners import (
    DaskTarget,
    TransformOptions,
    open_transforms,
)
from flows.writer import single_writer
from tasks.crawl import close_fetchers
from tasks.fetch import FetchPolicy
from tasks.files import discover_inputs
from tasks.fork_server import start_fork_server
from tasks.load import finish_run, prepare_warehouse
from tasks.parallel import MIN_PARALLEL_DOCS, kill_pool
from tasks.transforms.rows import pipeline_version
from tasks.web import WebSpec
from warehouse.connection import HeldWarehouse


def is_url(value: str) -> bool:
    """True for http(s) URLs (fetched), False for paths and globs (read)."""
    return value.lower().startswith(("http://", "https://"))


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


def run_version(options: TransformOptions) -> str:
    """The run's pipeline version: the code's fingerprint plus the settings that change what an input yields."""
    parts = [f"timezone={options.timezone}", f"max_text_bytes={options.max_text_bytes}"]
    if options.ner_model:  # the file's bytes, not its name: retraining into the same path re-processes too
        parts.append(f"ner_model={hashlib.sha256(Path(options.ner_model).read_bytes()).hexdigest()}")
    return pipeline_version(parts)


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
    logger = run_logger()
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
    wait = settings.write_wait_seconds
    with (
        stop_on_signals(),
        single_writer(db, holder=f"run {summary.run_id}"),
        HeldWarehouse(db, wait) as held,
    ):
        _run_locked(
            summary, db, size, local, spec if has_web else None, settings, allow_hosts, configured, held, dask
        )
        if settings.publish_snapshot:
            held.hold()
            # Not verified again: the run checked the file when it started and has held the write slot since.
            publish_snapshot(db, wait, verify=False)
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
    held: HeldWarehouse,
    dask: DaskTarget | None = None,
) -> None:
    logger = run_logger()
    wait = settings.write_wait_seconds
    zone = configured.timezone if configured and configured.timezone else settings.timezone
    options = TransformOptions(settings.transform_workers, zone, settings.max_text_bytes, settings.ner_model)
    status, error = "completed", None
    prepared = interrupted = False
    started = time.perf_counter()
    try:
        # Counted for the progress bar by a streaming walk (a list of every file would grow with the tree).
        total = sum(input_weight(r) for r in discover_inputs(local, slice_lines=size)) if local else 0
        if dask is None and options.workers > 1 and total >= MIN_PARALLEL_DOCS:
            # The pool will be needed: its fork server preloads the stages (~0.5 s of one core) while this process
            # prepares the warehouse and reads the first batch, instead of after the first batch is submitted.
            start_fork_server()
        held.hold()  # first: the preparation's connect then shares this open instance instead of starting its own
        call(prepare_warehouse, db, summary.run_id, flow_run.id, wait)
        prepared = True
        logger.info("run %s: %s%s into %s (batches of %d)", summary.run_id, local or "", spec or "", db, size)
        with open_transforms(options, dask) as transforms:
            run = BatchRun(summary, db, transforms, wait, held, run_version(options))
            if local:
                run.total = total
                run.read_local(local, size)
            if spec is not None:
                try:
                    run.fetch_web(spec, fetch_policy(settings, allow_hosts or (), configured), size)
                finally:
                    close_fetchers()
        raise_if_stopped()  # a signal whose exception a finalizer swallowed still stops the run, never "completed"
    except BaseException as exc:
        stopped = interruption_of(exc)
        status, error = "failed", describe_error(stopped or exc, db)
        interrupted = stopped is not None
        # The batch the workers transform ahead will never be loaded: stop them now, not at interpreter exit.
        kill_pool()
        logger.error("run %s failed: %s", summary.run_id, error)
        if stopped is not None and stopped is not exc:
            raise stopped from exc
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
        run_logger().error("could not record the end of run %s: %s", summary.run_id, describe_error(exc, db))


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
    quiet_expected_errors()  # a busy, damaged or full warehouse is one line in the run's logs, not two tracebacks
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
