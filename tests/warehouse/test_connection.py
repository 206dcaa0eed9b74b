"""The warehouse connection: bounded row groups, one shared instance per process, the file freed on the last close."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from warehouse.connection import ROW_GROUP_ROWS, HeldWarehouse, WarehouseBusy, connect


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


def test_row_groups_are_bounded_after_a_large_insert_and_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER, body VARCHAR)")
        conn.execute("INSERT INTO t SELECT i, repeat('x', 50) FROM range(20000) r(i)")
        conn.execute("CHECKPOINT")
        groups = conn.execute("SELECT DISTINCT row_group_id FROM pragma_storage_info('t')").fetchall()
        sizes = conn.execute(
            "SELECT max(count) FROM pragma_storage_info('t') WHERE column_name = 'id' GROUP BY row_group_id"
        ).fetchall()
    assert len(groups) >= 20000 // ROW_GROUP_ROWS
    assert max(size for (size,) in sizes) <= ROW_GROUP_ROWS


def test_connections_share_one_instance_and_the_last_close_frees_the_file(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    first = connect(path)
    first.execute("CREATE TABLE t (id INTEGER)")
    second = connect(path)  # would raise a file handle conflict if it were a second instance
    second.execute("INSERT INTO t VALUES (1)")
    first.close()
    assert second.execute("SELECT count(*) FROM t").fetchone() == (1,)
    assert _other_process_reads(path) == "IOException"  # still held: the lock is the instance's
    second.close()
    assert _other_process_reads(path) == "1"
    assert not Path(str(path) + ".wal").exists()  # the last close checkpointed


def test_cursors_are_independent_transactions_across_threads(tmp_path: Path) -> None:
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
    assert seen == [(0,)]  # the uncommitted insert is invisible to another cursor
    with connect(path, read_only=True) as reader:
        assert reader.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_a_read_only_open_beside_this_process_writer_is_busy_not_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with connect(path) as writer:
        writer.execute("CREATE TABLE t (id INTEGER)")
        with pytest.raises(WarehouseBusy, match="a writer in this process"):
            connect(path, read_only=True)


def test_spills_go_beside_the_file_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    path = tmp_path / "db" / "w.duckdb"
    with connect(path) as conn:
        (setting,) = conn.execute("SELECT current_setting('temp_directory')").fetchone() or ("",)
    assert Path(setting) == path.with_name("w.duckdb.tmp")
    assert list(cwd.iterdir()) == []


def test_a_writer_asking_for_other_settings_than_the_open_instance_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER)")
        with pytest.raises(ValueError, match="open in this process with config"):
            connect(path, config={"threads": 1})
        with connect(path) as same:  # the same settings share the instance
            assert same.execute("SELECT count(*) FROM t").fetchone() == (0,)
