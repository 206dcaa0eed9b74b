"""Full-text search over the bundled real pages: BM25 via the SQL macro, phrases, Traditional queries, re-ingest."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from tasks.files import discover_inputs, read_refs
from tasks.transforms.pipeline import process_documents
from tasks.transforms.rows import to_rows
from tasks.transforms.search_tokens import count_terms, parse_query, searchable_text, tokenize
from tests.conftest import SAMPLES
from warehouse import repository
from warehouse.connection import connect
from warehouse.migrate import migrate
from warehouse.search import make_snippet, search_articles


@pytest.fixture(scope="module")
def articles() -> list:
    docs, _ = read_refs(discover_inputs([str(SAMPLES)]))
    found, rejected = process_documents(docs)
    assert found and not rejected
    return found


@pytest.fixture
def conn(tmp_path: Path, articles: list):
    with connect(tmp_path / "w.duckdb") as c:
        migrate(c)
        repository.start_run(c, "run1", None)
        repository.upsert_articles(c, [to_rows(a) for a in articles], "run1")
        yield c


def _search(conn: duckdb.DuckDBPyConnection, query: str, limit: int = 10) -> list:
    parsed = parse_query(query)
    return search_articles(conn, parsed.text, parsed.needles, limit)


def _body(conn: duckdb.DuckDBPyConnection, article_id: str) -> str:
    return conn.execute("SELECT body FROM articles WHERE article_id = ?", [article_id]).fetchone()[0]


def test_every_hit_holds_every_query_term_and_is_ranked(conn) -> None:
    hits = _search(conn, "产权保护")
    assert hits
    assert all(term in _body(conn, h.article_id) for h in hits for term in ("产权", "权保", "保护"))
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert "产权保护" in hits[0].snippet


def test_without_an_article_holding_every_term_a_third_may_be_missing(conn) -> None:
    # No article writes 知识宣传 (its middle bigram 识宣 is nowhere): the ones with 知识 and 宣传 are found.
    hits = _search(conn, "知识宣传")
    assert hits
    assert all("知识" in _body(conn, h.article_id) and "识宣" not in _body(conn, h.article_id) for h in hits)


def test_the_article_saying_it_most_ranks_first(conn) -> None:
    bodies = dict(conn.execute("SELECT article_id, body FROM articles").fetchall())
    most = max(bodies, key=lambda aid: bodies[aid].count("知识产权") / len(bodies[aid]))
    assert _search(conn, "知识产权")[0].article_id == most


def test_traditional_query_finds_simplified_text(conn) -> None:
    assert [h.article_id for h in _search(conn, "知識產權")] == [
        h.article_id for h in _search(conn, "知识产权")
    ]


def test_quoted_phrase_must_be_contiguous(conn) -> None:
    bodies = dict(conn.execute("SELECT article_id, body FROM articles").fetchall())
    loose = _search(conn, "产权 知识", 50)
    assert any("产权知识" not in bodies[h.article_id] for h in loose)
    phrase = _search(conn, '"产权知识"', 50)
    assert {h.article_id for h in phrase} == {aid for aid, body in bodies.items() if "产权知识" in body}


def test_a_term_no_article_holds_finds_nothing(conn) -> None:
    assert _search(conn, "知识产权 量子纠缠") == []


def test_sql_macro_tokenizes_like_the_index(conn, articles: list) -> None:
    for article in articles:
        for line in article.body.splitlines()[:40]:
            assert conn.execute("SELECT search_terms(?)", [line]).fetchone()[0] == tokenize(line), line


def test_the_loaded_term_ids_are_the_sql_macro_ids(conn) -> None:
    # The workers hash terms in Python (search_tokens.term_id); queries look them up with the SQL macro, as the
    # search_vocabulary view does for the terms it re-tokenizes from the stored articles.
    stored = "SELECT term_id FROM (SELECT term_id FROM search_postings UNION SELECT term_id FROM search_postings_recent)"
    named = "SELECT term_id FROM search_vocabulary"
    assert conn.execute(f"SELECT count(*) FROM ({stored} EXCEPT {named})").fetchone() == (0,)
    assert conn.execute(f"SELECT count(*) FROM ({named} EXCEPT {stored})").fetchone() == (0,)
    assert conn.execute(f"SELECT count(*) FROM ({stored})").fetchone()[0] > 1000


def test_macro_is_usable_from_sql(conn) -> None:
    rows = conn.execute("SELECT article_id, score FROM search_articles('知识产权') LIMIT 3").fetchall()
    assert [r[0] for r in rows] == [h.article_id for h in _search(conn, "知识产权", 3)]


def test_postings_hold_each_body_term_once_with_its_count(conn, articles: list) -> None:
    article = articles[0]
    aid = to_rows(article).article["article_id"]
    stored = dict(conn.execute("SELECT term, tf FROM postings WHERE article_id = ?", [aid]).fetchall())
    assert stored == count_terms(searchable_text(article.title, article.body))


def test_reingesting_an_article_replaces_its_postings(conn, articles: list) -> None:
    article = articles[0]
    edited = replace(article, title=None, body="量子纠缠实验取得新进展。", content_sha256="0" * 64)
    aid = to_rows(article).article["article_id"]
    repository.upsert_articles(conn, [to_rows(edited)], "run2")
    assert [h.article_id for h in _search(conn, "量子纠缠")] == [aid]
    terms = conn.execute("SELECT count(*) FROM postings WHERE article_id = ?", [aid]).fetchone()[0]
    assert terms == len(count_terms(edited.body))
    assert conn.execute("SELECT n_terms FROM search_documents WHERE article_id = ?", [aid]).fetchone() == (
        len(tokenize(edited.body)),
    )


def test_a_failed_batch_leaves_no_postings(tmp_path: Path, articles: list) -> None:
    with connect(tmp_path / "w.duckdb") as c:
        migrate(c)
        repository.start_run(c, "run1", None)
        broken = to_rows(articles[0])
        broken.article["language"] = None  # NOT NULL: the batch's insert fails
        with pytest.raises(duckdb.ConstraintException):
            repository.upsert_articles(c, [broken], "run1")
        assert c.execute("SELECT count(*) FROM postings").fetchone() == (0,)


@pytest.mark.parametrize(
    ("needles", "expected"),
    [(["产权"], "…知识产权保护…"), (["无"], "开头知识产权…")],
    ids=["around-the-hit", "start-when-absent"],
)
def test_snippet(needles: list[str], expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import warehouse.search as search

    monkeypatch.setattr(search, "SNIPPET_BEFORE", 2)
    monkeypatch.setattr(search, "SNIPPET_AFTER", 4)
    assert make_snippet("开头知识产权保护周活动", needles) == expected
