"""Every documented error of the CLI is one line with its exit code, before any work, and never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import REPO_ROOT, SEED
from tests.robust.helpers import mounted_tmpfs

runner = CliRunner()


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nobody can write, root included: a read-only tmpfs."""
    with mounted_tmpfs(tmp_path / "ro", "ro,size=64k") as folder:
        yield folder


def _assert_one_line_error(result, code: int, *needles: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, result.output
    # CliRunner catches what would escape as a traceback; an expected error never does.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--source", "nosuch"], ["unknown source 'nosuch'"]),
        (["{tmp}/missing.txt"], ["no such file or folder", "missing.txt"]),
        (["{tmp}/nothing/**/*.html"], ["no such file or folder"]),
        (["ftp://example.cn/a.html"], ["unsupported scheme ftp://"]),
        (["--feed", "ftp://example.cn/rss.xml"], ["unsupported scheme ftp://"]),
        (["--batch-size", "0", str(SEED)], ["batch size must be at least 1, got 0"]),
        (["--batch-size", "-5", str(SEED)], ["batch size must be at least 1, got -5"]),
    ],
    ids=[
        "unknown-source",
        "missing-path",
        "glob-matching-nothing",
        "ftp-url",
        "ftp-feed",
        "batch-0",
        "batch-neg",
    ],
)
def test_ingest_usage_errors_exit_2_before_any_work(
    tmp_path: Path, args: list[str], needles: list[str]
) -> None:
    db = tmp_path / "w.duckdb"
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    result = runner.invoke(app, ["ingest", *args, "--db", str(db), "--no-prefect"])
    _assert_one_line_error(result, 2, *needles)
    assert not db.exists()  # nothing started


def test_db_in_a_read_only_folder_is_a_usage_error(read_only_folder: Path) -> None:
    result = runner.invoke(
        app, ["ingest", str(SEED), "--db", str(read_only_folder / "w.duckdb"), "--no-prefect"]
    )
    _assert_one_line_error(result, 2, "cannot write the warehouse", "Read-only file system")


def test_readers_of_a_missing_warehouse_say_so(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.duckdb")
    _assert_one_line_error(runner.invoke(app, ["query", "SELECT 1", "--db", missing]), 1, "no warehouse at")
    _assert_one_line_error(runner.invoke(app, ["stats", "--db", missing]), 1, "no warehouse at")
    _assert_one_line_error(
        runner.invoke(app, ["query", "SELECT 1", "--db", missing, "--snapshot"]), 1, "no read-only copy"
    )
    _assert_one_line_error(
        runner.invoke(app, ["backup", str(tmp_path / "b"), "--db", missing]), 1, "no warehouse"
    )


def test_bad_sql_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    assert runner.invoke(app, ["ingest", str(SEED), "--db", str(db), "--no-prefect"]).exit_code == 0
    result = runner.invoke(app, ["query", "SELECT * FROM nope", "--db", str(db)])
    # DuckDB's own message keeps its caret under the bad name: the one error allowed several lines.
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("error: query failed: Catalog Error") and "Traceback" not in result.output


def test_serve_without_a_server_needs_ephemeral() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(
        REPO_ROOT / ".pytest_cache" / "prefect-home-serve"
    )  # no profile with an API URL
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "serve"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "PREFECT_API_URL is not set" in done.stderr and "--ephemeral" in done.stderr
