"""Run the pure stages of a batch on several cores: a process pool that lives as long as the process."""

from __future__ import annotations

import atexit
import ctypes
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from multiprocessing import forkserver
from typing import Any, Generic, TypeVar

from tasks.fork_server import fork_server_context
from tasks.transforms.datetimes import DEFAULT_TIMEZONE
from tasks.transforms.models import Article, RawDocument, Reject
from tasks.transforms.pipeline import DEFAULT_MAX_TEXT_BYTES, process_for_load

logger = logging.getLogger("newsetl")

# What a batch's work returns per document: an Article (process_for_load), or what a caller makes of it in the
# worker (`newsetl parse` encodes its JSON lines there, so the parent unpickles strings, not fact objects).
R = TypeVar("R")
BatchWork = Callable[..., tuple[list[Any], list[Reject]]]

# Below this many documents and bytes a batch is transformed in-process: starting workers (each imports the stages
# and builds the entity lexicon, ~1 s) costs more than it saves, and small runs (`newsetl ingest one.html`) stay
# fast. The bytes count too: a batch's part of 8 MiB holds ~50 real pages, ~2 s of work on one core.
MIN_PARALLEL_DOCS = 64
MIN_PARALLEL_BYTES = 4 * 1024 * 1024

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# How often a worker checks that its parent is still alive (the fallback where PR_SET_PDEATHSIG is missing).
_WATCHDOG_SECONDS = 0.5

_pool: ProcessPoolExecutor | None = None
_pool_size = 0
# Set by kill_pool: a batch whose workers were killed on purpose is not redone in-process.
_killed = threading.Event()


def process_alive(pid: int) -> bool:
    """Whether pid runs: a zombie (dead, not yet reaped by its parent) counts as dead."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except FileNotFoundError:
        return False
    except OSError:  # no /proc here: signal 0 tells whether the pid exists
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True


def _watch_parent(run_pid: int, forked_by: int) -> None:
    while True:
        # Re-parented (the fork server that forked this worker died: it exits with the run) or the run is gone,
        # even by SIGKILL.
        if os.getppid() != forked_by or not process_alive(run_pid):
            os._exit(1)
        time.sleep(_WATCHDOG_SECONDS)


def init_worker(run_pid: int, use_pdeathsig: bool) -> None:
    """Make a worker die with the run: the kernel's parent-death signal on Linux (its parent is the fork server,
    which exits when the run's process does), plus a watchdog thread."""
    if use_pdeathsig and sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass  # no prctl here: the watchdog below still ends the worker
    # The parent may already be gone between fork and prctl; the watchdog sees it at its first check.
    threading.Thread(
        target=_watch_parent, args=(run_pid, os.getppid()), name="parent-watchdog", daemon=True
    ).start()
    # Signals are for the parent: a Ctrl-C reaches the whole process group, and the parent stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _get_pool(workers: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != workers:
        shutdown_pool()
        # PR_SET_PDEATHSIG fires when the creating *thread* ends: only safe from the main thread, which lives as
        # long as the process. Pools started from another thread rely on the watchdog alone.
        from_main = threading.current_thread() is threading.main_thread()
        _pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=fork_server_context(),
            initializer=init_worker,
            initargs=(os.getpid(), from_main),
        )
        _pool_size = workers
        _killed.clear()
    return _pool


