"""The same article from several inputs in one run: one stored, the others recorded, counts equal to the rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.ingest import run_ingest
from warehouse import repository
from warehouse.columns import FACT_TABLES
from warehouse.connection import connect

URL = "https://example.cn/2025/liuzhou.html"
BODY = (
    "新华社南宁4月20日电（记者张莉）4月20日，2025年全国知识产权宣传周广西活动启动仪式在柳州举行。"
    "柳州市市长张壮表示，柳州市有效发明专利达到3185件，同比增长12.5%。"
    "国家知识产权局副局长何志敏出席活动并讲话。"
)


def _page(extra: str) -> str:
    return (
        f"<html><head><title>知识产权宣传周在柳州启动</title><link rel='canonical' href='{URL}'>"
        f"<meta property='article:published_time' content='2025-04-20T10:20:00+08:00'></head>"
        f"<body><article><p>{BODY}</p><p>{extra}</p></article></body></html>"
    )


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """Three inputs of one article (same canonical URL): two mirrors of the page and a JSONL record."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "b_mirror.html").write_text(_page("（来源：柳州日报）"), encoding="utf-8")
    (folder / "a_original.html").write_text(_page(""), encoding="utf-8")
    (folder / "c_feed.jsonl").write_text(f'{{"url": "{URL}", "text": "{BODY}"}}\n', encoding="utf-8")
    return folder


def _tables(db: Path) -> dict[str, int]:
    with connect(db, read_only=True) as conn:
        return repository.table_counts(conn)


def _stored(db: Path) -> list[tuple[str, ...]]:
    with connect(db, read_only=True) as conn:
        return conn.execute("SELECT source_uri, content_sha256 FROM articles").fetchall()


def test_one_winner_and_counts_equal_rows(inputs: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    summary = run_ingest(paths=[str(inputs)], db_path=str(db))
    counts, facts = summary["counts"], summary["facts"]
    assert isinstance(counts, dict) and isinstance(facts, dict)
    assert (counts["inputs"], counts["loaded"], counts["duplicates"], counts["unchanged"]) == (3, 1, 2, 0)
    tables = _tables(db)
    # The first input in the run's order (a folder is read in sorted order) holds the article.
    assert [uri for uri, _ in _stored(db)] == [str(inputs / "a_original.html")]
    for table in FACT_TABLES:
        assert facts.get(table, 0) == tables[table], table
    assert tables["roles"] > 0 and tables["metrics"] > 0
    with connect(db, read_only=True) as conn:
        rows = conn.execute(
            "SELECT source_uri, stored_source_uri FROM duplicates ORDER BY source_uri"
        ).fetchall()
        n_duplicates = conn.execute("SELECT n_duplicates FROM runs").fetchone()
    assert rows == [
        (str(inputs / "b_mirror.html"), str(inputs / "a_original.html")),
        (str(inputs / "c_feed.jsonl") + "#L1", str(inputs / "a_original.html")),
    ]
    assert n_duplicates == (2,)


def test_identical_rerun_loads_nothing_and_keeps_the_winner(inputs: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    run_ingest(paths=[str(inputs)], db_path=str(db))
    stored, tables = _stored(db), _tables(db)
    for order in ([str(inputs)], [str(p) for p in sorted(inputs.iterdir(), reverse=True)]):
        again = run_ingest(paths=order, db_path=str(db))["counts"]
        assert isinstance(again, dict)
        assert (again["loaded"], again["unchanged"], again["duplicates"]) == (0, 1, 2), order
        assert _stored(db) == stored
        assert {k: v for k, v in _tables(db).items() if k != "runs"} == {
            k: v for k, v in tables.items() if k != "runs"
        }


def test_a_rerun_skips_duplicates_before_the_transform(
    inputs: Path, tmp_path: Path, transformed: list[str]
) -> None:
    db = tmp_path / "w.duckdb"
    first = run_ingest(paths=[str(inputs)], db_path=str(db))
    transformed.clear()
    again = run_ingest(paths=[str(inputs)], db_path=str(db))
    assert transformed == []  # the holder is unchanged and the duplicates are known: nothing is decoded
    counts = again["counts"]
    assert isinstance(counts, dict)
    assert (counts["inputs"], counts["loaded"], counts["unchanged"], counts["duplicates"]) == (3, 0, 1, 2)
    with connect(db, read_only=True) as conn:
        runs = {r[0] for r in conn.execute("SELECT run_id FROM duplicates").fetchall()}
        versions = {r[0] for r in conn.execute("SELECT pipeline_version FROM duplicates").fetchall()}
    assert runs == {again["run_id"]} and again["run_id"] != first["run_id"]  # the rows moved to the new run
    assert len(versions) == 1 and None not in versions
    # New bytes for a duplicate: it is transformed again (and is still a duplicate of the same article).
    (inputs / "b_mirror.html").write_text(_page("（来源：柳州晚报）"), encoding="utf-8")
    third = run_ingest(paths=[str(inputs)], db_path=str(db))["counts"]
    assert transformed == [str(inputs / "b_mirror.html")]
    assert isinstance(third, dict) and (third["unchanged"], third["duplicates"]) == (1, 2)
