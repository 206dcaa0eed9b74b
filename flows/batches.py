"""The steps a run repeats per batch: skip unchanged inputs, submit the transform, load batches in order, count."""

from __future__ import annotations

import logging
import os
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import duckdb
from prefect import Task, get_run_logger
from prefect.context import FlowRunContext
from prefect.utilities.annotations import quote

from flows.lifecycle import describe_error, raise_if_stopped
from flows.transform_runners import PendingBatch, TransformRunner
from tasks.crawl import discover_web, fetch_batch, read_fetch_state
from tasks.fetch import FetchPolicy
from tasks.files import InputRef, discover_inputs
from tasks.load import find_seen, load_batch, save_fetch_state
from tasks.read import read_batch
from tasks.transforms.models import Article, RawDocument, Reject
from tasks.transforms.rows import article_key, stored_mentions
from tasks.web import FetchState, WebSpec
from warehouse.connection import HeldWarehouse
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


def run_logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    return get_run_logger() if in_prefect_run() else logging.getLogger("newsetl")


R = TypeVar("R")
ProgressListener = Callable[[int, int], None]
# A batch of large pages is transformed and loaded in parts of at most this many bytes of input: with 200 real
# pages (~34 MB) in one part, the flow process loaded it while the workers had only the run's last few pages left,
# and then loaded those while they idled (250 pages on 2 processes, measured: 8 MiB parts ran ~10% faster than 200
# pages, 4 MiB parts slower again from the fixed cost per load).
BATCH_MAX_BYTES = 8 * 1024 * 1024
# How often a run waiting for a transform looks whether a reader asked for the file (warehouse.connection).
READER_POLL_SECONDS = 0.2
# Resident memory of the run's process above which it lets go of the warehouse after a load. DuckDB keeps what it
# wrote and read cached (up to 80% of RAM by default) and its allocator keeps what it freed; closing the instance
# gives both back, and the next load opens it again (~0.1 s). A load adds up to ~250 MB (four 2 MB texts whose every
# search bigram is distinct), so a run starts each load from about this (measured on 1 process, 16 such texts: each
# batch peaked higher than the last, 795 MB at the end; with this 711 MB, the rest growing with DuckDB's checkpoint
# of the stored bodies, README "Design decisions"). Runs of real pages on 2 processes stay under it.
RELEASE_ABOVE_RSS_MB = 400
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


def resident_mb() -> float:
    """This process's resident memory in MB (Linux /proc; 0 where there is none, so nothing is let go early)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        return 0.0


def input_weight(ref: InputRef) -> int:
    """Documents an input stands for: a JSONL slice its lines, any other input 1."""
    return ref.line_end - ref.line_start if ref.line_start else 1


def batched_refs(refs: Iterable[InputRef], batch_size: int) -> Iterator[list[InputRef]]:
    """Group refs so each batch holds about batch_size documents (a JSONL slice weighs its lines)."""
    batch: list[InputRef] = []
    weight = 0
    for ref in refs:
        batch.append(ref)
        weight += input_weight(ref)
        if weight >= batch_size:
            yield batch
            batch, weight = [], 0
    if batch:
        yield batch


def byte_parts(docs: list[RawDocument], max_bytes: int) -> list[list[RawDocument]]:
    """Consecutive parts of docs of at most max_bytes of payload each (a larger document is a part alone); [[]]
    for no docs, so an empty batch is still submitted and counted."""
    parts: list[list[RawDocument]] = [[]]
    size = 0
    for doc in docs:
        if parts[-1] and size + len(doc.payload) > max_bytes:
            parts.append([])
            size = 0
        parts[-1].append(doc)
        size += len(doc.payload)
    return parts


def _short_reason(reason: str) -> str:
    # Group rejects by the kind of reason, not by the per-input detail after the first colon.
    return reason.split(":")[0][:80]


@dataclass
class SubmittedBatch:
    """A batch whose transform was submitted, with what its load needs besides the transform's result."""

    transform: PendingBatch
    n_docs: int
    rejects: list[Reject]
    states: list[FetchState]
    not_modified: int
    weight: int | None
    seen_duplicates: list[tuple[str, str]] = field(default_factory=list)  # skipped: (source_uri, article_id)


