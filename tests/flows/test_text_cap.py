"""The max_text_bytes setting reaches the run: a longer input is a reject with its reason, and the run goes on."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.ingest import run_ingest
from tests.conftest import SEED


def test_text_cap_setting_rejects_long_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSETL_MAX_TEXT_BYTES", "200")
    short = tmp_path / "short.txt"
    short.write_text("国家知识产权局批准柳州螺蛳粉地理标志产品保护，当地产业产值增长明显。", "utf-8")
    summary = run_ingest(paths=[str(SEED), str(short)], db_path=str(tmp_path / "w.duckdb"))
    assert summary["counts"]["loaded"] == 1
    assert summary["rejects"] == {"normalize: too long for an article": 1}
