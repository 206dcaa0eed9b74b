"""Readers never fail a run and runs never fail readers: bounded waits, a named writer, the published copy, backup."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.ingest import run_ingest
from flows.writer import snapshot_path
from tests.conftest import SEED
from tests.robust.helpers import cue, hold, ingest_process, wait_for_line, write_corpus
from warehouse.connection import (
    READER_FRESH_SECONDS,
    HeldWarehouse,
    WarehouseBusy,
    connect,
    request_turn,
    turn_request_path,
    turn_requested,
)

runner = CliRunner()


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    db = tmp_path / "w.duckdb"
    run_ingest(paths=[str(SEED)], db_path=str(db))
    return db


def _counts(db: Path) -> tuple[int, int]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM roles)").fetchone()  # type: ignore[return-value]


def test_a_run_waits_for_a_reader_then_completes(warehouse: Path, tmp_path: Path) -> None:
    reader = hold(warehouse, "reader", 2.0)  # a 2-second analyst query holding the file
    try:
        summary = run_ingest(paths=[str(write_corpus(tmp_path / "more.jsonl", 3))], db_path=str(warehouse))
    finally:
        reader.wait(timeout=30)
    assert summary["counts"]["loaded"] == 3
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute("SELECT status FROM runs ORDER BY started_at DESC LIMIT 1").fetchone() == (
            "completed",
        )


def test_a_run_that_cannot_get_the_file_fails_in_one_line(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSETL_WRITE_WAIT_SECONDS", "0.5")
    reader = hold(warehouse, "reader", 5.0)
    try:
        result = runner.invoke(app, ["ingest", str(SEED), "--db", str(warehouse), "--no-prefect"])
    finally:
        reader.kill()
        reader.wait()
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "in use by another process" in lines[0] and "still busy after" in lines[0]
    assert "Traceback" not in result.output


def test_a_reader_arriving_mid_run_fails_the_run_cleanly_with_the_reason(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "in.jsonl", 40)
    db = tmp_path / "w.duckdb"
    # Holds 2.5 s: longer than a batch waits (1 s), shorter than recording the run's end waits (3 s).
    reader = hold(db, "reader-on-cue", 2.5)
    run = ingest_process(
        str(corpus), "--db", str(db), "--batch-size", "4", env={"NEWSETL_WRITE_WAIT_SECONDS": "1"}
    )
    try:
        wait_for_line(run, "batch:")
        cue(reader)  # the reader takes the file between two batches
        stderr = run.communicate(timeout=120)[1]
        reader.wait(timeout=30)
    finally:
        run.kill()
    assert run.returncode == 1 and "Traceback" not in stderr, stderr[-3000:]
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "still busy after waiting" in errors[0], stderr[-3000:]
    with duckdb.connect(str(db), read_only=True) as conn:
        status, error, loaded = conn.execute("SELECT status, error, n_loaded FROM runs").fetchone()  # type: ignore[misc]
    assert status == "failed" and "in use by another process" in error and "still busy after waiting" in error
    assert loaded >= 4  # what was committed before stays


def test_readers_wait_then_name_the_writing_run(warehouse: Path) -> None:
    writer = hold(warehouse, "writer", 30.0)
    try:
        for command in (["query", "SELECT 1"], ["stats"]):
            result = runner.invoke(app, [*command, "--db", str(warehouse), "--wait", "0.3"])
            assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
            errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
            assert len(errors) == 1, result.stderr
            line = errors[0]
            assert "run held-by-test" in line and "is writing" in line, line
            assert f"pid {writer.pid}" in line
        # The published copy of the last run answers at once, whoever writes the warehouse.
        result = runner.invoke(app, ["query", "SELECT count(*) AS n FROM articles", "--db", str(warehouse),
                                     "--snapshot", "--format", "csv"])  # fmt: skip
        assert result.exit_code == 0 and result.output.splitlines() == ["n", "1"], result.output
    finally:
        writer.kill()
        writer.wait()


def test_a_reader_gets_in_once_the_writer_lets_go(warehouse: Path) -> None:
    writer = hold(warehouse, "writer", 1.0)
    try:
        result = runner.invoke(
            app, ["query", "SELECT count(*) FROM articles", "--db", str(warehouse), "--wait", "20"]
        )
    finally:
        writer.wait(timeout=30)
    assert result.exit_code == 0, result.output


def test_snapshot_is_replaced_while_a_reader_holds_the_old_one(warehouse: Path, tmp_path: Path) -> None:
    copy = snapshot_path(warehouse)
    assert copy.name == "w.read.duckdb" and _counts(copy) == _counts(warehouse)
    reader = hold(copy, "reader", 60.0)  # a notebook holding the copy open does not block the next run
    try:
        run_ingest(paths=[str(write_corpus(tmp_path / "more.jsonl", 2))], db_path=str(warehouse))
        assert _counts(copy)[0] == 3 == _counts(warehouse)[0]
    finally:
        reader.kill()
        reader.wait()


def test_backup_is_a_consistent_copy_and_waits_for_a_run(warehouse: Path, tmp_path: Path) -> None:
    dest = tmp_path / "backups"
    dest.mkdir()
    result = runner.invoke(app, ["backup", str(dest), "--db", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert _counts(dest / "w.duckdb") == _counts(warehouse)
    writer = hold(warehouse, "writer", 30.0)
    try:
        result = runner.invoke(
            app, ["backup", str(tmp_path / "b2.duckdb"), "--db", str(warehouse), "--wait", "0.3"]
        )
    finally:
        writer.kill()
        writer.wait()
    assert result.exit_code == 1 and "run held-by-test" in result.stderr and "is writing" in result.stderr
    assert not (tmp_path / "b2.duckdb").exists()


def _reader_can_open(db: Path) -> bool:
    """Whether another process can open the file read-only at once (DuckDB's lock is per process)."""
    code = "import sys, duckdb\ntry:\n    duckdb.connect(sys.argv[1], read_only=True).close()\nexcept duckdb.Error:\n    sys.exit(3)"
    return subprocess.run([sys.executable, "-c", code, str(db)], timeout=60).returncode == 0


def test_a_held_warehouse_serves_the_runs_steps_and_lets_readers_in_once_released(warehouse: Path) -> None:
    with HeldWarehouse(warehouse) as held:
        held.hold()
        with connect(warehouse) as conn:  # a step of the run: the held instance, not a second open
            assert conn.execute("SELECT count(*) FROM articles").fetchone() == (1,)
        assert not _reader_can_open(warehouse)
        held.release()
        assert _reader_can_open(warehouse)
        held.hold()
    assert _reader_can_open(warehouse)


def test_a_run_keeps_the_file_between_batches_until_a_reader_asks(warehouse: Path) -> None:
    with HeldWarehouse(warehouse) as held:
        held.hold()
        assert not held.release_if_wanted() and not _reader_can_open(warehouse)  # nobody asked: no checkpoint
        request_turn(warehouse)
        old = time.time() - 2 * READER_FRESH_SECONDS
        os.utime(turn_request_path(warehouse), (old, old))
        assert not held.release_if_wanted()  # a reader that asked long ago has given up
        request_turn(warehouse)
        assert held.release_if_wanted() and _reader_can_open(warehouse)


def test_a_waiting_reader_asks_for_a_turn(warehouse: Path) -> None:
    writer = hold(warehouse, "writer", 30.0)
    try:
        with pytest.raises(WarehouseBusy):
            connect(warehouse, read_only=True, wait_seconds=1.0)
        assert turn_requested(warehouse)
    finally:
        writer.kill()
        writer.wait()
