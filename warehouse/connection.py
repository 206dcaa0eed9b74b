"""The one place that opens DuckDB: bounded waits for a busy file, integrity checks, consistent copies."""

from __future__ import annotations

import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

import duckdb

logger = logging.getLogger("newsetl")

# DuckDB's file starts with three 4 KiB headers, then `total_blocks` blocks of `block_size` bytes (measured on
# DuckDB 2.0: a checkpointed file of 121 blocks of 256 KiB is exactly 12288 + 121 * 262144 bytes).
_HEADER_BYTES = 3 * 4096
# Tables small enough to read in full at every run start: a damaged block in them fails the scan.
_SCANNED_TABLES = ("schema_migrations", "runs")
RESTORE_HINT = (
    "restore the last backup over it (README, 'Backup and restore': stop runs, copy the backup to this path, "
    "delete any .wal beside it) or move it aside to start an empty warehouse"
)


# A reader that finds the file held touches `<db>.wanted` while it waits; a run lets go of the file between batches
# only when that happened within the last READER_FRESH_SECONDS. Letting go closes DuckDB, which checkpoints the
# WAL, and the next step opens it again: on 250 real pages that was 0.5 s of the flow's 2.1 s of CPU (6 batches).
# A waiting reader touches the file at least every 0.5 s (connect's longest pause), so 2 s means "waiting now".
READER_FRESH_SECONDS = 2.0


def turn_request_path(db_path: str | Path) -> Path:
    """The file a waiting reader touches to ask a run for a turn (beside the warehouse)."""
    path = Path(db_path)
    return path.with_name(path.name + ".wanted")


def request_turn(db_path: str | Path) -> None:
    """Ask the run holding the file to let go at its next gap between batches (best effort: no-op if unwritable)."""
    try:
        turn_request_path(db_path).touch()
    except OSError:
        pass  # a reader without write access to the folder waits for the run's end, as third-party readers do


def turn_requested(db_path: str | Path) -> bool:
    """Whether a reader asked for a turn within the last READER_FRESH_SECONDS."""
    try:
        touched = turn_request_path(db_path).stat().st_mtime
    except OSError:
        return False
    return time.time() - touched <= READER_FRESH_SECONDS


class WarehouseBusy(RuntimeError):
    """Another process holds the database file (DuckDB allows one read-write process)."""


class WarehouseCorrupt(RuntimeError):
    """The database file is truncated or damaged; the message says how to restore it."""


def _is_lock_error(exc: BaseException) -> bool:
    return "lock" in str(exc).lower()


def _is_open_here_error(exc: BaseException) -> bool:
    # DuckDB shares one instance per file in a process, and refuses an open whose settings differ from it: a
    # read-only open while this process writes (or the reverse), or another config.
    return "different configuration" in str(exc).lower()


def _is_environment_error(exc: BaseException) -> bool:
    # Errors of the surroundings (disk, permissions), not of the file's content: reported as they are.
    text = str(exc).lower()
    return any(s in text for s in ("no space left", "permission denied", "read-only file system", "too many"))


# Checkpoints merge no row groups. Each load's append after a checkpoint starts a small row group, and DuckDB's
# vacuum merges neighbours up to 122,880 rows, rewriting the merged rows whole, article bodies included: a process
# reached 1.5 GB at 32,000 bodies of 15 KB, the file doubling at each merge (bench/probe_checkpoint_memory.py).
# Without it the checkpoint writes only what changed; row groups whose rows are all deleted are still dropped, and
# the search index's re-sort rewrites its own table whole. Smaller row groups (ATTACH ... ROW_GROUP_SIZE 2048)
# bounded the memory too, but every scan of 70 M postings then checked 34,000 row groups: search p50 12 -> 24 ms.
_CHECKPOINT_SETTINGS = "SET GLOBAL max_vacuum_tasks = 0"


def _with_checkpoint_settings(conn: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A writer's connection with _CHECKPOINT_SETTINGS (of the instance, not the file: every writer's open sets them);
    closed if they cannot be set, so a failed open holds no file."""
    try:
        conn.execute(_CHECKPOINT_SETTINGS)
    except BaseException:
        conn.close()
        raise
    return conn


def _open(path: Path, read_only: bool, config: dict[str, Any] | None) -> duckdb.DuckDBPyConnection:
    try:
        conn = duckdb.connect(str(path), read_only=read_only, config=config or {})
        return conn if read_only else _with_checkpoint_settings(conn)
    except duckdb.Error as exc:
        if _is_lock_error(exc):
            raise WarehouseBusy(f"{path} is in use by another process: {exc}") from exc
        if _is_open_here_error(exc):
            raise WarehouseBusy(f"{path} is open in this process with other settings: {exc}") from exc
        if _is_environment_error(exc):
            raise
        raise WarehouseCorrupt(f"{path} cannot be opened ({exc}); {RESTORE_HINT}") from exc


def connect(
    db_path: str | Path,
    read_only: bool = False,
    config: dict[str, Any] | None = None,
    wait_seconds: float = 0.0,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file, waiting up to wait_seconds while another process has it.

    Readers pass read_only=True, sandboxed sessions their DuckDB `config`.
    """
    path = Path(db_path)
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `newsetl ingest` first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    pause = 0.02
    while True:
        try:
            return _open(path, read_only, config)
        except WarehouseBusy as exc:
            waited = time.monotonic() - started
            if waited >= wait_seconds:
                if wait_seconds > 0:
                    raise WarehouseBusy(f"{exc} (still busy after waiting {waited:.1f} s)") from exc
                raise
            if pause == 0.02:
                logger.info("%s is in use by another process; waiting up to %g s", path, wait_seconds)
            if read_only:  # runs wait for readers, never the other way: a run's own wait asks nothing
                request_turn(path)
            # Short first pauses: a reader or a batch usually lets go within a second.
            time.sleep(min(pause, wait_seconds - waited))
            pause = min(pause * 2, 0.5)


