"""`newsetl query` is a read-only sandbox: no other files read (unless --allow-files), nothing written, ever."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from warehouse import repository
from warehouse.connection import connect
from warehouse.migrate import migrate

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with connect(path) as conn:
        migrate(conn)
        repository.start_run(conn, "run1", None)
    return path


def _files(folder: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _extension_dirs() -> set[str]:
    root = Path.home() / ".duckdb"
    return {str(p) for p in root.rglob("*")} if root.is_dir() else set()


def _refused(db: Path, sql: str, *flags: str) -> str:
    """Run SQL that must fail; return the one-line message after checking nothing was written."""
    before, extensions = _files(db.parent), _extension_dirs()
    result = runner.invoke(app, ["query", sql, "--db", str(db), *flags])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: query failed: "), result.stderr
    assert _files(db.parent) == before, "the query wrote a file or changed the warehouse"
    assert _extension_dirs() == extensions, "the query installed something"
    return lines[0]


@pytest.mark.parametrize("flags", [(), ("--allow-files",)], ids=["sandbox", "allow-files"])
@pytest.mark.parametrize(
    "statement",
    [
        "COPY (SELECT 42) TO '{dir}/out.csv'",
        "COPY articles TO '{dir}/articles.parquet' (FORMAT parquet)",
        "SELECT 1; COPY (SELECT 42) TO '{dir}/out.csv'",
        "EXPORT DATABASE '{dir}/export'",
        "ATTACH '{dir}/other.duckdb' AS other",
        "INSTALL fts",
        "LOAD '{dir}/evil.duckdb_extension'",
        "SET enable_external_access = true",
        "RESET lock_configuration",
        "DELETE FROM runs",
        "CREATE TABLE notes (x INTEGER)",
    ],
    ids=["copy-to", "copy-parquet", "copy-after-select", "export", "attach", "install", "load", "set", "reset",
         "delete", "create"],
)  # fmt: skip
def test_writes_and_escapes_are_refused(db: Path, statement: str, flags: tuple[str, ...]) -> None:
    message = _refused(db, statement.format(dir=db.parent), *flags)
    assert "not allowed" in message


def test_other_files_are_not_read(db: Path) -> None:
    message = _refused(db, "SELECT * FROM read_csv('/etc/passwd', sep = ':')")
    assert "/etc/passwd" in message and "--allow-files" in message
    _refused(db, "SELECT content FROM read_text('/etc/hostname')")
    _refused(db, "SELECT * FROM glob('/etc/*')")


def test_allow_files_reads_other_files(db: Path, tmp_path: Path) -> None:
    data = tmp_path / "extra.csv"
    data.write_text("name,n\n柳州,3\n", encoding="utf-8")
    sql = f"SELECT name, n FROM read_csv('{data}')"
    assert runner.invoke(app, ["query", sql, "--db", str(db)]).exit_code == 1
    result = runner.invoke(app, ["query", sql, "--db", str(db), "--allow-files", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["name,n", "柳州,3"]


def test_reads_still_work(db: Path) -> None:
    for sql in ("SELECT count(*) AS n FROM runs", "DESCRIBE articles", "EXPLAIN SELECT 1", "PRAGMA database_list",
                "SUMMARIZE runs", "SELECT * FROM people_titles"):  # fmt: skip
        result = runner.invoke(app, ["query", sql, "--db", str(db), "--format", "json"])
        assert result.exit_code == 0, (sql, result.output)
