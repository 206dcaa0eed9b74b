"""The search index's writes: terms and articles as integer ids, postings kept in sorted runs.

A query reads the postings of its few terms. DuckDB keeps a min/max of term_id per row group (122,880 rows), so in
postings sorted by term_id a query reads about one row group per term and run instead of every posting (0007's
migration says why). Batches arrive in any term order, so a batch's postings go to `search_postings_recent`
(scanned whole by queries: kept small) and move to `search_postings` as one sorted run when that table is full.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import duckdb
import numpy as np

# Postings the recent table holds before they move to the sorted table: ~2,900 articles of 700 distinct terms.
# Queries read it without much pruning (each batch is sorted on its own); with up to 2 M rows there, 100,000
# articles answered in 92 ms p50 on the busy 2-core machine (bench/bench_search.py).
RECENT_MAX_ROWS = 2_000_000
# Sorted runs the main table may hold before it is re-sorted whole: a query reads about a row group per term and
# run, and a full sort of 70 M postings took ~40 s (synthetic postings, busy machine), so 8 runs of 2 M rows sort
# every 16 M postings written: by 70 M postings, the full sorts have rewritten each ~2.4 times.
MAX_RUNS = 8
# Memory a move's sort may take beyond what DuckDB already holds; past it DuckDB sorts on disk (beside the file).
# A whole re-sort of 22.5 M postings (pure DuckDB, bench/probe_sort_memory.py) added 898 MB unbounded in 1.4 s, and
# 266 / 113 / 86 MB in 2.5 / 2.6 / 2.5 s with 256 / 96 / 64 MB here. It runs in the load step, on top of the batch
# the process holds: with 256 MB a run of 48 worst-case texts peaked at 874 MiB in a re-sort, with 64 MB at 681.
SORT_MEMORY_BYTES = 64 * 2**20


def delete_search_rows(conn: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> None:
    """Remove articles from the index (their postings and document row)."""
    if not article_ids:
        return
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE replaced_docs AS SELECT doc_id FROM search_documents "
        "WHERE article_id IN (SELECT unnest(?))",
        [list(article_ids)],
    )
    for table in ("search_postings", "search_postings_recent"):
        conn.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM replaced_docs)")
    conn.execute("DELETE FROM search_documents WHERE doc_id IN (SELECT doc_id FROM replaced_docs)")
    conn.execute("DROP TABLE replaced_docs")


# An article's postings as the transform makes them (tasks.transforms.models.IndexEntry): its id, the ids of its
# distinct terms as little-endian int64 and their counts as int32, in one order.
ArticlePostings = tuple[str, bytes, bytes]


def index_articles(conn: duckdb.DuckDBPyConnection, postings: Sequence[ArticlePostings]) -> None:
    """Index articles by their postings (made by the transform, from title and body) inside the caller's transaction.

    The workers tokenize (tasks/transforms/search_tokens.py, kept equal to the `search_terms` SQL macro that
    queries use) and hash the terms (`term_id`, equal to the `search_term_id` macro); ids and counts reach DuckDB as
    numpy arrays over the workers' bytes. Tokenizing here in SQL instead took 0.86 s of every 250 real pages in
    this single writer. Term ids are hashes, so a load looks nothing up and reads no table that grows with the
    warehouse's terms (0009 says why there is no vocabulary table).
    """
    if not postings:
        return
    sizes = np.array([len(p[1]) // 8 for p in postings], dtype=np.int64)
    batch = {
        "k": np.repeat(np.arange(len(postings), dtype=np.int32), sizes),
        "term_id": np.frombuffer(b"".join(p[1] for p in postings), dtype="<i8"),
        "tf": np.frombuffer(b"".join(p[2] for p in postings), dtype="<i4"),
    }
    articles = {
        "k": np.arange(len(postings), dtype=np.int32),
        "article_id": np.array([p[0] for p in postings], dtype=object),
    }
    # Not unregistered on failure: an aborted transaction refuses that too; the next batch replaces the views.
    conn.register("batch_postings", batch)
    conn.register("batch_articles", articles)
    # Document ids continue after the largest one given: one process writes a warehouse, so max() + n is free.
    conn.execute(
        "CREATE OR REPLACE TEMP TABLE staged_documents AS "
        "SELECT (SELECT coalesce(max(doc_id), 0) FROM search_documents) + row_number() OVER (ORDER BY a.article_id) "
        "AS doc_id, a.article_id, a.k, coalesce(sum(p.tf), 0)::INTEGER AS n_terms "
        "FROM batch_articles AS a LEFT JOIN batch_postings AS p USING (k) GROUP BY a.article_id, a.k"
    )
    conn.execute(
        "INSERT INTO search_documents (doc_id, article_id, n_terms) "
        "SELECT doc_id, article_id, n_terms FROM staged_documents"
    )
    if len(batch["term_id"]):
        conn.execute(
            "INSERT INTO search_postings_recent (term_id, doc_id, tf) "
            "SELECT p.term_id, d.doc_id, p.tf FROM batch_postings AS p JOIN staged_documents AS d USING (k) "
            "ORDER BY p.term_id, d.doc_id"
        )
    conn.execute("DROP TABLE staged_documents")
    conn.unregister("batch_postings")
    conn.unregister("batch_articles")


def move_recent_postings(conn: duckdb.DuckDBPyConnection) -> str | None:
    """Move the recent postings to the sorted table once they pass RECENT_MAX_ROWS; what was done ('run', 'sort').

    Called in a transaction of its own after a load's: sorting them inside it held both in memory at once.
    """
    recent = _count(conn, "SELECT count(*) FROM search_postings_recent")
    if recent < RECENT_MAX_ROWS or recent == 0:
        return None
    runs = _count(conn, "SELECT count(*) FROM search_runs")
    with _sort_memory_bounded(conn):
        return _move(conn, recent, runs)


@contextmanager
def _sort_memory_bounded(conn: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Let DuckDB's sorts take SORT_MEMORY_BYTES more than it holds now, then lift the limit again.

    Relative to what is held (key indexes it loaded, cached blocks), so the limit never refuses memory already in use.
    """
    held = _count(conn, "SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()")
    conn.execute(f"SET memory_limit = '{(held + SORT_MEMORY_BYTES) // 2**20}MB'")
    try:
        yield
    finally:
        conn.execute("RESET memory_limit")


def _move(conn: duckdb.DuckDBPyConnection, recent: int, runs: int) -> str:
    """Append the recent postings as a sorted run, or re-sort everything once the table holds MAX_RUNS runs."""
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
    rows = conn.execute(sql).fetchall()
    return int(rows[0][0]) if rows else 0
