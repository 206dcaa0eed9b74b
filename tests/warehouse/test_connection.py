"""The warehouse connection: checkpoints that rewrite no stored rows; one shared instance, the file freed after."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from warehouse.connection import HeldWarehouse, WarehouseBusy, connect


def _other_process_reads(path: Path) -> str:
    """What a separate process gets opening the file read-only: its row count, or the error's class name."""
    code = (
        "import sys, duckdb\n"
        "try:\n"
        "    print(duckdb.connect(sys.argv[1], read_only=True).execute('SELECT count(*) FROM t').fetchone()[0])\n"
        "except duckdb.Error as exc:\n"
        "    print(type(exc).__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    return done.stdout.strip()


def _appended_row_groups(path: Path, open_writer: Callable[[Path], duckdb.DuckDBPyConnection]) -> int:
    """Row groups after four loads of 3,000 rows, each its own open, append and closing checkpoint."""
    for _ in range(4):
        with open_writer(path) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER, body VARCHAR)")
            conn.execute("INSERT INTO t SELECT i, repeat('x', 40) FROM range(3000) r(i)")
    with duckdb.connect(str(path), read_only=True) as reader:
        return len(reader.execute("SELECT DISTINCT row_group_id FROM pragma_storage_info('t')").fetchall())


def test_checkpoints_keep_each_load_in_its_own_row_groups_instead_of_rewriting_them(tmp_path: Path) -> None:
    # DuckDB's own default merges the four appends into one row group, rewriting the earlier rows at each checkpoint.
    assert _appended_row_groups(tmp_path / "plain.duckdb", lambda p: duckdb.connect(str(p))) == 1
    assert _appended_row_groups(tmp_path / "w.duckdb", connect) == 4
    with connect(tmp_path / "w.duckdb") as conn:
        assert conn.execute("SELECT current_setting('max_vacuum_tasks')").fetchone() == (0,)


def test_connections_share_one_instance_and_the_last_close_frees_the_file(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    first = connect(path)
    first.execute("CREATE TABLE t (id INTEGER)")
    second = connect(path)  # HeldWarehouse relies on this: the open instance, not a second one
    second.execute("INSERT INTO t VALUES (1)")
    first.close()
    assert second.execute("SELECT count(*) FROM t").fetchone() == (1,)
    assert _other_process_reads(path) == "IOException"  # still held: the lock is the instance's
    second.close()
    assert _other_process_reads(path) == "1"
    assert not Path(str(path) + ".wal").exists()  # the last close checkpointed


def test_connections_are_independent_transactions_across_threads(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with connect(path) as setup:
        setup.execute("CREATE TABLE t (id INTEGER)")
    with HeldWarehouse(path) as held:
        held.hold()
        writer = connect(path)
        writer.execute("BEGIN")
        writer.execute("INSERT INTO t VALUES (1)")
        seen: list[object] = []

        def read() -> None:
            with connect(path) as reader:
                seen.append(reader.execute("SELECT count(*) FROM t").fetchone())

        thread = threading.Thread(target=read)
        thread.start()
        thread.join(30)
        writer.execute("COMMIT")
        writer.close()
    assert seen == [(0,)]  # the uncommitted insert is invisible to another connection
    with connect(path, read_only=True) as reader:
        assert reader.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_a_read_only_open_beside_this_process_writer_is_busy_not_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with connect(path) as writer:
        writer.execute("CREATE TABLE t (id INTEGER)")
        with pytest.raises(WarehouseBusy, match="open in this process with other settings"):
            connect(path, read_only=True)


def test_a_writer_asking_for_other_settings_than_the_open_instance_is_busy_not_corrupt(
    tmp_path: Path,
) -> None:
    path = tmp_path / "w.duckdb"
    with connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER)")
        with pytest.raises(WarehouseBusy, match="open in this process with other settings"):
            connect(path, config={"threads": 1})
        with connect(path) as same:  # the same settings share the instance
            assert same.execute("SELECT count(*) FROM t").fetchone() == (0,)
