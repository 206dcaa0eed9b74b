"""The search index's writes: terms and articles as integer ids, postings kept in sorted runs, df per batch.

A query reads the postings of its few terms. DuckDB keeps a min/max of term_id per row group (122,880 rows), so in
postings sorted by term_id a query reads about one row group per term and run instead of every posting (0007's
migration says why). Batches arrive in any term order, so a batch's postings go to `search_postings_recent`
(scanned whole by queries: kept small) and move to `search_postings` as one sorted run when that table is full.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

# Postings the recent table holds before they move to the sorted table: ~2,900 articles of 700 distinct terms.
# Queries read it without much pruning (each batch is sorted on its own); with up to 2 M rows there, 100,000
# articles answered in 92 ms p50 on the busy 2-core machine (bench/bench_search.py).
RECENT_MAX_ROWS = 2_000_000
# Sorted runs the main table may hold before it is re-sorted whole: a query reads about a row group per term and
# run, and a full sort of 70 M postings took ~40 s (synthetic postings, busy machine), so 8 runs of 2 M rows sort
# every 16 M postings written: by 70 M postings, the full sorts have rewritten each ~2.4 times.
MAX_RUNS = 8


def delete_search_rows(conn: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> None:
    """Remove articles from the index (their postings, their share of each term's df, their document row)."""
    if not article_ids:
        return
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE replaced_docs AS SELECT doc_id FROM search_documents "
        "WHERE article_id IN (SELECT unnest(?))",
        [list(article_ids)],
    )
    for table in ("search_postings", "search_postings_recent"):
        conn.execute(
            f"UPDATE search_vocabulary AS v SET df = v.df - gone.n FROM ("
            f" SELECT term_id, count(*) AS n FROM {table} WHERE doc_id IN (SELECT doc_id FROM replaced_docs)"
            f" GROUP BY term_id) AS gone WHERE v.term_id = gone.term_id"
        )
        conn.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM replaced_docs)")
    conn.execute("DELETE FROM search_documents WHERE doc_id IN (SELECT doc_id FROM replaced_docs)")
    conn.execute("DROP TABLE replaced_docs")


def index_articles(conn: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> None:
    """Index stored articles (title and body; not yet indexed) inside the caller's transaction.

    Terms come from the `search_terms` macro, the one a query's terms come from, so index and queries cannot
    disagree (tests keep it equal to tasks/transforms/search_tokens.py). Tokenizing in DuckDB costs what the Python
    tokenizer did, and saves handing a Python list of every posting to DuckDB (2 s of a 3.9 s load of the 77 gold
    pages; bench/bench_search.py). Every statement reads the batch's rows and the tables' key indexes only, so a
    batch costs the same in a large warehouse: term ids are hashes (`search_term_id`), not looked up.
    """
    if not article_ids:
        return
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE staged_terms AS "
        "SELECT article_id, term, count(*)::INTEGER AS tf FROM ("
        " SELECT article_id, unnest(search_terms(concat_ws(chr(10), title, body))) AS term FROM articles"
        " WHERE article_id IN (SELECT unnest($1::VARCHAR[]))"
        ") GROUP BY ALL",
        [list(article_ids)],
    )
    # Document ids continue after the largest one given: one process writes a warehouse, so max() + n is free.
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE staged_documents AS "
        "SELECT (SELECT coalesce(max(doc_id), 0) FROM search_documents) + row_number() OVER (ORDER BY a.article_id) "
        "AS doc_id, a.article_id, coalesce(sum(s.tf), 0)::INTEGER AS n_terms "
        "FROM (SELECT DISTINCT unnest($1::VARCHAR[]) AS article_id) AS a "
        "LEFT JOIN staged_terms AS s USING (article_id) GROUP BY a.article_id",
        [list(article_ids)],
    )
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE staged_ids AS "
        "SELECT term, search_term_id(term) AS term_id, count(*)::INTEGER AS n FROM staged_terms GROUP BY term"
    )
    conn.execute(
        "INSERT INTO search_documents (doc_id, article_id, n_terms) "
        "SELECT doc_id, article_id, n_terms FROM staged_documents"
    )
    conn.execute(
        "INSERT INTO search_vocabulary (term_id, term, df) "
        "SELECT term_id, any_value(term), sum(n) FROM staged_ids GROUP BY term_id "
        "ON CONFLICT (term_id) DO UPDATE SET df = search_vocabulary.df + excluded.df"
    )
    conn.execute(
        "INSERT INTO search_postings_recent (term_id, doc_id, tf) "
        "SELECT i.term_id, d.doc_id, s.tf FROM staged_terms AS s "
        "JOIN staged_ids AS i USING (term) JOIN staged_documents AS d USING (article_id) "
        "ORDER BY i.term_id, d.doc_id"
    )
    for table in ("staged_terms", "staged_documents", "staged_ids"):
        conn.execute(f"DROP TABLE {table}")
    move_recent_postings(conn)


def move_recent_postings(conn: duckdb.DuckDBPyConnection) -> str | None:
    """Move the recent postings to the sorted table once they pass RECENT_MAX_ROWS; what was done ('run', 'sort')."""
    recent = _count(conn, "SELECT count(*) FROM search_postings_recent")
    if recent < RECENT_MAX_ROWS or recent == 0:
        return None
    runs = _count(conn, "SELECT count(*) FROM search_runs")
    if runs < MAX_RUNS:
        conn.execute(
            "INSERT INTO search_postings SELECT * FROM search_postings_recent ORDER BY term_id, doc_id"
        )
        conn.execute(
            "INSERT INTO search_runs (run_no, n_rows) "
            "SELECT coalesce(max(run_no), 0) + 1, ? FROM search_runs",
            [recent],
        )
        done = "run"
    else:
        # A new table rather than an in-place rewrite: DuckDB writes the sorted rows once. Its columns repeat 0007's.
        conn.execute(
            "CREATE TABLE search_postings_sorted "
            "(term_id BIGINT NOT NULL, doc_id INTEGER NOT NULL, tf INTEGER NOT NULL)"
        )
        conn.execute(
            "INSERT INTO search_postings_sorted SELECT * FROM ("
            " SELECT * FROM search_postings UNION ALL SELECT * FROM search_postings_recent"
            ") ORDER BY term_id, doc_id"
        )
        conn.execute("DROP TABLE search_postings")
        conn.execute("ALTER TABLE search_postings_sorted RENAME TO search_postings")
        conn.execute("DELETE FROM search_runs")
        conn.execute("INSERT INTO search_runs (run_no, n_rows) SELECT 1, count(*) FROM search_postings")
        done = "sort"
    conn.execute("DELETE FROM search_postings_recent")
    return done


def _count(conn: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0
