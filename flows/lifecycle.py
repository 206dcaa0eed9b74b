"""A run's life around its work: checks before it starts, signals that stop it, errors told in one line."""

from __future__ import annotations

import errno
import glob
import logging
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from flows.settings import Settings, Source, check_dask_address, load_sources
from flows.transform_runners import DaskTarget
from flows.writer import WriterBusy, snapshot_path
from tasks.files import discover_inputs
from warehouse.connection import WarehouseBusy, WarehouseCorrupt, copy_database

logger = logging.getLogger("newsetl")

FETCHED_SCHEMES = ("http://", "https://")
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class UsageError(ValueError):
    """A request that cannot run as given (unknown source, missing path, bad number); nothing was done."""


class RunInterrupted(BaseException):
    """A stop signal reached the run (a BaseException, like KeyboardInterrupt: no `except Exception` eats it)."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.name = signal.Signals(signum).name
        super().__init__(f"interrupted by {self.name}")

    @property
    def exit_code(self) -> int:
        """The shell's convention for a process ended by a signal: 128 + its number."""
        return 128 + self.signum


# The stop signal the run in progress received, if any (one run at a time per main thread).
_received: list[int] = []


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGINT into RunInterrupted in the main thread; a second signal ends the process at once."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread can take signals; a run in a worker thread is stopped by its host
        return

    def interrupt(signum: int, _frame: FrameType | None) -> None:
        for other in STOP_SIGNALS:
            signal.signal(other, signal.SIG_DFL)  # a second signal during clean-up is not delayed
        _received.append(signum)
        raise RunInterrupted(signum)

    def unraisable(info: Any) -> None:
        # The handler can fire inside a finalizer (a Dask Future's __del__), where Python prints the exception and
        # drops it; the signal is recorded, and raise_if_stopped raises it at the run's next step.
        if not isinstance(info.exc_value, RunInterrupted):
            previous_hook(info)

    _received.clear()
    previous = {s: signal.signal(s, interrupt) for s in STOP_SIGNALS}
    previous_hook, sys.unraisablehook = sys.unraisablehook, unraisable
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        sys.unraisablehook = previous_hook
        _received.clear()


def raise_if_stopped() -> None:
    """Raise the stop signal the run received if its exception was swallowed on the way (by a finalizer)."""
    if _received:
        raise RunInterrupted(_received[0])


def interruption_of(exc: BaseException) -> RunInterrupted | None:
    """The RunInterrupted an error stands for: itself, or the stop signal received before it.

    A signal landing inside Prefect's task engine, while it sets up a task run, comes out as the engine's own error
    (`ValueError: Task run is not set`) rather than as RunInterrupted; the run was still stopped by the signal."""
    if isinstance(exc, RunInterrupted):
        return exc
    return RunInterrupted(_received[0]) if _received else None


def is_disk_full(exc: BaseException) -> bool:
    """Whether the error, or one it was raised from or during, is a full disk."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno == errno.ENOSPC:
            return True
        if "no space left on device" in str(current).lower():
            return True
        current = current.__cause__ or current.__context__
    return False


def is_expected_error(exc: BaseException) -> bool:
    """Whether exc is the run's surroundings or request (told in one line), not a bug (worth a traceback)."""
    expected = (UsageError, RunInterrupted, WarehouseBusy, WarehouseCorrupt, WriterBusy)
    return isinstance(exc, expected) or is_disk_full(exc)


class OneLineExpectedErrors(logging.Filter):
    """Drops the traceback Prefect attaches to a failed task or flow run when its error is an expected one."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if isinstance(record.exc_info, tuple) else None
        if exc is not None and is_expected_error(exc):
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_expected_errors() -> None:
    """Make Prefect's run loggers tell expected errors in one line (local and worker processes alike)."""
    for name in ("prefect.task_runs", "prefect.flow_runs"):
        run_logger = logging.getLogger(name)
        if not any(isinstance(f, OneLineExpectedErrors) for f in run_logger.filters):
            run_logger.addFilter(OneLineExpectedErrors())


