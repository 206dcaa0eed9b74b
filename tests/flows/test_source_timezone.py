"""A source's `timezone` reaches the pipeline: its naive times are read in that zone and stored in UTC."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from flows.ingest import run_ingest
from tests.conftest import SEED
from warehouse.connection import connect


@pytest.mark.parametrize(
    ("timezone_line", "stored"),
    [
        ("", datetime(2025, 4, 20, 2, 20)),  # settings default: Asia/Shanghai, UTC+8
        ('timezone = "America/New_York"', datetime(2025, 4, 20, 14, 20)),  # EDT, UTC-4
        ('timezone = "UTC"', datetime(2025, 4, 20, 10, 20)),
    ],
    ids=["default", "new-york", "utc"],
)
def test_source_timezone_reads_naive_times(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, timezone_line: str, stored: datetime
) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    text = SEED.read_text("utf-8")[:400].replace("\n", " ").replace('"', "'")
    (drop / "a.jsonl").write_text(
        f'{{"url": "https://example.cn/a", "published_at": "2025-04-20 10:20", "text": "{text}"}}\n'
        f'{{"url": "https://example.cn/b", "published_at": "2025-04-20T10:20:00+08:00", "text": "{text}"}}\n',
        encoding="utf-8",
    )
    sources = tmp_path / "sources.toml"
    sources.write_text(f'[[sources]]\nname = "drop"\npaths = ["{drop}"]\n{timezone_line}\n', encoding="utf-8")
    monkeypatch.setenv("NEWSETL_SOURCES_FILE", str(sources))
    db = tmp_path / "w.duckdb"
    run_ingest(source="drop", db_path=str(db))
    with connect(db, read_only=True) as conn:
        rows = dict(conn.execute("SELECT url, published_at FROM articles").fetchall())
        local_date = conn.execute("SELECT published_date FROM articles WHERE url LIKE '%/a'").fetchone()
    assert rows == {"https://example.cn/a": stored, "https://example.cn/b": datetime(2025, 4, 20, 2, 20)}
    assert local_date == (date(2025, 4, 20),)  # the naive time's own date, in any zone