class BatchRun:
    """The steps one flow run repeats per batch, sharing its summary."""

    def __init__(
        self,
        summary: RunSummary,
        db: str,
        transforms: TransformRunner,
        wait_seconds: float,
        held: HeldWarehouse,
        version: str | None = None,
    ) -> None:
        self.summary, self.db, self.total, self.done = summary, db, 0, 0
        self.transforms, self.wait, self.version = transforms, wait_seconds, version
        # Open across back-to-back warehouse steps, let go while the run waits for a transform or the network.
        self.held = held
        self.pending: deque[SubmittedBatch] = deque()  # submitted transforms, loaded in this order
        self.logger = run_logger()

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
        """Submit one batch's transform, then load the batches that are more than `ahead` behind it, in order.

        A batch of large pages is cut into parts of at most BATCH_MAX_BYTES, each transformed and loaded on its own.
        """
        raise_if_stopped()
        docs, skipped, rejected_again, duplicates_again = self.skip_unchanged(docs)
        parts = byte_parts(docs, BATCH_MAX_BYTES)
        for k, part in enumerate(parts):
            first, last = k == 0, k == len(parts) - 1
            started = time.perf_counter()
            pending = self.transforms.submit(part)
            self._timed("transform", started)
            # What the batch brought besides documents goes with its first part; fetch states with its last, since
            # they are saved after the articles (a crash between parts then fetches again rather than skip).
            later = sum(len(p) for p in parts[1:]) if first else 0
            self.pending.append(
                SubmittedBatch(
                    pending, len(part), rejects + rejected_again if first else [], (states or []) if last else [],
                    not_modified + skipped if first else 0,
                    None if weight is None else (weight - later if first else len(part)),
                    duplicates_again if first else [],
                )
            )  # fmt: skip
            # Batch k is loaded here, in the flow process, while batch k+1 (and up to `ahead` more) is transformed.
            while len(self.pending) > self.transforms.ahead:
                self._finish(self.pending.popleft())

    def drain(self) -> None:
        """Load every batch still being transformed."""
        while self.pending:
            self._finish(self.pending.popleft())

    def _transformed(self, batch: SubmittedBatch) -> tuple[list[Article], list[Reject]]:
        """Wait for a batch's transform, letting go of the file meanwhile if a reader asks for a turn."""
        while batch.n_docs and not self.held.release_if_wanted():
            try:
                return batch.transform.result(timeout=READER_POLL_SECONDS)
            except TimeoutError:
                continue  # still transforming: has a reader asked meanwhile?
        return batch.transform.result()

    def _finish(self, batch: SubmittedBatch) -> None:
        """Wait for a batch's transform, load it and count it."""
        raise_if_stopped()
        summary = self.summary
        started = time.perf_counter()
        articles, more = self._transformed(batch)
        self._timed("transform", started)
        rejects, states = batch.rejects + more, batch.states
        started = time.perf_counter()
        self.held.hold()
        try:
            result = call(
                load_batch, self.db, summary.run_id, articles, rejects, states, self.wait, self.version,
                batch.seen_duplicates,
            )  # fmt: skip
        except _ROW_ERRORS as exc:
            self.logger.warning("loading a batch failed (%s); loading it input by input", describe_error(exc))
            result, failed = self._load_one_by_one(articles, rejects, states, batch.seen_duplicates)
            articles = [a for a in articles if a.source_uri not in {r.source_uri for r in failed}]
            rejects, more = rejects + failed, more + failed
        if resident_mb() > RELEASE_ABOVE_RSS_MB:
            self.held.release()
        self._timed("load", started)
        not_modified, seen_duplicates = batch.not_modified, len(batch.seen_duplicates)
        loaded = {"loaded": result.loaded, "unchanged": result.unchanged + not_modified,
                  "duplicates": result.duplicates + seen_duplicates, "rejected": len(rejects)}  # fmt: skip
        n_inputs = batch.n_docs + len(rejects) - len(more) + not_modified + seen_duplicates
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
                mentions=len(stored_mentions(f)), roles=len(f.roles), metrics=len(f.metrics),
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
        self,
        articles: list[Article],
        rejects: list[Reject],
        states: list[FetchState],
        seen_duplicates: list[tuple[str, str]],
    ) -> tuple[LoadResult, list[Reject]]:
        """Load each article in its own transaction; one that cannot be stored becomes an internal reject."""
        results: list[LoadResult] = []
        failed: list[Reject] = []
        for article in articles:
            try:
                results.append(
                    call(load_batch, self.db, self.summary.run_id, [article], [], [], self.wait, self.version)
                )
            except _ROW_ERRORS as exc:
                reason = f"internal error: load: {describe_error(exc)}"
                payload = article.body_raw.encode("utf-8", "backslashreplace")
                failed.append(Reject(article.source_uri, "internal", reason, payload))
        results.append(
            call(
                load_batch,
                self.db,
                self.summary.run_id,
                [],
                rejects + failed,
                states,
                self.wait,
                self.version,
                seen_duplicates,
            )
        )
        merged = LoadResult(
            loaded=sum(r.loaded for r in results),
            unchanged=sum(r.unchanged for r in results),
            duplicates=sum(r.duplicates for r in results),
            written=tuple(w for r in results for w in r.written),
        )
        return merged, failed

    def skip_unchanged(
        self, docs: list[RawDocument]
    ) -> tuple[list[RawDocument], int, list[Reject], list[tuple[str, str]]]:
        """Drop inputs this pipeline version has seen with the same bytes, before any decoding (issue 11 item 4):
        those stored (counted unchanged), those it rejected (rejected again with the stored reason) and those
        that duplicate an article another input still holds (counted duplicates again)."""
        if not docs:
            return docs, 0, [], []
        started = time.perf_counter()
        self.held.hold()
        seen = call(find_seen, self.db, docs, self.wait, self.version)
        self._timed("skip", started)
        kept, unchanged, again, duplicates = [], 0, [], []
        for d in docs:
            if d.source_uri in seen.unchanged:
                unchanged += 1
            elif d.source_uri in seen.rejected:
                again.append(Reject(d.source_uri, *seen.rejected[d.source_uri], d.payload))
            elif d.source_uri in seen.duplicates:
                duplicates.append((d.source_uri, seen.duplicates[d.source_uri]))
            else:
                kept.append(d)
        return kept, unchanged, again, duplicates

    def read_local(self, inputs: list[str], batch_size: int) -> None:
        """Files, folders, globs and JSONL, batch by batch."""
        # JSONL slices no longer than a batch, so batch_size holds for JSONL too.
        for batch in batched_refs(discover_inputs(inputs, slice_lines=batch_size), batch_size):
            started = time.perf_counter()
            docs, rejects = call(read_batch, batch)
            self._timed("read", started)
            self.process(docs, rejects, weight=sum(input_weight(r) for r in batch))
        self.drain()

    def fetch_web(self, spec: WebSpec, policy: FetchPolicy, batch_size: int) -> None:
        """Feeds, sitemaps and pages: discover article URLs, then fetch them batch by batch."""
        started = time.perf_counter()
        roots = [*spec.feeds, *spec.sitemaps, *spec.pages]
        self.held.hold()
        known = call(read_fetch_state, self.db, roots, self.wait)
        self.held.release()  # readers get their turn while the network is waited for
        found = call(discover_web, spec, policy, known)
        self._timed("fetch", started)
        self.total += len(found.targets) + len(found.docs)
        page_urls = set(spec.pages)
        page_states = [s for s in found.states if s[0] in page_urls]
        root_states = [s for s in found.states if s[0] not in page_urls]
        self.process(found.docs, found.rejects, page_states, not_modified=found.not_modified)
        for start in range(0, len(found.targets), batch_size):
            targets = found.targets[start : start + batch_size]
            started = time.perf_counter()
            self.held.hold()
            states = call(read_fetch_state, self.db, [t.url for t in targets], self.wait)
            self.held.release()
            fetched = call(fetch_batch, targets, policy, states, spec.charset)
            self._timed("fetch", started)
            self.process(fetched.docs, fetched.rejects, fetched.states, not_modified=fetched.not_modified)
        self.drain()
        # Feeds and sitemaps are marked fetched only once every article they listed was processed, so a crash
        # mid-run makes the next run read them in full again instead of getting a 304 and skipping the rest.
        self.held.hold()
        call(save_fetch_state, self.db, root_states, self.wait)