def describe_error(exc: BaseException, db_path: str = "") -> str:
    """The run's error in one line: what a user acts on, not the last exception of a chain."""
    if is_disk_full(exc):
        # A full disk often surfaces as a later error (a failed ROLLBACK); the cause is what matters.
        return f"No space left on device (writing {db_path})" if db_path else "No space left on device"
    text = " ".join(str(exc).split()) or type(exc).__name__
    if isinstance(exc, RunInterrupted | UsageError):
        return text
    return f"{type(exc).__name__}: {text}"


def check_batch_size(batch_size: int | None) -> None:
    """A batch size must be a positive number of documents."""
    if batch_size is not None and batch_size < 1:
        raise UsageError(f"batch size must be at least 1, got {batch_size}")


def check_urls(urls: Iterable[str]) -> None:
    """Only http(s) is fetched: another scheme is an error, not a path that does not exist."""
    for url in urls:
        scheme, sep, _ = url.partition("://")
        if sep and not url.lower().startswith(FETCHED_SCHEMES):
            raise UsageError(
                f"unsupported scheme {scheme}:// in {url!r} (only http:// and https:// are fetched)"
            )


def check_paths(paths: Iterable[str]) -> None:
    """Every given file, folder or glob names something: a typo fails before any work."""
    for given in paths:
        if "://" in given:
            continue
        if os.path.lexists(os.path.expanduser(given)):
            continue
        # A glob that matches nothing is as much a typo as a missing file; the first match ends the search.
        if not glob.has_magic(given) or next(discover_inputs([given]), None) is None:
            raise UsageError(f"no such file or folder: {given}")


def check_db_writable(db_path: str) -> None:
    """The warehouse's folder must take new files (the database, its .wal and .lock)."""
    folder = Path(db_path).expanduser().absolute().parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        raise UsageError(f"cannot write the warehouse {db_path}: {exc.strerror or exc} ({folder})") from None


def check_request(
    settings: Settings,
    paths: list[str] | None = None,
    db_path: str | None = None,
    batch_size: int | None = None,
    feeds: list[str] | None = None,
    sitemaps: list[str] | None = None,
    source: str | None = None,
) -> tuple[Source | None, str]:
    """Refuse a request that cannot run (UsageError) before any work; returns the source and the database."""
    check_batch_size(batch_size)
    configured = load_sources(settings.sources_file).get(source) if source else None
    if source and configured is None:
        known = ", ".join(sorted(load_sources(settings.sources_file))) or "none"
        raise UsageError(f"unknown source {source!r} (configured: {known}; see {settings.sources_file})")
    check_urls([*(paths or []), *(feeds or []), *(sitemaps or [])])
    check_paths(paths or [])
    db = db_path or (configured.db_path if configured and configured.db_path else settings.db_path)
    check_db_writable(db)
    check_ner_model(settings.ner_model)
    return configured, db


def check_dask(workers: int | None, address: str | None) -> DaskTarget | None:
    """Where the transform runs on Dask (None: locally); a bad worker count or address is a UsageError."""
    if workers is None and address is None:
        return None
    if workers is not None and address is not None:
        raise UsageError(
            "give --dask-workers (a new local cluster) or --dask-address (an existing one), not both"
        )
    if workers is not None and workers < 1:
        raise UsageError(f"dask workers must be at least 1, got {workers}")
    try:
        return DaskTarget(workers, check_dask_address(address) if address is not None else None)
    except ValueError as exc:
        raise UsageError(f"dask address {address!r}: {exc}") from None


def check_ner_model(path: str | None) -> None:
    """Refuse a `ner_model` setting whose file cannot be loaded as a tagger (UsageError), before any work."""
    if not path:
        return
    from tasks.transforms.facts.tagger import ModelError, load_tagger

    try:
        load_tagger(Path(path))
    except (ModelError, OSError) as exc:
        raise UsageError(f"ner_model {path!r} cannot be loaded: {exc}") from exc


def publish_snapshot(db: str, wait_seconds: float, verify: bool = True) -> None:
    """Copy the warehouse to <db>.read.duckdb for long reads; a failure is logged, the run's data is committed."""
    try:
        copy_database(db, snapshot_path(db), wait_seconds, verify)
    except Exception as exc:  # noqa: BLE001 - the run itself succeeded; the old snapshot stays in place
        logger.warning("could not publish the read-only copy %s: %s", snapshot_path(db), describe_error(exc))
