"""One writer per DuckDB file: a Prefect global concurrency limit per database, plus an OS file lock."""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from prefect.client.orchestration import get_client
from prefect.concurrency.sync import concurrency
from prefect.context import FlowRunContext

logger = logging.getLogger("newsetl")


def limit_name(db_path: str | Path) -> str:
    """The Prefect concurrency limit that guards one database file (named by its absolute path)."""
    digest = hashlib.sha256(str(Path(db_path).resolve()).encode("utf-8")).hexdigest()[:12]
    return f"newsetl-db-{Path(db_path).stem[:30].lower()}-{digest}"


def lock_path(db_path: str | Path) -> Path:
    """The OS lock file beside a database; while held it names the run that writes (JSON)."""
    return Path(str(db_path) + ".lock")


def snapshot_path(db_path: str | Path) -> Path:
    """The read-only copy published beside a database: newsetl.duckdb -> newsetl.read.duckdb."""
    path = Path(db_path)
    return path.with_name(f"{path.stem}.read{path.suffix or '.duckdb'}")


class WriterBusy(RuntimeError):
    """Another run holds the database's write slot and did not let go in time."""


def _wait_for_lock(handle: IO[str], db_path: str | Path, timeout: float | None) -> None:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return
    except BlockingIOError:
        holder = current_writer(db_path) or "another run"
    logger.info("waiting for %s writing %s to finish", holder, db_path)
    started = time.monotonic()
    if timeout is None:
        fcntl.flock(handle, fcntl.LOCK_EX)
    else:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() - started >= timeout:
                    raise WriterBusy(
                        f"{db_path}: {holder} is writing; still busy after {timeout:g} s"
                    ) from None
                time.sleep(0.2)
    logger.info("got the write lock on %s after %.1f s", db_path, time.monotonic() - started)


@contextmanager
def _file_lock(db_path: str | Path, holder: str, timeout: float | None = None) -> Iterator[None]:
    # DuckDB itself refuses a second writer with an error; this lock makes the second run wait instead. It also
    # covers local runs, which have no Prefect server to ask.
    path = lock_path(db_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        _wait_for_lock(handle, db_path, timeout)
        try:
            # Readers that find the database busy read this to say which run is writing.
            handle.truncate(0)
            started = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
            handle.write(json.dumps({"holder": holder, "pid": os.getpid(), "started_at": started}))
            handle.flush()
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_writer(db_path: str | Path) -> str | None:
    """Who holds the database's write slot ("run 1f2e... (pid 42, since ...)"), or None when nobody does."""
    path = lock_path(db_path)
    try:
        handle = path.open("r")
    except OSError:
        return None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                info = json.loads(handle.read() or "{}")
            except ValueError:
                info = {}
            if not info:
                return "a run (starting)"
            return f"{info.get('holder')} (pid {info.get('pid')}, since {info.get('started_at')})"
        fcntl.flock(handle, fcntl.LOCK_UN)
        return None


@contextmanager
def single_writer(db_path: str | Path, holder: str = "a run", timeout: float | None = None) -> Iterator[None]:
    """Hold the database's single write slot for the whole run; a second run waits until it is free.

    holder names the writer for readers that find the database busy ("run <id>", "backup"); timeout None waits
    as long as it takes (a second run), a number raises WriterBusy after that many seconds (backup).
    """
    with ExitStack() as stack:
        if FlowRunContext.get() is not None:
            name = limit_name(db_path)
            with get_client(sync_client=True) as client:
                client.upsert_global_concurrency_limit_by_name(name, 1)
            # strict: a server that cannot enforce the limit fails the run instead of letting two writers in. A lease
            # renewal that fails later (a busy server) must not kill a run half-way: the file lock below still
            # guarantees one writer.
            stack.enter_context(
                concurrency(name, occupy=1, strict=True, raise_on_lease_renewal_failure=False)
            )
        stack.enter_context(_file_lock(db_path, holder, timeout))
        yield
