"""The search index's integer ids, named views, BM25 at query time, sorted runs and rebuilds, on the bundled pages."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tasks.files import discover_inputs, read_refs
from tasks.transforms.index_entry import with_index_entry
from tasks.transforms.pipeline import process_documents
from tasks.transforms.rows import to_rows
from tasks.transforms.search_tokens import count_terms, parse_query, searchable_text, term_id
from tests.conftest import SAMPLES
from warehouse import repository, search_index
from warehouse.connection import connect
from warehouse.migrate import load_migrations, migrate
from warehouse.search import search_articles


@pytest.fixture(scope="module")
def articles() -> list:
    docs, _ = read_refs(discover_inputs([str(SAMPLES)]))
    found, _ = process_documents(docs)
    return list({to_rows(a).article["article_id"]: a for a in found}.values())


def _load(conn: duckdb.DuckDBPyConnection, articles: list, run_id: str = "run1") -> None:
    repository.start_run(conn, run_id, None)
    repository.upsert_articles(conn, [to_rows(a) for a in articles], run_id)


STORED_POSTINGS = (
    "SELECT d.article_id, p.term_id, p.tf FROM (SELECT * FROM search_postings UNION ALL "
    "SELECT * FROM search_postings_recent) AS p JOIN search_documents AS d USING (doc_id)"
)


def _index(conn: duckdb.DuckDBPyConnection) -> dict[str, Counter[int]]:
    """article_id -> its stored term ids with their counts."""
    index: dict[str, Counter[int]] = {}
    for aid, tid, tf in conn.execute(STORED_POSTINGS).fetchall():
        index.setdefault(aid, Counter())[tid] = tf
    return index


def _named_index(conn: duckdb.DuckDBPyConnection) -> dict[str, Counter[str]]:
    """article_id -> its term counts, as the `postings` view names them."""
    index: dict[str, Counter[str]] = {}
    for term, aid, tf in conn.execute("SELECT term, article_id, tf FROM postings").fetchall():
        index.setdefault(aid, Counter())[term] = tf
    return index


def _expected_terms(articles: list) -> dict[str, Counter[str]]:
    return {
        to_rows(a).article["article_id"]: count_terms(searchable_text(a.title, a.body))
        for a in articles
        if count_terms(searchable_text(a.title, a.body))
    }


def _expected(articles: list) -> dict[str, Counter[int]]:
    """article_id -> its term ids (search_tokens.term_id) with their counts."""
    return {
        aid: Counter({term_id(t): n for t, n in counts.items()})
        for aid, counts in _expected_terms(articles).items()
    }


def _bm25(index: dict[str, Counter[str]], n_docs: int, query: str) -> dict[str, float]:
    """search_candidates' scores computed here from term counts: BM25 (k1 = 1.2, b = 0.75), df over the articles."""
    terms = set(count_terms(query))
    avg = sum(sum(c.values()) for c in index.values()) / n_docs
    df = Counter(t for counts in index.values() for t in counts if t in terms)
    scores = {}
    for aid, counts in index.items():
        found = [t for t in terms if counts[t]]
        if len(found) == len(terms):
            scores[aid] = sum(
                math.log(1 + (n_docs - df[t] + 0.5) / (df[t] + 0.5))
                * counts[t] * 2.2 / (counts[t] + 1.2 * (0.25 + 0.75 * sum(counts.values()) / avg))
                for t in found
            )  # fmt: skip
    return scores


def _hits(conn: duckdb.DuckDBPyConnection, query: str, limit: int = 20) -> list[tuple[str, float]]:
    parsed = parse_query(query)
    return [
        (h.article_id, round(h.score, 9)) for h in search_articles(conn, parsed.text, parsed.needles, limit)
    ]


def test_bm25_counts_the_articles_holding_each_term_after_a_reingest(tmp_path: Path, articles: list) -> None:
    with connect(tmp_path / "w.duckdb") as conn:
        migrate(conn)
        _load(conn, articles)
        edited = [
            replace(a, body="量子纠缠实验。" + a.body[:50], content_sha256="0" * 64) for a in articles[:3]
        ]
        _load(conn, edited, "run2")
        assert _index(conn) == _expected(edited + articles[3:])
        index = _expected_terms(edited + articles[3:])
        assert _named_index(conn) == index
        found = 0
        for query in ("纠缠", "知识产权", "保护 知识", "柳州 产权", "中国"):
            stored = dict(conn.execute("SELECT * FROM search_candidates(?)", [query]).fetchall())
            assert stored == pytest.approx(_bm25(index, len(articles), query), rel=1e-9), query
            found += len(stored)
        assert found > 5
        assert len(conn.execute("SELECT * FROM search_candidates('纠缠')").fetchall()) == 3


