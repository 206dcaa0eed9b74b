"""Run the pure stages of a batch on several cores: a process pool that lives as long as the process."""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial

from tasks.transforms.datetimes import DEFAULT_TIMEZONE
from tasks.transforms.models import Article, RawDocument, Reject
from tasks.transforms.pipeline import DEFAULT_MAX_TEXT_CHARS, process_documents

logger = logging.getLogger("newsetl")

# Below this many documents a batch is transformed in-process: starting workers (each imports the stages and
# builds the entity lexicon, ~1 s) costs more than it saves, and small runs (`newsetl ingest one.html`) stay fast.
MIN_PARALLEL_DOCS = 64

_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def _get_pool(workers: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != workers:
        shutdown_pool()
        # spawn, not fork: the parent runs Prefect's threads and event loop, which must not be copied mid-flight.
        _pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        _pool_size = workers
    return _pool


def shutdown_pool() -> None:
    """Stop the worker processes (also done at interpreter exit)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


atexit.register(shutdown_pool)


def _chunks(docs: list[RawDocument], n: int) -> list[list[RawDocument]]:
    # Contiguous chunks of about equal bytes, so outputs concatenate back in input order.
    total = sum(len(d.payload) for d in docs) or 1
    chunks: list[list[RawDocument]] = [[]]
    size = 0
    for doc in docs:
        if size >= total * len(chunks) / n and len(chunks) < n:
            chunks.append([])
        chunks[-1].append(doc)
        size += len(doc.payload)
    return [c for c in chunks if c]


def can_spawn() -> bool:
    """Whether spawned workers can start: they re-import __main__ by path, which fails for `python - <<EOF`."""
    main_file = getattr(sys.modules.get("__main__"), "__file__", None)
    return main_file is None or os.path.exists(main_file)


def transform_documents(
    docs: list[RawDocument],
    workers: int = 1,
    timezone: str = DEFAULT_TIMEZONE,
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS,
) -> tuple[list[Article], list[Reject]]:
    """process_documents over a batch, split across `workers` processes when the batch is big enough."""
    if workers <= 1 or len(docs) < MIN_PARALLEL_DOCS or not can_spawn():
        return process_documents(docs, timezone, max_text_chars)
    try:
        # Twice as many chunks as workers evens out articles of very different lengths.
        work = partial(process_documents, timezone=timezone, max_text_chars=max_text_chars)
        parts = list(_get_pool(workers).map(work, _chunks(docs, 2 * workers)))
    except BrokenProcessPool as exc:  # a worker died (killed, out of memory): redo this batch here
        logger.warning("transform workers failed (%s); transforming this batch in-process", exc)
        shutdown_pool()
        return process_documents(docs, timezone, max_text_chars)
    articles = [a for part_articles, _ in parts for a in part_articles]
    rejects = [r for _, part_rejects in parts for r in part_rejects]
    return articles, rejects
