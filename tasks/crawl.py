"""Prefect tasks for web inputs: the network steps, which are the only ones that retry."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.fetch import Fetcher, FetchPolicy
from tasks.web import WebBatch, WebSpec, WebTarget, discover, fetch_targets
from warehouse import repository
from warehouse.connection import connect


@task(name="read_fetch_state", cache_policy=NO_CACHE)
def read_fetch_state(db_path: str, urls: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """ETag / Last-Modified stored for these URLs by earlier runs."""
    with connect(db_path) as conn:
        return repository.get_fetch_states(conn, urls)


# No Prefect retries here: Fetcher retries each request itself (backoff with jitter for connection errors, 429 and
# 5xx), and a task retry would fetch the whole batch again.
@task(name="discover_web", cache_policy=NO_CACHE)
def discover_web(
    spec: WebSpec, policy: FetchPolicy, states: dict[str, tuple[str | None, str | None]]
) -> WebBatch:
    """Fetch feeds, sitemaps and pages of a spec; article URLs to fetch next."""
    with Fetcher(policy) as fetcher:
        return discover(fetcher, spec, states)


@task(name="fetch_batch", cache_policy=NO_CACHE)
def fetch_batch(
    targets: list[WebTarget],
    policy: FetchPolicy,
    states: dict[str, tuple[str | None, str | None]],
    charset_hint: str | None = None,
) -> WebBatch:
    """Fetch one batch of article URLs."""
    with Fetcher(policy) as fetcher:
        return fetch_targets(fetcher, targets, states, charset_hint)
