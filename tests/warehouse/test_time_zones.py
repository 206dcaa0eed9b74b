"""Publication times across the seam: HTML meta -> pipeline -> warehouse, stored as UTC."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from tasks.transforms.models import RawDocument
from tasks.transforms.pipeline import process_documents
from tasks.transforms.rows import to_rows
from warehouse import repository
from warehouse.connection import connect
from warehouse.migrate import migrate

PROSE = "<p>" + "国家知识产权局今天在柳州举行知识产权宣传周启动仪式，来自各地的代表参加了活动。" * 3 + "</p>"


def _page(published: str) -> bytes:
    head = f"<meta property='article:published_time' content='{published}'>" if published else ""
    return f"<html><head><title>测试新闻标题</title>{head}</head><body>{PROSE}</body></html>".encode()


@pytest.mark.parametrize(
    ("stated", "timezone", "stored_utc", "stored_date"),
    [
        ("2023-05-12T10:20:00-05:00", "Asia/Shanghai", datetime(2023, 5, 12, 15, 20), date(2023, 5, 12)),
        ("2023-05-12T10:20:00+08:00", "Asia/Shanghai", datetime(2023, 5, 12, 2, 20), date(2023, 5, 12)),
        ("2023-05-12T10:20:00Z", "Asia/Shanghai", datetime(2023, 5, 12, 10, 20), date(2023, 5, 12)),
        ("2023-05-12T10:20:00+00:00", "Asia/Shanghai", datetime(2023, 5, 12, 10, 20), date(2023, 5, 12)),
        ("2023-05-12T10:20:00", "Asia/Shanghai", datetime(2023, 5, 12, 2, 20), date(2023, 5, 12)),
        ("2023-05-12T10:20:00", "Europe/London", datetime(2023, 5, 12, 9, 20), date(2023, 5, 12)),  # BST
        ("2023-05-12T10:20:00-05:00", "Europe/London", datetime(2023, 5, 12, 15, 20), date(2023, 5, 12)),
        ("2023-05-12", "Asia/Shanghai", datetime(2023, 5, 11, 16, 0), date(2023, 5, 12)),
    ],
    ids=["minus-5", "plus-8", "zulu", "plus-0", "naive-shanghai", "naive-london", "offset-beats-zone", "bare-date"],
)  # fmt: skip
def test_published_at_is_stored_in_utc(
    tmp_path: Path, stated: str, timezone: str, stored_utc: datetime, stored_date: date
) -> None:
    doc = RawDocument("https://example.cn/a.html", _page(stated), "html")
    articles, rejects = process_documents([doc], timezone)
    assert not rejects
    with connect(tmp_path / "w.duckdb") as conn:
        migrate(conn)
        repository.start_run(conn, "r1", None)
        repository.upsert_articles(conn, [to_rows(a) for a in articles], "r1")
        row = conn.execute("SELECT published_at, published_date FROM articles").fetchone()
        column_type = conn.execute(
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'articles' "
            "AND column_name = 'published_at'"
        ).fetchone()
    # TIMESTAMP documented as UTC: what is stored does not depend on the session's or the machine's zone.
    assert column_type == ("TIMESTAMP",)
    assert row == (stored_utc, stored_date)