class HeldWarehouse:
    """Keeps the warehouse's DuckDB instance open across a run's steps, released when a reader asks for a turn.

    DuckDB reuses an open instance for every other connect() to the same file in the process (~0.2 ms instead of
    15-20 ms, most of it starting the instance's threads), so steps that each open the file pay once. The run lets
    go while it waits for the network, and while it waits for a transform when a reader asked (request_turn).
    """

    def __init__(self, db_path: str | Path, wait_seconds: float = 0.0) -> None:
        self.db_path, self.wait_seconds = db_path, wait_seconds
        self._conn: duckdb.DuckDBPyConnection | None = None

    def hold(self) -> None:
        """Open the file now (waiting up to wait_seconds for readers) unless it is held already."""
        if self._conn is None:
            self._conn = connect(self.db_path, wait_seconds=self.wait_seconds)

    def release(self) -> None:
        """Let go of the file (a no-op when not held); connections still open elsewhere keep the instance."""
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def release_if_wanted(self) -> bool:
        """Let go of the file when a reader asked for a turn lately; whether it is let go now."""
        if self._conn is not None and turn_requested(self.db_path):
            self.release()
        return self._conn is None

    def __enter__(self) -> HeldWarehouse:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _highest_block(conn: duckdb.DuckDBPyConnection) -> int:
    """The highest block id any table's data lives in (-1 for none); its end must lie within the file."""
    tables = conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
        "AND table_schema = 'main'"
    ).fetchall()
    if not tables:
        return -1
    # One statement over every table (a query per table cost ~1.5 ms each, twice per run); the names come from
    # the catalog and go in as parameters. pragma_storage_info reads segment metadata, not the data blocks.
    query = " UNION ALL ".join("SELECT max(block_id) AS b FROM pragma_storage_info(?)" for _ in tables)
    row = conn.execute(f"SELECT max(b) FROM ({query})", [table for (table,) in tables]).fetchone()
    return int(row[0]) if row and row[0] is not None else -1


def check_integrity(conn: duckdb.DuckDBPyConnection, db_path: str | Path) -> None:
    """Raise WarehouseCorrupt when the file is shorter than its blocks need or a small table cannot be read.

    A file cut short can still open (its metadata may sit in an early block) and then answer from the stored
    content hashes that every input is `unchanged`; only the data blocks past the cut are gone.
    """
    path = Path(db_path)
    try:
        row = conn.execute("SELECT block_size, used_blocks FROM pragma_database_size()").fetchone()
        block_size, used_blocks = row if row else (0, 0)
        blocks = max(used_blocks, _highest_block(conn) + 1)
        expected = _HEADER_BYTES + block_size * blocks if blocks else 0
        size = path.stat().st_size if path.exists() else 0
        if size < expected:
            raise WarehouseCorrupt(
                f"{path} is truncated: {size} bytes on disk, its blocks need {expected}; {RESTORE_HINT}"
            )
        present = {r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        for table in (t for t in _SCANNED_TABLES if t in present):
            # A full read of every column: a damaged block fails its checksum here rather than in a later query.
            conn.execute(f"SELECT count(*) FROM (SELECT * FROM {table})").fetchall()
    except duckdb.Error as exc:
        if _is_environment_error(exc):
            raise
        raise WarehouseCorrupt(f"{path} is damaged ({exc}); {RESTORE_HINT}") from exc


def copy_database(
    db_path: str | Path, dest: str | Path, wait_seconds: float = 0.0, verify: bool = True
) -> Path:
    """Checkpoint the warehouse, then copy it to dest by an atomic rename; readers of dest never see half a file.

    The caller holds the database's write slot, so no run changes the file while it is copied. verify=False skips
    the integrity check, for a run that checked the file when it started and has held the slot since.
    """
    source, target = Path(db_path), Path(dest)
    if target.resolve() == source.resolve():
        raise ValueError(f"the copy would overwrite the warehouse itself: {target}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    # The connection stays open during the copy: nobody else can write the file meanwhile, and after the
    # checkpoint the file holds every committed row (the .wal is empty).
    with connect(source, wait_seconds=wait_seconds) as conn:
        if verify:
            check_integrity(conn, source)
        conn.execute("CHECKPOINT")
        try:
            shutil.copyfile(source, partial)
            with partial.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return target
