"""`newsetl export`: every table as files, articles and facts by published month, read back by DuckDB (and pandas,
polars when installed)."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from tasks.files import discover_inputs, read_refs
from tasks.transforms.pipeline import process_documents
from tasks.transforms.rows import to_rows
from tests.conftest import SAMPLES
from warehouse import repository
from warehouse.connection import connect
from warehouse.migrate import migrate

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "w.duckdb"
    docs, _ = read_refs(discover_inputs([str(SAMPLES)]))
    articles, _ = process_documents(docs)
    with connect(path) as conn:
        migrate(conn)
        repository.start_run(conn, "r1", None)
        repository.upsert_articles(conn, [to_rows(a) for a in articles], "r1")
    return path


def _count(db: Path, table: str) -> int:
    with connect(db, read_only=True) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_reads_back_with_duckdb(db: Path, tmp_path: Path, fmt: str) -> None:
    result = runner.invoke(app, ["export", str(tmp_path / "out"), "--db", str(db), "--format", fmt])
    assert result.exit_code == 0, result.output
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    months = sorted(p.name for p in (tmp_path / "out" / "articles").iterdir())
    assert months and all(m.startswith("published_month=") for m in months)
    for table in ("articles", "mentions", "roles", "entity_aliases"):
        pattern = str(tmp_path / "out" / table / "**" / f"*.{fmt}")
        got = (
            duckdb.connect()
            .execute(f"SELECT count(*) FROM {reader}('{pattern}', hive_partitioning = true)")
            .fetchone()[0]
        )
        assert got == _count(db, table), table
    runs = (
        duckdb.connect()
        .execute(f"SELECT count(*) FROM {reader}('{tmp_path / 'out' / f'runs.{fmt}'}')")
        .fetchone()[0]
    )
    assert runs == 1


def test_since_keeps_later_articles_and_their_facts(db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(tmp_path / "out"), "--db", str(db), "--since", "2024-01-01"])
    assert result.exit_code == 0, result.output
    articles = (
        duckdb.connect()
        .execute(
            f"SELECT count(*), min(published_at) FROM read_parquet('{tmp_path / 'out' / 'articles' / '**' / '*.parquet'}')"
        )
        .fetchone()
    )
    with connect(db, read_only=True) as conn:
        expected = conn.execute(
            "SELECT count(*) FROM articles WHERE published_at >= DATE '2024-01-01'"
        ).fetchone()
    assert articles[0] == expected[0] and 0 < articles[0] < _count(db, "articles")


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_dataframe_libraries_read_the_parquet(db: Path, tmp_path: Path, library: str) -> None:
    if importlib.util.find_spec(library) is None:
        pytest.skip(f"{library} is not installed")
    module = importlib.import_module(library)
    runner.invoke(app, ["export", str(tmp_path / "out"), "--db", str(db)])
    frame = module.read_parquet(str(tmp_path / "out" / "runs.parquet"))
    assert len(frame) == 1
