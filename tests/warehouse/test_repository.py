from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from tasks.transforms.models import Article, Byline, Event, Facts, Mention, Metric, Quote, Reject, Role
from tasks.transforms.rows import reject_row, to_rows
from warehouse import repository
from warehouse.connection import connect
from warehouse.migrate import migrate

BODY = "柳州市市长张壮表示，有效专利3185件。"


def _article(source: str = "a.txt", body: str = BODY) -> Article:
    facts = Facts(
        byline=Byline("中国日报社", "广西记者站", "张莉", 0, 2),
        mentions=(
            Mention("person", "张壮", "张壮", 5, 7),
            Mention("location", "柳州市", "柳州市", 0, 3, "city"),
        ),
        roles=(Role("张壮", "市长", "柳州市人民政府", 3, 7),),
        metrics=(Metric(None, "有效专利", 3185.0, "件", None, 12, 19),),
        quotes=(Quote("张壮", "有效专利3185件。", 10, 20),),
        events=(Event("启动仪式", "2025-04-20", "柳州", ("甲",), ("乙", "丙"), 0, 4),),
    )
    return Article(
        source_uri=source, url=None, title="t", published_at=datetime(2025, 4, 20, 2, 0, tzinfo=UTC), language="zh",
        script_original="hans", encoding_detected="utf-8", encoding_confidence=1.0, body_raw=body, body=body,
        content_sha256=hashlib.sha256(body.encode()).hexdigest(), facts=facts, offsets=tuple(range(len(body) + 1)),
    )  # fmt: skip


@pytest.fixture
def conn(tmp_path: Path):
    with connect(tmp_path / "w.duckdb") as c:
        migrate(c)
        repository.start_run(c, "run1", None)
        yield c


