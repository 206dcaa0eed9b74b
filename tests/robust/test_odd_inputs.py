"""Odd inputs end a run with every input accounted for: non-UTF-8 names, a value DuckDB cannot store."""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import SEED

runner = CliRunner()


def test_non_utf8_name_and_unstorable_value_lose_nothing_else(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (folder / os.fsdecode("新闻".encode("gb18030") + b".txt")).write_text(text, encoding="utf-8")
    records = [
        {"url": "https://example.cn/1", "text": text + "一"},
        {
            "url": "https://example.cn/2",
            "text": text + "二",
            "title": "\ud800",
        },  # a lone surrogate: not UTF-8
        {"url": "https://example.cn/3", "text": text + "三"},
    ]
    (folder / "batch.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    db = tmp_path / "w.duckdb"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db), "--no-prefect", "--json"])
    # The input that could not be stored is an internal error (exit 3, README), kept in rejects with its reason.
    assert result.exit_code == 3, result.output
    with duckdb.connect(str(db), read_only=True) as conn:
        stored = {r[0] for r in conn.execute("SELECT source_uri FROM articles").fetchall()}
        rejects = conn.execute("SELECT source_uri, stage, reason FROM rejects").fetchall()
        run = conn.execute("SELECT status, n_inputs, n_loaded, n_rejected FROM runs").fetchone()
    assert {Path(uri).name for uri in stored} == {
        "\\xd0\\xc2\\xce\\xc5.txt",
        "batch.jsonl#L1",
        "batch.jsonl#L3",
    }
    assert [(Path(uri).name, stage) for uri, stage, _ in rejects] == [("batch.jsonl#L2", "internal")]
    assert "internal error: load" in rejects[0][2]
    assert run == ("completed", 4, 3, 1)