def shutdown_pool() -> None:
    """Stop the worker processes (also done at interpreter exit)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None


def _stop_fork_server() -> None:
    """Stop the workers' fork server and reap it, so its CPU counts in this process's children and none is left."""
    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if stop is not None:  # CPython's own hook for this; without it the server exits when this process does
        stop()


def kill_pool() -> None:
    """Kill the worker processes now (a run interrupted by a signal does not wait for their batch)."""
    global _pool
    if _pool is None:
        return
    _killed.set()
    # The executor has no public handle on its processes or queues. Its call queue's feeder thread may be blocked
    # writing a batch to workers that are now dead: without cancel_join_thread, interpreter exit waits for it forever.
    processes = list(getattr(_pool, "_processes", {}).values())
    # The interrupted map() cancelled its pending futures; on Python 3.11 the executor's thread then fails them
    # again when it finds the workers dead and dies with InvalidStateError. Drop them before the kill.
    pending = getattr(_pool, "_pending_work_items", {})
    for work_id, item in list(pending.items()):
        if item.future.cancelled():
            pending.pop(work_id, None)
    for process in processes:
        process.kill()
    for process in processes:
        process.join(timeout=5)
    call_queue = getattr(_pool, "_call_queue", None)
    if call_queue is not None:
        call_queue.cancel_join_thread()
    # No cancel_futures: the executor's own thread fails the pending futures as it finds the workers dead, and on
    # Python 3.11 it raises (InvalidStateError) when one of them was cancelled meanwhile.
    _pool.shutdown(wait=False)
    _pool = None


atexit.register(_stop_fork_server)  # atexit runs last-registered first: the pool stops, then its server
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


class PendingTransform(Generic[R]):
    """A batch's transform under way in the pool (or, for a small batch, run in-process when asked for)."""

    def __init__(
        self,
        docs: list[RawDocument],
        parts: list[Future[tuple[list[R], list[Reject]]]],
        timezone: str,
        max_text_bytes: int,
        ner_model: str | None,
        work: BatchWork | None = None,
    ) -> None:
        # None: process_for_load, looked up when the batch is made (so a test can stand in for it)
        self._docs, self._parts = docs, parts
        self._work: BatchWork = work or process_for_load
        self._options = (timezone, max_text_bytes, ner_model)

    @property
    def on_pool(self) -> bool:
        """Whether the batch went to the worker processes (else it is transformed in-process by result())."""
        return bool(self._parts)

    def done(self) -> bool:
        """Whether result() would return without waiting for the pool."""
        return all(part.done() for part in self._parts)

    def result(self, timeout: float | None = None) -> tuple[list[R], list[Reject]]:
        """The batch's outputs (articles, or what `work` makes of them) and rejects, in input order; TimeoutError
        when the pool has not finished it within `timeout` seconds (an in-process batch runs to its end)."""
        if not self._parts:
            return self._work(self._docs, *self._options)
        if timeout is not None and wait(self._parts, timeout).not_done:
            raise TimeoutError(f"the batch was not transformed within {timeout} s")
        try:
            parts = [part.result() for part in self._parts]
        except BrokenProcessPool as exc:
            if _killed.is_set():
                raise  # the run was stopped: its batches are not redone here
            # A worker died (killed, out of memory): redo this batch here.
            logger.warning("transform workers failed (%s); transforming this batch in-process", exc)
            shutdown_pool()
            return self._work(self._docs, *self._options)
        outputs = [out for part_outputs, _ in parts for out in part_outputs]
        rejects = [r for _, part_rejects in parts for r in part_rejects]
        return outputs, rejects


def submit_documents(
    docs: list[RawDocument],
    workers: int = 1,
    timezone: str = DEFAULT_TIMEZONE,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
    ner_model: str | None = None,
    work: BatchWork | None = None,
    big_run: bool = False,
) -> PendingTransform[Any]:
    """Start `work` (process_for_load, or a module-level function with its arguments and a result of the same
    shape) over a batch on `workers` processes when big enough, or when `big_run` says the run it belongs to
    is; the caller loads meanwhile."""
    # A small batch (a run's last) still goes to a pool that is already up: in-process it would hold the flow
    # process while the workers sit idle.
    pool_up = _pool is not None and _pool_size == workers
    small = (
        not big_run
        and len(docs) < MIN_PARALLEL_DOCS
        and sum(len(d.payload) for d in docs) < MIN_PARALLEL_BYTES
    )
    if workers <= 1 or (small and not pool_up) or not docs or not can_spawn():
        return PendingTransform(docs, [], timezone, max_text_bytes, ner_model, work)
    task = partial(
        work or process_for_load, timezone=timezone, max_text_bytes=max_text_bytes, ner_model=ner_model
    )
    pool = _get_pool(workers)
    try:
        # Twice as many chunks as workers evens out articles of very different lengths.
        parts = [pool.submit(task, chunk) for chunk in _chunks(docs, 2 * workers)]
    except BrokenProcessPool as exc:
        logger.warning("transform workers failed (%s); transforming this batch in-process", exc)
        shutdown_pool()
        return PendingTransform(docs, [], timezone, max_text_bytes, ner_model, work)
    return PendingTransform(docs, parts, timezone, max_text_bytes, ner_model, work)


def transform_documents(
    docs: list[RawDocument],
    workers: int = 1,
    timezone: str = DEFAULT_TIMEZONE,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
    ner_model: str | None = None,
) -> tuple[list[Article], list[Reject]]:
    """process_for_load over a batch (articles with their index entries), split across `workers` processes when
    the batch is big enough."""
    return submit_documents(docs, workers, timezone, max_text_bytes, ner_model).result()
