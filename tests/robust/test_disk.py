"""A full disk and a damaged warehouse are said in one line, with what to do; backup and restore bring it back."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.ingest import run_ingest
from tests.conftest import SEED
from tests.robust.helpers import mounted_tmpfs, write_corpus

runner = CliRunner()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs."""
    with mounted_tmpfs(tmp_path / "small", "size=1m") as folder:
        yield folder


def _error_lines(result) -> list[str]:  # type: ignore[no-untyped-def]
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def test_disk_full_is_the_runs_error_in_one_line(small_disk: Path, tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "in.jsonl", 150)
    result = runner.invoke(app, ["ingest", str(corpus), "--db", str(small_disk / "w.duckdb"), "--no-prefect"])
    assert result.exit_code == 1, result.output
    assert _error_lines(result) == [f"error: No space left on device (writing {small_disk / 'w.duckdb'})"]


def test_a_truncated_warehouse_is_refused_with_how_to_restore(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    run_ingest(paths=[str(SEED)], db_path=str(db))
    backup = tmp_path / "backup.duckdb"
    assert runner.invoke(app, ["backup", str(backup), "--db", str(db)]).exit_code == 0
    # Data blocks at the end of the file and the catalog early (as after months of runs reusing freed blocks): a
    # file cut in half still opens, and without a check every input would look `unchanged`.
    with duckdb.connect(str(db)) as conn:
        conn.execute("CREATE TABLE scratch AS SELECT repeat('汉', 300) || i AS s FROM range(60000) t(i)")
        conn.execute("CHECKPOINT")
        conn.execute("CREATE TABLE scratch2 AS SELECT repeat('字', 300) || i AS s FROM range(60000) t(i)")
        conn.execute("CHECKPOINT")
        conn.execute("DROP TABLE scratch")
        conn.execute("CHECKPOINT")
    run_ingest(paths=[str(write_corpus(tmp_path / "more.jsonl", 2))], db_path=str(db))
    os.truncate(db, db.stat().st_size // 2)
    with duckdb.connect(str(db)):
        pass  # it opens: only a check at run start notices
    result = runner.invoke(app, ["ingest", str(SEED), "--db", str(db), "--no-prefect"])
    assert result.exit_code == 1
    [line] = _error_lines(result)
    assert "is truncated" in line and "restore the last backup" in line
    # Restore as README says: copy the backup over it; the next run works.
    backup.replace(db)
    result = runner.invoke(app, ["ingest", str(SEED), "--db", str(db), "--no-prefect", "--json"])
    assert result.exit_code == 0, result.output


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    db.write_bytes(b"not a database" * 1000)
    result = runner.invoke(app, ["ingest", str(SEED), "--db", str(db), "--no-prefect"])
    assert result.exit_code == 1
    [line] = _error_lines(result)
    assert "cannot be opened" in line and "restore the last backup" in line
