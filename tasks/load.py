"""Prefect tasks that write the warehouse: prepare it, load a batch, close a run."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.files import map_in_threads
from tasks.transforms.models import Article, RawDocument, Reject
from tasks.transforms.rows import pipeline_version, reject_row, to_rows
from tasks.web import FetchState
from warehouse import repository
from warehouse.connection import check_integrity, connect
from warehouse.migrate import migrate


@task(name="prepare_warehouse", cache_policy=NO_CACHE)
def prepare_warehouse(
    db_path: str, run_id: str, flow_run_id: str | None, wait_seconds: float = 0.0
) -> list[int]:
    """Check the file is whole, apply migrations and record the run as started; returns the migrations applied."""
    with connect(db_path, wait_seconds=wait_seconds) as conn:
        check_integrity(conn, db_path)
        applied = migrate(conn)
        repository.start_run(conn, run_id, flow_run_id)
    return applied


@dataclass(frozen=True)
class SeenInputs:
    """A batch's inputs this pipeline version has already seen with the same bytes, by how they ended."""

    unchanged: set[str]  # source URIs stored as articles
    rejected: dict[str, tuple[str, str]]  # source URI -> (stage, reason) of a transform-stage reject
    duplicates: dict[str, str]  # source URI -> the article_id another input still holds


def _sha256(doc: RawDocument) -> str:
    return hashlib.sha256(doc.payload).hexdigest()


@task(name="find_seen", cache_policy=NO_CACHE)
def find_seen(
    db_path: str, docs: list[RawDocument], wait_seconds: float = 0.0, version: str | None = None
) -> SeenInputs:
    """The batch's inputs this pipeline version has seen with the same bytes (looked up before any decoding)."""
    keys = list(zip([d.source_uri for d in docs], map_in_threads(_sha256, docs), strict=True))
    version = version or pipeline_version()
    with connect(db_path, wait_seconds=wait_seconds) as conn:
        return SeenInputs(
            repository.unchanged_inputs(conn, keys, version),
            repository.rejected_inputs(conn, keys, version),
            repository.duplicate_inputs(conn, keys, version),
        )


@task(name="load_batch", cache_policy=NO_CACHE)
def load_batch(
    db_path: str,
    run_id: str,
    articles: list[Article],
    rejects: list[Reject],
    fetch_states: list[FetchState] | None = None,
    wait_seconds: float = 0.0,
    version: str | None = None,
    seen_duplicates: list[tuple[str, str]] | None = None,
) -> repository.LoadResult:
    """Upsert a batch's articles with their facts in one transaction, then its rejects and fetch states; mark the
    `seen_duplicates` (source_uri, article_id) skipped before the transform as seen by this run."""
    if not articles and not rejects and not fetch_states and not seen_duplicates:
        return repository.LoadResult(
            loaded=0, unchanged=0, duplicates=0, written=()
        )  # nothing to open the file for
    with connect(db_path, wait_seconds=wait_seconds) as conn:
        repository.touch_duplicates(conn, seen_duplicates or [], run_id)
        result = repository.upsert_articles(conn, [to_rows(a, version) for a in articles], run_id)
        repository.upsert_rejects(
            conn, [reject_row(r, version or pipeline_version()) for r in rejects], run_id
        )
        # After the articles: a crash before this line makes the next run fetch again rather than skip (304).
        repository.upsert_fetch_states(conn, fetch_states or [])
    return result


@task(name="finish_run", cache_policy=NO_CACHE)
def finish_run(
    db_path: str,
    run_id: str,
    status: str,
    counts: dict[str, int],
    error: str | None = None,
    wait_seconds: float = 0.0,
) -> None:
    """Record the run's end, status and counts."""
    with connect(db_path, wait_seconds=wait_seconds) as conn:
        repository.finish_run(conn, run_id, status, counts, error)


@task(name="save_fetch_state", cache_policy=NO_CACHE)
def save_fetch_state(db_path: str, fetch_states: list[FetchState], wait_seconds: float = 0.0) -> None:
    """Record what fetching feeds and sitemaps returned (validators for the next run's conditional GET)."""
    with connect(db_path, wait_seconds=wait_seconds) as conn:
        repository.upsert_fetch_states(conn, fetch_states)
