"""Export the warehouse to Parquet or CSV files: one file set per table, articles and facts by published month."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from warehouse.columns import FACT_TABLES, LINK_TABLES

# Tables whose rows belong to an article: written in folders published_month=YYYY-MM (hive partitioning, read back
# with read_parquet('DIR/articles/**/*.parquet', hive_partitioning = true)); `unknown` when the date is missing.
_BY_MONTH = ("articles", *FACT_TABLES, *LINK_TABLES)
_MONTH = "coalesce(strftime(a.published_at, '%Y-%m'), 'unknown') AS published_month"
# Internal tables of the search index and story signatures are rebuilt from articles: not exported.
_SKIPPED = {
    "search_documents",
    "search_postings",
    "search_postings_recent",
    "search_runs",
    "story_signatures",
    "story_bands",
    "schema_migrations",
}


def _literal(text: str) -> str:
    """A SQL string literal (COPY's target cannot be a parameter)."""
    return "'" + text.replace("'", "''") + "'"


def export_tables(
    conn: duckdb.DuckDBPyConnection, target: str, fmt: str = "parquet", since: date | None = None
) -> dict[str, int]:
    """Write every table under `target` (a folder or an fsspec URL); returns rows written per table."""
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown export format {fmt!r}: use parquet or csv")
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
        if r[0] not in _SKIPPED
    ]
    if not target.startswith(("s3://", "gs://", "az://", "http")):
        Path(target).mkdir(parents=True, exist_ok=True)
    written = {}
    for table in tables:
        # Table names come from the catalog; `since` is a date object, formatted by us.
        where = f"WHERE a.published_at >= DATE '{since.isoformat()}'" if since else ""
        if table in _BY_MONTH:
            source = (
                f"SELECT a.*, {_MONTH} FROM articles AS a {where}"
                if table == "articles"
                else f'SELECT t.*, {_MONTH} FROM "{table}" AS t JOIN articles AS a USING (article_id) {where}'
            )
            options = f"FORMAT {fmt}, PARTITION_BY (published_month), OVERWRITE_OR_IGNORE"
            path = f"{target.rstrip('/')}/{table}"
        else:
            source, options = f'SELECT * FROM "{table}"', f"FORMAT {fmt}"
            path = f"{target.rstrip('/')}/{table}.{fmt}"
        count = conn.execute(f"SELECT count(*) FROM ({source})").fetchone()
        conn.execute(f"COPY ({source}) TO {_literal(path)} ({options})")
        written[table] = count[0] if count else 0
    return written