def test_an_article_without_terms_between_others_keeps_every_term_with_its_article(
    tmp_path: Path, articles: list
) -> None:
    # The batch's term ids travel as one joined buffer: an article holding none must not shift the others' ids.
    empty = replace(
        articles[0], title=None, body="……", url="https://example.cn/empty", source_uri="empty.txt"
    )
    batch = [articles[1], with_index_entry(empty), *(with_index_entry(a) for a in articles[2:4])]
    with connect(tmp_path / "w.duckdb") as conn:
        migrate(conn)
        _load(conn, batch)
        assert _index(conn) == _expected(batch)
        assert conn.execute("SELECT count(*) FROM search_documents WHERE n_terms = 0").fetchone() == (1,)


def test_entries_made_by_the_transform_index_like_the_load_would(tmp_path: Path, articles: list) -> None:
    queries = [
        STORED_POSTINGS,
        "SELECT article_id, n_terms FROM search_documents",  # doc ids follow the load order
        "SELECT * FROM story_signatures",
        "SELECT * FROM story_bands",
    ]
    stored = []
    for name, batch in (("bare", articles), ("entries", [with_index_entry(a) for a in articles])):
        with connect(tmp_path / f"{name}.duckdb") as conn:
            migrate(conn)
            _load(conn, batch)
            stored.append([sorted(conn.execute(q).fetchall(), key=repr) for q in queries])
    assert stored[0] == stored[1]
    assert len(stored[1][0]) > 1000


