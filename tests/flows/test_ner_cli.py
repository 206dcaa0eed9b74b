"""`newsetl ner train`: trains on a JSONL file end to end; the model it writes loads and tags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from tasks.transforms.facts.tagger import load_tagger
from tests.conftest import FIXTURES

runner = CliRunner()
TINY = FIXTURES / "ner" / "tiny_train.jsonl"


def test_ner_train_writes_a_loadable_model(tmp_path: Path) -> None:
    model = tmp_path / "mine.npz"
    result = runner.invoke(app, ["ner", "train", "--data", str(TINY), "--out", str(model), "--epochs", "4"])
    assert result.exit_code == 0, result.output
    assert '"train": 12' in result.output
    tagger = load_tagger(model)
    text = "王小明在上海市会见了华为公司的代表。"
    assert {(m.kind, m.surface) for m in tagger.tag(text)} == {
        ("person", "王小明"),
        ("location", "上海市"),
        ("organization", "华为公司"),
    }


def test_ner_train_bad_data_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "abc", "entities": [{"type": "PER", "start": 1, "end": 9}]}\n', encoding="utf-8")
    result = runner.invoke(app, ["ner", "train", "--data", str(bad), "--out", str(tmp_path / "m.npz")])
    assert result.exit_code == 1
    assert "bad.jsonl:1" in result.output
    assert not (tmp_path / "m.npz").exists()


def test_ner_train_missing_file_is_an_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ner", "train", "--data", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 1
    assert "none.jsonl" in result.output


def test_ner_model_setting_is_used_by_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A trained file named by `ner_model` tags the articles: one that recognises nobody gives no people."""
    empty = tmp_path / "empty.jsonl"
    empty.write_text('{"text": "今天天气很好。", "entities": []}\n' * 3, encoding="utf-8")
    model = tmp_path / "nobody.npz"
    assert runner.invoke(app, ["ner", "train", "--data", str(empty), "--out", str(model)]).exit_code == 0
    article = tmp_path / "a.txt"
    article.write_text("王小明在上海市会见了华为公司的代表，双方就合作进行了深入交流。", encoding="utf-8")
    default = runner.invoke(app, ["parse", str(article), "--json"])
    monkeypatch.setenv("NEWSETL_NER_MODEL", str(model))
    custom = runner.invoke(app, ["parse", str(article), "--json"])
    assert default.exit_code == 0 and custom.exit_code == 0, default.output + custom.output
    assert _people(default.stdout) == {"王小明"} and _people(custom.stdout) == set()


def _people(output: str) -> set[str]:
    """Person names among the mentions of `newsetl parse --json` output (one article)."""
    record = json.loads(output)
    return {m["name"] for m in record["facts"]["mentions"] if m["kind"] == "person"}


def test_a_bad_ner_model_stops_ingest_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    monkeypatch.setenv("NEWSETL_NER_MODEL", str(bad))
    result = runner.invoke(app, ["ingest", str(TINY), "--db", str(tmp_path / "w.duckdb"), "--no-prefect"])
    assert result.exit_code == 2, result.output
    assert "ner_model" in result.stderr and "Traceback" not in result.output
    assert not (tmp_path / "w.duckdb").exists()
