"""One writer per DuckDB file: a Prefect global concurrency limit per database, plus an OS file lock."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from prefect.client.orchestration import get_client
from prefect.concurrency.sync import concurrency
from prefect.context import FlowRunContext

logger = logging.getLogger("newsetl")


def limit_name(db_path: str | Path) -> str:
    """The Prefect concurrency limit that guards one database file (named by its absolute path)."""
    digest = hashlib.sha256(str(Path(db_path).resolve()).encode("utf-8")).hexdigest()[:12]
    return f"newsetl-db-{Path(db_path).stem[:30].lower()}-{digest}"


@contextmanager
def _file_lock(db_path: str | Path) -> Iterator[None]:
    # DuckDB itself refuses a second writer with an error; this lock makes the second run wait instead. It also
    # covers local runs, which have no Prefect server to ask.
    lock_path = Path(str(db_path) + ".lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            logger.info("waiting for another run writing %s to finish", db_path)
            started = time.monotonic()
            fcntl.flock(handle, fcntl.LOCK_EX)
            logger.info("got the write lock on %s after %.1f s", db_path, time.monotonic() - started)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def single_writer(db_path: str | Path) -> Iterator[None]:
    """Hold the database's single write slot for the whole run; a second run waits until it is free."""
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
        stack.enter_context(_file_lock(db_path))
        yield