def test_recent_postings_move_to_sorted_runs_and_are_resorted(
    tmp_path: Path, articles: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = ["知识产权", '"宣传周"', "柳州 产权"]
    with connect(tmp_path / "once.duckdb") as conn:
        migrate(conn)
        _load(conn, articles)
        expected = {q: _hits(conn, q) for q in queries}
    monkeypatch.setattr(search_index, "RECENT_MAX_ROWS", 1)
    monkeypatch.setattr(search_index, "MAX_RUNS", 3)
    with connect(tmp_path / "runs.duckdb") as conn:
        migrate(conn)
        default_limit = conn.execute("SELECT current_setting('memory_limit')").fetchall()
        runs = []
        for i, article in enumerate(articles):
            _load(conn, [article], f"run{i}")
            runs.append(conn.execute("SELECT count(*) FROM search_runs").fetchone()[0])
            if runs[-1] == 1:
                stored = conn.execute("SELECT term_id, doc_id FROM search_postings ORDER BY rowid").fetchall()
                assert stored == sorted(stored)
        # Each batch adds a run until there are 3, then the table is sorted whole into one.
        assert runs[:4] == [1, 2, 3, 1]
        # The sorts' memory bound is lifted again afterwards: DuckDB's default applies to everything else.
        assert conn.execute("SELECT current_setting('memory_limit')").fetchall() == default_limit
        assert conn.execute("SELECT count(*) FROM search_postings_recent").fetchone() == (0,)
        assert {q: _hits(conn, q) for q in queries} == expected
        assert _index(conn) == _expected(articles)


def test_0007_rebuilds_the_index_of_a_0004_warehouse(tmp_path: Path, articles: list) -> None:
    with connect(tmp_path / "w.duckdb") as conn:
        migrate(conn, [m for m in load_migrations() if m.version <= 5])
        for a in articles:
            row = to_rows(a).article
            conn.execute(
                "INSERT INTO articles (article_id, source_uri, title, language, script_original, "
                "encoding_detected, body_raw, body, content_sha256, pipeline_version, run_id, ingested_at) "
                "VALUES (?, ?, ?, 'zh', 'hans', 'utf-8', ?, ?, ?, 'old', 'old', now())",
                [
                    row["article_id"],
                    row["source_uri"],
                    row["title"],
                    row["body_raw"],
                    row["body"],
                    row["content_sha256"],
                ],
            )
        migrate(conn)
        assert _index(conn) == _expected(articles)
        assert _named_index(conn) == _expected_terms(articles)
        assert conn.execute("SELECT count(*) FROM search_documents").fetchone() == (len(articles),)
        assert _hits(conn, "知识产权")


@pytest.mark.parametrize(
    ("query", "limit", "since"),
    [
        ('"知识产权"', 1, None),
        ('保护 "知识产权"', 2, None),
        ("知识产权", 3, date(2000, 1, 1)),
        ('"知识产权"', 50, None),
    ],
    ids=["phrase-top-1", "phrase-and-term", "since", "phrase-all"],
)
def test_python_search_returns_the_macros_first_rows(
    tmp_path: Path,
    articles: list,
    query: str,
    limit: int,
    since: date | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import warehouse.search as search

    # One candidate per round; the best-scored candidates hold every bigram of 知识产权 but not the phrase, so the
    # search reads several rounds before the first hit.
    monkeypatch.setattr(search, "_PHRASE_ROUND", 1)
    split = [
        replace(
            a,
            url=f"https://example.org/split/{i}",
            body="知识保护，识产权。" * 30,
            content_sha256=str(i) * 64,
        )
        for i, a in enumerate(articles[:3])
    ]
    with connect(tmp_path / "w.duckdb") as conn:
        migrate(conn)
        _load(conn, articles + split)
        text = parse_query(query).text
        expected = conn.execute(
            "SELECT article_id FROM search_articles(?) WHERE ? IS NULL OR published_at >= ? LIMIT ?",
            [text, since, since, limit],
        ).fetchall()
        hits = search_articles(conn, text, parse_query(query).needles, limit, since)
        assert expected and [h.article_id for h in hits] == [r[0] for r in expected]
        best = conn.execute("SELECT article_id FROM search_candidates(?) ORDER BY score DESC LIMIT 1", [text])
        assert since or best.fetchone()[0] not in {r[0] for r in expected}


def test_a_batch_cut_into_transactions_stores_what_one_transaction_does(
    tmp_path: Path, articles: list, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A batch of long texts is written in several transactions (MAX_TERMS_PER_TRANSACTION); a duplicate input
    # (another file with a stored article's URL) rides in the last one.
    twin = replace(articles[0], source_uri="twin.txt")
    batch = [*articles, twin]
    queries = [
        "SELECT article_id, source_uri, story_id FROM articles",
        STORED_POSTINGS,
        "SELECT article_id, n_terms FROM search_documents",  # doc ids follow each transaction's order
        "SELECT * FROM mentions",
        "SELECT source_uri, article_id, stored_source_uri FROM duplicates",
    ]
    written = []
    real_write = repository._write_articles
    monkeypatch.setattr(repository, "_write_articles", lambda *a: written.append(len(a[1])) or real_write(*a))
    stored = []
    for name, cap in (("one", repository.MAX_TERMS_PER_TRANSACTION), ("cut", 800)):
        monkeypatch.setattr(repository, "MAX_TERMS_PER_TRANSACTION", cap)
        written.clear()
        with connect(tmp_path / f"{name}.duckdb") as conn:
            migrate(conn)
            _load(conn, batch)
            stored.append([sorted(conn.execute(q).fetchall(), key=repr) for q in queries])
        assert sum(written) == len(articles)
        assert len(written) == 1 if name == "one" else len(written) > 3
    assert stored[0] == stored[1]
    assert len(stored[1][-1]) == 1 and len(stored[1][1]) > 1000


def test_transaction_groups_keep_whole_articles_under_the_cap(articles: list) -> None:
    rows = [to_rows(with_index_entry(a)) for a in articles]
    sizes = [len(r.search_terms[1]) // 8 for r in rows]
    cap = max(sizes) + 1
    groups = repository.transaction_groups(rows, cap)
    assert [r for g in groups for r in g] == rows
    assert all(sum(len(r.search_terms[1]) // 8 for r in g) <= cap for g in groups)
    assert len(groups) > 1
    assert [len(g) for g in repository.transaction_groups(rows, 1)] == [1] * len(
        rows
    )  # one article is never cut
    assert repository.transaction_groups([], 1) == [[]]
