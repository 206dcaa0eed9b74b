"""`newsetl ner train`: trains on a JSONL file end to end; the model it writes loads and tags."""

from __future__ import annotations

from pathlib import Path

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
