"""What the CLI says when something expected goes wrong: one line on stderr and an exit code, never a traceback."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console

from flows.settings import Settings, SettingsError, Source, load_settings, load_sources

if TYPE_CHECKING:
    import duckdb

err = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line on stderr (never wrapped, never a traceback) and exit with code."""
    err.print(f"error: {message}", style="red", soft_wrap=True, markup=False, highlight=False)
    raise typer.Exit(code)


def settings_or_exit(with_sources: bool = False) -> tuple[Settings, dict[str, Source]]:
    """Settings (and sources), or a one-line error (exit 2) naming the bad key and its file or variable."""
    try:
        settings = load_settings()
        return settings, load_sources(settings.sources_file) if with_sources else {}
    except SettingsError as exc:
        fail(f"configuration error: {exc}", 2)


@contextmanager
def open_reader(
    db: str | None, wait: float, snapshot: bool = False, config: dict[str, Any] | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The warehouse (or its published copy) opened read-only, waiting up to `wait` s for a writing run."""
    from flows.writer import current_writer, snapshot_path
    from warehouse.connection import WarehouseBusy, WarehouseCorrupt, connect

    db_path = db or settings_or_exit()[0].db_path
    path = snapshot_path(db_path) if snapshot else Path(db_path)
    if snapshot and not path.exists():
        fail(f"no read-only copy at {path}: it is published after each completed run (publish_snapshot)")
    try:
        conn = connect(path, read_only=True, config=config, wait_seconds=wait)
    except WarehouseBusy:
        writer = current_writer(db_path) or "another process"
        fail(
            f"{db_path} is busy: {writer} is writing it (waited {wait:g} s); try again, raise --wait, "
            "or read the copy of the last completed run with --snapshot"
        )
    except (FileNotFoundError, WarehouseCorrupt) as exc:
        fail(str(exc))
    with conn:
        yield conn


@contextmanager
def run_errors(db_path: str = "") -> Iterator[None]:
    """Expected failures of a run as one line and an exit code: 2 usage, 128+n a signal, 1 the surroundings."""
    import duckdb

    from flows.lifecycle import RunInterrupted, UsageError, describe_error
    from flows.writer import WriterBusy
    from warehouse.connection import WarehouseBusy, WarehouseCorrupt

    try:
        yield
    except UsageError as exc:
        fail(str(exc), 2)
    except RunInterrupted as exc:
        err.print(
            f"error: run {exc}; it is marked failed",
            style="red",
            soft_wrap=True,
            markup=False,
            highlight=False,
        )
        sys.stdout.flush()
        sys.stderr.flush()
        stop_temporary_prefect_server()
        # The run is recorded and its workers are dead: exit now, as a stopped process should, instead of running
        # interpreter clean-up that may wait on their queues.
        os._exit(exc.exit_code)
    except (WarehouseBusy, WarehouseCorrupt, WriterBusy, duckdb.Error, OSError) as exc:
        fail(describe_error(exc, db_path), 1)


def stop_temporary_prefect_server() -> None:
    """Stop the Prefect server a `--prefect` run started for itself (no PREFECT_API_URL), if any.

    Prefect stops it at interpreter exit; a process leaving by os._exit skips that, and the server (a uvicorn
    child) would outlive the run, holding the run's stderr open."""
    server_module = sys.modules.get("prefect.server.api.server")
    if server_module is None:
        return  # no Prefect server was ever started in this process
    # Prefect keeps one instance per port in this private registry; its public stop() does the shutdown.
    for server in list(getattr(server_module.SubprocessASGIServer, "_instances", {}).values()):
        if getattr(server, "running", False):
            server.stop()


class StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at each record (a handler bound to a replaced stream fails later)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass
