"""Idempotent writes and the reads the CLI needs; every statement is parameterized."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import duckdb
import numpy as np

from warehouse.columns import COLUMNS, FACT_TABLES, INDEX_TABLES, LINK_TABLES, column_lists
from warehouse.search_index import delete_search_rows, index_articles, move_recent_postings
from warehouse.stories import assign_stories

Row = Mapping[str, Any]
# Search postings one load transaction may hold: DuckDB holds a transaction's rows in memory until it commits (with
# 0007's vocabulary, 2 M distinct terms took +275 MiB), so a batch of long texts is written in several transactions.
# 8 MiB of real pages hold ~100,000; one article, at most max_text_bytes / 3 (~670,000), is never split.
MAX_TERMS_PER_TRANSACTION = 700_000


class RowsLike(Protocol):
    """One article's named rows for every table (tasks.transforms.rows.ArticleRows; warehouse does not import tasks)."""

    @property
    def article(self) -> Row: ...
    @property
    def entities(self) -> Sequence[Row]: ...
    @property
    def mentions(self) -> Sequence[Row]: ...
    @property
    def roles(self) -> Sequence[Row]: ...
    @property
    def metrics(self) -> Sequence[Row]: ...
    @property
    def quotes(self) -> Sequence[Row]: ...
    @property
    def events(self) -> Sequence[Row]: ...
    @property
    def dates(self) -> Sequence[Row]: ...
    @property
    def entity_aliases(self) -> Sequence[Row]: ...
    @property
    def story_signatures(self) -> Sequence[Row]: ...
    @property
    def story_bands(self) -> Sequence[Row]: ...
    @property
    def search_terms(self) -> tuple[bytes, bytes]: ...


@dataclass(frozen=True)
class LoadResult:
    """What a batch load did; `written` are the article_ids stored (their facts are the rows added)."""

    loaded: int
    unchanged: int
    duplicates: int = 0
    written: tuple[str, ...] = ()


_ON_CONFLICT_UPDATE = "ON CONFLICT (article_id) DO UPDATE SET " + ", ".join(
    f"{c} = excluded.{c}" for c in COLUMNS["articles"] if c != "article_id"
)


# An entity's attributes follow from its name (the place-code layer qualifies a name two places share), so a later
# load only fills what an earlier one, or a load before migration 0006, left NULL.
_ON_CONFLICT_ENTITY = "ON CONFLICT (entity_id) DO UPDATE SET " + ", ".join(
    f"{c} = coalesce(excluded.{c}, entities.{c})"
    for c in ("level", "adcode", "parent_entity_id", "country_code")
)


def _insert_rows(conn: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Row], suffix: str = "") -> None:
    """Insert named rows as one statement over their columns as numpy arrays: DuckDB's executemany costs ~0.2 ms a
    row, lists of values as parameters ~1 µs a value, numpy arrays ~0.15 µs (DuckDB reads each column's type from
    its values)."""
    if not rows:
        return
    columns, values = column_lists(table, rows)
    # fromiter: one element per row even where the values are lists (np.array would make a 2-D array of them).
    staged = {c: np.fromiter(v, dtype=object, count=len(v)) for c, v in zip(columns, values, strict=True)}
    names = ", ".join(columns)  # table and column names come from the registry, never from input
    # Not unregistered on failure: an aborted transaction refuses that too; the next register replaces the view.
    conn.register("staged_rows", staged)
    conn.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM staged_rows {suffix}")
    conn.unregister("staged_rows")


def utc_now() -> datetime:
    """Naive UTC now, the convention of every *_at column."""
    return datetime.now(UTC).replace(tzinfo=None)


def start_run(conn: duckdb.DuckDBPyConnection, run_id: str, flow_run_id: str | None) -> None:
    """Record a run as started (idempotent for a retried flow run); earlier runs left `running` become `crashed`."""
    # Runs hold the database's single write slot for their whole life, so a run still marked running when a new
    # one starts died without finishing (killed, out of memory, power loss).
    conn.execute(
        "UPDATE runs SET status = 'crashed', finished_at = ?, error = 'the process ended before the run finished' "
        "WHERE status = 'running' AND run_id <> ?",
        [utc_now(), run_id],
    )
    conn.execute(
        "INSERT INTO runs (run_id, flow_run_id, started_at, status) VALUES (?, ?, ?, 'running') "
        "ON CONFLICT (run_id) DO UPDATE SET status = 'running', finished_at = NULL",
        [run_id, flow_run_id, utc_now()],
    )


def finish_run(
    conn: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    counts: dict[str, int],
    error: str | None = None,
) -> None:
    """Record a run's end and counts."""
    conn.execute(
        "UPDATE runs SET finished_at = ?, status = ?, n_inputs = ?, n_loaded = ?, n_unchanged = ?, "
        "n_rejected = ?, n_duplicates = ?, error = ? WHERE run_id = ?",
        [
            utc_now(),
            status,
            counts.get("inputs", 0),
            counts.get("loaded", 0),
            counts.get("unchanged", 0),
            counts.get("rejected", 0),
            counts.get("duplicates", 0),
            error,
            run_id,
        ],
    )


def _stored_articles(
    conn: duckdb.DuckDBPyConnection, article_ids: Sequence[str]
) -> dict[str, tuple[str, str, str]]:
    """article_id -> (source_uri, content_sha256, pipeline_version) of the stored ones."""
    if not article_ids:
        return {}
    rows = conn.execute(
        "SELECT article_id, source_uri, content_sha256, pipeline_version FROM articles "
        "WHERE article_id IN (SELECT unnest(?))",
        [list(article_ids)],
    ).fetchall()
    return {aid: (uri, sha, ver) for aid, uri, sha, ver in rows}


def _by_input(
    conn: duckdb.DuckDBPyConnection, select: str, keys: Sequence[tuple[str, str]], pipeline_version: str
) -> list[tuple[Any, ...]]:
    """Rows of `select`, which joins `wanted(source_uri, sha256)` (the inputs' keys) and names the version $3."""
    return conn.execute(
        "WITH wanted AS (SELECT unnest($1) AS source_uri, unnest($2) AS sha256) " + select,
        [[k[0] for k in keys], [k[1] for k in keys], pipeline_version],
    ).fetchall()


def unchanged_inputs(
    conn: duckdb.DuckDBPyConnection, keys: Sequence[tuple[str, str]], pipeline_version: str
) -> set[str]:
    """The source_uris of (source_uri, content_sha256) inputs stored with these bytes by this pipeline version."""
    if not keys:
        return set()
    rows = _by_input(
        conn,
        "SELECT a.source_uri FROM articles a JOIN wanted w "
        "ON a.source_uri = w.source_uri AND a.content_sha256 = w.sha256 "
        "WHERE a.pipeline_version = $3",
        keys,
        pipeline_version,
    )
    return {uri for (uri,) in rows}


def upsert_articles(conn: duckdb.DuckDBPyConnection, batch: Sequence[RowsLike], run_id: str) -> LoadResult:
    """Load a batch of articles with their facts in one transaction (long texts: a few); skip unchanged content.

    A batch over MAX_TERMS_PER_TRANSACTION postings is written in several transactions, each whole articles: a
    failure then leaves the earlier ones stored, which a retry finds unchanged.

    The input that stored an article first keeps it: another input with the same article_id (the same canonical
    URL) is recorded in `duplicates` and never replaces it, so the winner does not depend on batch or run order
    once stored, and within a run the first input in the run's order wins.
    """
    stored = _stored_articles(conn, [rows.article["article_id"] for rows in batch])
    owner = {aid: uri for aid, (uri, _, _) in stored.items()}
    fresh: list[RowsLike] = []
    duplicates: list[dict[str, Any]] = []
    taken: set[str] = set()
    unchanged = 0
    now = utc_now()
    for rows in batch:
        aid, uri = rows.article["article_id"], rows.article["source_uri"]
        sha, version = rows.article["content_sha256"], rows.article["pipeline_version"]
        holder = owner.setdefault(aid, uri)
        if holder != uri:
            duplicates.append(
                {"source_uri": uri, "article_id": aid, "stored_source_uri": holder, "content_sha256": sha,
                 "pipeline_version": version, "run_id": run_id, "seen_at": now}
            )  # fmt: skip
        elif stored.get(aid) == (uri, sha, version) or aid in taken:
            unchanged += 1  # the same input again: stored as it is, or listed twice in this batch
        else:
            taken.add(aid)
            fresh.append(rows)
    groups = transaction_groups(fresh, MAX_TERMS_PER_TRANSACTION)
    for k, group in enumerate(groups):
        _write_articles(conn, group, stored, run_id, now, duplicates if k == len(groups) - 1 else [])
    if fresh:
        with _transaction(conn):
            move_recent_postings(conn)
    written = tuple(rows.article["article_id"] for rows in fresh)
    return LoadResult(len(fresh), unchanged, len(duplicates), written)


def transaction_groups(fresh: Sequence[RowsLike], max_terms: int) -> list[list[RowsLike]]:
    """Articles in load order, cut where a transaction would hold more than max_terms postings (one article at least).

    At least one group, so a batch of duplicates alone is still written.
    """
    groups: list[list[RowsLike]] = [[]]
    held = 0
    for rows in fresh:
        terms = len(rows.search_terms[0]) // 8
        if groups[-1] and held + terms > max_terms:
            groups.append([])
            held = 0
        groups[-1].append(rows)
        held += terms
    return groups


@contextmanager
def _transaction(conn: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Commit what the block wrote, or roll it back and re-raise."""
    conn.execute("BEGIN TRANSACTION")
    try:
        yield
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise


def _write_articles(
    conn: duckdb.DuckDBPyConnection,
    group: Sequence[RowsLike],
    stored: Mapping[str, tuple[str, str, str]],
    run_id: str,
    now: datetime,
    duplicates: Sequence[Row],
) -> None:
    """Write fresh articles with their facts and index rows, and the duplicates seen, in one transaction."""
    with _transaction(conn):
        # Only articles already stored have facts to replace; new ones skip the deletes.
        replaced = [rows.article["article_id"] for rows in group if rows.article["article_id"] in stored]
        for table in FACT_TABLES + LINK_TABLES + INDEX_TABLES if replaced else ():
            conn.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [replaced])
        delete_search_rows(conn, replaced)
        articles = [{**rows.article, "run_id": run_id, "ingested_at": now} for rows in group]
        _insert_rows(conn, "articles", articles, _ON_CONFLICT_UPDATE)
        entities = {e["entity_id"]: e for rows in group for e in rows.entities}
        _insert_rows(conn, "entities", list(entities.values()), _ON_CONFLICT_ENTITY)
        for table in FACT_TABLES + LINK_TABLES + INDEX_TABLES:
            _insert_rows(conn, table, [row for rows in group for row in getattr(rows, table)])
        index_articles(conn, [(rows.article["article_id"], *rows.search_terms) for rows in group])
        assign_stories(conn, [rows.article["article_id"] for rows in group])
        _insert_rows(
            conn,
            "duplicates",
            list({(d["source_uri"], d["article_id"]): d for d in duplicates}.values()),
            "ON CONFLICT (source_uri, article_id) DO UPDATE SET stored_source_uri = excluded.stored_source_uri, "
            "content_sha256 = excluded.content_sha256, pipeline_version = excluded.pipeline_version, "
            "run_id = excluded.run_id, seen_at = excluded.seen_at",
        )


def rejected_inputs(
    conn: duckdb.DuckDBPyConnection, keys: Sequence[tuple[str, str]], pipeline_version: str
) -> dict[str, tuple[str, str]]:
    """source_uri -> (stage, reason) of (source_uri, payload_sha256) inputs this pipeline version rejected."""
    if not keys:
        return {}
    rows = _by_input(
        conn,
        "SELECT r.source_uri, r.stage, r.reason FROM rejects r JOIN wanted w "
        "ON r.source_uri = w.source_uri AND r.payload_sha256 = w.sha256 "
        "WHERE r.pipeline_version = $3",
        keys,
        pipeline_version,
    )
    return {uri: (stage, reason) for uri, stage, reason in rows}


def duplicate_inputs(
    conn: duckdb.DuckDBPyConnection, keys: Sequence[tuple[str, str]], pipeline_version: str
) -> dict[str, str]:
    """source_uri -> article_id of (source_uri, content_sha256) inputs this version recorded as duplicates of an
    article that the same other input still holds."""
    if not keys:
        return {}
    rows = _by_input(
        conn,
        "SELECT d.source_uri, d.article_id FROM duplicates d JOIN wanted w "
        "ON d.source_uri = w.source_uri AND d.content_sha256 = w.sha256 "
        "JOIN articles a ON a.article_id = d.article_id AND a.source_uri = d.stored_source_uri "
        "WHERE d.pipeline_version = $3",
        keys,
        pipeline_version,
    )
    return {uri: aid for uri, aid in rows}


def touch_duplicates(conn: duckdb.DuckDBPyConnection, keys: Sequence[tuple[str, str]], run_id: str) -> None:
    """Record that this run saw the (source_uri, article_id) duplicates again (their rows move to the run)."""
    if not keys:
        return
    conn.execute(
        "UPDATE duplicates SET run_id = $1, seen_at = $2 "
        "FROM (SELECT unnest($3) AS source_uri, unnest($4) AS article_id) w "
        "WHERE duplicates.source_uri = w.source_uri AND duplicates.article_id = w.article_id",
        [run_id, utc_now(), [k[0] for k in keys], [k[1] for k in keys]],
    )


def upsert_rejects(conn: duckdb.DuckDBPyConnection, rejects: Sequence[Row], run_id: str) -> int:
    """Store rejected inputs (named rows: source_uri, stage, reason, payload, payload_sha256, pipeline_version);
    one row per input."""
    if not rejects:
        return 0
    now = utc_now()
    _insert_rows(
        conn,
        "rejects",
        # The same input twice in one batch is one row (the statement may not touch a key twice).
        list(
            {
                (r["source_uri"], r["payload_sha256"]): {**r, "run_id": run_id, "rejected_at": now}
                for r in rejects
            }.values()
        ),
        "ON CONFLICT (source_uri, payload_sha256) DO UPDATE SET run_id = excluded.run_id, stage = excluded.stage, "
        "reason = excluded.reason, pipeline_version = excluded.pipeline_version, rejected_at = excluded.rejected_at",
    )
    return len(rejects)


def get_fetch_states(
    conn: duckdb.DuckDBPyConnection, urls: Sequence[str]
) -> dict[str, tuple[str | None, str | None]]:
    """url -> (etag, last_modified) of URLs fetched before."""
    if not urls:
        return {}
    rows = conn.execute(
        "SELECT url, etag, last_modified FROM fetch_state WHERE url IN (SELECT unnest(?))", [list(urls)]
    ).fetchall()
    return {url: (etag, modified) for url, etag, modified in rows}


def upsert_fetch_states(
    conn: duckdb.DuckDBPyConnection,
    states: Sequence[tuple[str, str | None, str | None, str | None, int | None, str | None]],
) -> None:
    """Record (url, final_url, etag, last_modified, status, error) of fetches; a failure keeps the old validators."""
    if not states:
        return
    now = utc_now()
    names = ("url", "final_url", "etag", "last_modified", "status", "last_error")
    _insert_rows(
        conn,
        "fetch_state",
        [
            {**dict(zip(names, state, strict=True)), "fetched_at": now}
            for state in {s[0]: s for s in states}.values()
        ],
        "ON CONFLICT (url) DO UPDATE SET fetched_at = excluded.fetched_at, status = excluded.status, "
        "last_error = excluded.last_error, "
        "final_url = coalesce(excluded.final_url, fetch_state.final_url), "
        "etag = CASE WHEN excluded.last_error IS NULL AND excluded.status <> 304 THEN excluded.etag "
        "ELSE fetch_state.etag END, "
        "last_modified = CASE WHEN excluded.last_error IS NULL AND excluded.status <> 304 "
        "THEN excluded.last_modified ELSE fetch_state.last_modified END",
    )


def table_counts(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every base table."""
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY table_name"
        ).fetchall()
    ]
    # Table names come from the catalog, not from user input, so quoting them is enough here.
    return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}  # type: ignore[index]


def recent_runs(conn: duckdb.DuckDBPyConnection, limit: int = 10) -> list[tuple[Any, ...]]:
    """The last runs, newest first: (run_id, started_at, seconds, status, inputs, loaded, unchanged, rejected)."""
    return conn.execute(
        "SELECT run_id, started_at, round(epoch(finished_at) - epoch(started_at), 1), status, n_inputs, n_loaded, "
        "n_unchanged, n_rejected FROM runs ORDER BY started_at DESC LIMIT ?",
        [limit],
    ).fetchall()


def rejects_by_reason(conn: duckdb.DuckDBPyConnection, limit: int = 20) -> list[tuple[Any, ...]]:
    """Rejected inputs grouped by stage and reason (the reason's text before its first colon), most first."""
    return conn.execute(
        "WITH grouped AS (SELECT stage, split_part(reason, ':', 1) AS reason, rejected_at FROM rejects) "
        "SELECT stage, reason, count(*) AS n, max(rejected_at) AS last_at FROM grouped "
        "GROUP BY stage, reason ORDER BY n DESC, stage, reason LIMIT ?",
        [limit],
    ).fetchall()
