from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import SEED

runner = CliRunner()


def test_ingest_then_query_json(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = runner.invoke(app, ["ingest", str(SEED), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "loaded" in result.output
    result = runner.invoke(
        app,
        [
            "query",
            "SELECT person, title FROM roles ORDER BY person, title",
            "--db",
            str(db),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {"person": "张壮", "title": "市长"} in rows


def test_query_csv_and_bad_sql(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    runner.invoke(app, ["ingest", str(SEED), "--db", str(db)])
    result = runner.invoke(
        app, ["query", "SELECT reporter FROM articles", "--db", str(db), "--format", "csv"]
    )
    assert result.output.splitlines() == ["reporter", "张莉"]
    result = runner.invoke(app, ["query", "SELECT * FROM no_such_table", "--db", str(db)])
    assert result.exit_code == 1


def test_query_is_read_only(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    runner.invoke(app, ["ingest", str(SEED), "--db", str(db)])
    result = runner.invoke(app, ["query", "DELETE FROM articles", "--db", str(db)])
    assert result.exit_code == 1


def test_parse_jsonl_gives_one_line_per_line(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    text = SEED.read_text("utf-8")
    lines = [
        {"id": "a1", "text": text},
        {"id": "a2", "text": "……"},
        {"id": "a3", "text": text.split("\n")[1]},
        {"id": "a4", "text": "李鹏在北京。"},
    ]
    source.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", str(source), "--json"])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in out] == ["a1", "a2", "a3", "a4"]
    by_id = {o["id"]: o for o in out}
    assert by_id["a2"]["rejected"] is True  # no letter or digit
    assert "北京" in {m["surface"] for m in by_id["a4"]["facts"]["mentions"]}  # a one-line sentence is parsed
    assert by_id["a1"]["facts"]["byline"]["reporter"] == "张莉"


def test_stats_shows_runs_tables_and_rejects(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    junk = tmp_path / "junk.txt"
    junk.write_bytes(bytes(range(256)) * 4)
    runner.invoke(app, ["ingest", str(SEED), str(junk), "--db", str(db)])
    result = runner.invoke(app, ["stats", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "completed" in result.output and "articles" in result.output
    assert "decode" in result.output  # the junk file's reject, grouped by stage and reason
    assert runner.invoke(app, ["stats", "--db", str(tmp_path / "missing.duckdb")]).exit_code == 1
