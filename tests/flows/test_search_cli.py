"""`newsetl search`: one row per article in table, CSV and JSON-lines form; bad input is a one-line error."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import load_seed_warehouse

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load_seed_warehouse(tmp_path_factory.mktemp("search") / "w.duckdb")


def test_json_is_one_object_a_line(db: Path) -> None:
    result = runner.invoke(app, ["search", "知識產權", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 1
    assert set(records[0]) == {"article_id", "title", "published_at", "score", "snippet"}
    assert "知识产权" in records[0]["snippet"] and records[0]["score"] > 0


def test_csv_has_a_header_and_a_row_per_article(db: Path) -> None:
    result = runner.invoke(app, ["search", '"知识产权"', "--db", str(db), "-f", "csv", "--limit", "1"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.exit_code == 0 and len(rows) == 1


def test_since_after_the_article_finds_nothing(db: Path) -> None:
    result = runner.invoke(
        app, ["search", "知识产权", "--db", str(db), "-f", "json", "--since", "2030-01-01"]
    )
    assert result.exit_code == 0 and result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [(["知识产权", "--since", "2025-13-01"], "bad --since"), (["？！", ""], "nothing to search")],
    ids=["bad-date", "no-terms"],
)
def test_bad_input_is_a_one_line_error(db: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["search", *[a for a in args if a], "--db", str(db)])
    assert result.exit_code == 2
    assert (
        result.stderr.strip().startswith(f"error: {message}") and len(result.stderr.strip().splitlines()) == 1
    )