def _counts(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {k: v for k, v in repository.table_counts(conn).items() if k != "schema_migrations"}


def test_reingest_adds_nothing(conn) -> None:
    first = repository.upsert_articles(conn, [to_rows(_article())], "run1")
    before = _counts(conn)
    second = repository.upsert_articles(conn, [to_rows(_article())], "run2")
    assert (first.loaded, first.unchanged) == (1, 0)
    assert (second.loaded, second.unchanged) == (0, 1)
    assert _counts(conn) == before
    assert before["roles"] == 1 and before["metrics"] == 1 and before["events"] == 1


def test_changed_content_replaces_facts(conn) -> None:
    repository.upsert_articles(conn, [to_rows(_article())], "run1")
    edited = _article(body=BODY + "补充。")
    edited = replace(edited, facts=replace(edited.facts, roles=()))
    result = repository.upsert_articles(conn, [to_rows(edited)], "run2")
    assert result.loaded == 1
    assert conn.execute("SELECT count(*), max(body) FROM articles").fetchone() == (1, BODY + "补充。")
    assert conn.execute("SELECT count(*) FROM roles").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM metrics").fetchone() == (1,)


def test_failed_batch_writes_nothing_and_keeps_committed_rows(conn) -> None:
    repository.upsert_articles(conn, [to_rows(_article("ok.txt"))], "run1")
    good = to_rows(_article("new.txt"))
    bad = to_rows(_article("bad.txt"))
    bad.metrics[0]["value"] = None  # violates NOT NULL
    with pytest.raises(duckdb.ConstraintException):
        repository.upsert_articles(conn, [good, bad], "run2")
    assert conn.execute("SELECT list(source_uri) FROM articles").fetchone() == (["ok.txt"],)
    assert conn.execute("SELECT count(*) FROM metrics").fetchone() == (1,)


def test_raw_spans_point_into_body_raw(conn) -> None:
    repository.upsert_articles(conn, [to_rows(_article())], "run1")
    row = conn.execute(
        "SELECT substr(a.body_raw, r.raw_start_pos + 1, r.raw_end_pos - r.raw_start_pos) "
        "FROM roles r JOIN articles a USING (article_id)"
    ).fetchone()
    assert row == ("市长张壮",)


def test_same_reject_twice_is_one_row(conn) -> None:
    reject = Reject("junk.bin", "decode", "binary data", b"\x00\x01")
    repository.upsert_rejects(conn, [reject_row(reject)], "run1")
    repository.upsert_rejects(conn, [reject_row(reject)], "run2")
    assert conn.execute("SELECT count(*), max(run_id), max(reason) FROM rejects").fetchone() == (
        1,
        "run2",
        "binary data",
    )


def test_finish_run_records_counts(conn) -> None:
    repository.finish_run(
        conn, "run1", "completed", {"inputs": 3, "loaded": 2, "unchanged": 0, "rejected": 1}
    )
    row = conn.execute(
        "SELECT status, n_inputs, n_loaded, n_rejected, finished_at IS NOT NULL FROM runs"
    ).fetchone()
    assert row == ("completed", 3, 2, 1, True)


def test_read_only_connection_cannot_write(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with connect(db) as c:
        migrate(c)
    with connect(db, read_only=True) as ro, pytest.raises(duckdb.Error):
        ro.execute("DELETE FROM articles")


def test_new_fact_fields_are_stored(conn) -> None:
    article = _article()
    facts = replace(
        article.facts,
        byline=Byline("新华社", None, "张莉", 0, 2, photographer="李四", editor="王五"),
        metrics=(
            Metric(None, "投资", 3.2e8, "元", "2024年", 12, 19, kind="amount", unit_written="亿元", approx=True,
                   period_start="2024-01-01", period_end="2024-12-31"),
        ),
    )  # fmt: skip
    article = replace(
        article, facts=facts, quality="keyword_list", quality_reason="short lines", decode_errors=3
    )
    repository.upsert_articles(conn, [to_rows(article)], "run1")
    assert conn.execute(
        "SELECT photographer, editor, quality, quality_reason, decode_errors FROM articles"
    ).fetchone() == ("李四", "王五", "keyword_list", "short lines", 3)
    assert conn.execute(
        "SELECT unit_written, approx, period_start::VARCHAR, period_end::VARCHAR FROM metrics"
    ).fetchone() == ("亿元", True, "2024-01-01", "2024-12-31")
    # The role's and the quote's names point at their entities by the same key as mentions do.
    assert conn.execute(
        "SELECT e.name FROM roles r JOIN entities e ON e.entity_id = r.person_entity_id"
    ).fetchall() == [("张壮",)]
    assert conn.execute(
        "SELECT e.name FROM quotes q JOIN entities e ON e.entity_id = q.speaker_entity_id"
    ).fetchall() == [("张壮",)]
    assert conn.execute("SELECT organization_entity_id IS NOT NULL FROM roles").fetchone() == (True,)


def _same_url(source: str, body: str = BODY) -> Article:
    return replace(_article(source, body), url="https://example.cn/a.html")


def test_same_article_from_two_inputs_keeps_the_first_and_records_the_other(conn) -> None:
    first = repository.upsert_articles(
        conn, [to_rows(_same_url("b.html")), to_rows(_same_url("a.html"))], "run1"
    )
    assert (first.loaded, first.unchanged, first.duplicates) == (1, 0, 1)
    assert conn.execute("SELECT source_uri FROM articles").fetchall() == [("b.html",)]
    assert conn.execute("SELECT source_uri, stored_source_uri, run_id FROM duplicates").fetchall() == [
        ("a.html", "b.html", "run1")
    ]
    assert conn.execute("SELECT count(*) FROM roles").fetchone() == (1,)  # one article's facts, once


@pytest.mark.parametrize(
    "order", [("a.html", "b.html"), ("b.html", "a.html")], ids=["same-order", "reversed"]
)
def test_rerun_of_duplicates_loads_nothing_and_never_flips(conn, order: tuple[str, str]) -> None:
    repository.upsert_articles(
        conn, [to_rows(_same_url("a.html")), to_rows(_same_url("b.html", BODY + "另"))], "r1"
    )
    before = _counts(conn)
    again = repository.upsert_articles(
        conn, [to_rows(_same_url(s, BODY + ("另" if s == "b.html" else ""))) for s in order], "r2"
    )
    assert (again.loaded, again.unchanged, again.duplicates) == (0, 1, 1)
    assert conn.execute("SELECT source_uri, body FROM articles").fetchall() == [("a.html", BODY)]
    assert _counts(conn) == before
    assert conn.execute("SELECT source_uri, run_id FROM duplicates").fetchall() == [("b.html", "r2")]


def test_the_stored_input_still_updates_its_article(conn) -> None:
    repository.upsert_articles(conn, [to_rows(_same_url("a.html")), to_rows(_same_url("b.html"))], "r1")
    edited = repository.upsert_articles(conn, [to_rows(_same_url("a.html", BODY + "更正。"))], "r2")
    assert (edited.loaded, edited.written) == (1, (to_rows(_same_url("a.html")).article["article_id"],))
    assert conn.execute("SELECT source_uri, body FROM articles").fetchall() == [("a.html", BODY + "更正。")]


def test_a_bare_surname_is_no_entity(conn) -> None:
    # Source: news_html_gold readability_mozilla/pixnet: 小朱团长, a surname the article never names in full.
    body = "原本这周是由小朱团长预定"
    article = _article(body=body)
    bare = Mention("person", "朱", "朱", 7, 8)
    article = replace(article, facts=replace(article.facts, mentions=(bare, *article.facts.mentions), roles=(),
                                              quotes=()))  # fmt: skip
    rows = to_rows(article)
    assert [m["surface"] for m in rows.mentions] == ["张壮", "柳州市"]
    assert ("person", "朱") not in {(e["kind"], e["name"]) for e in rows.entities}
