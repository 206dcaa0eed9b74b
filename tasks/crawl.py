"""Prefect tasks for web inputs: the network steps, which are the only ones that retry."""

from __future__ import annotations

import threading

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.fetch import Fetcher, FetchPolicy
from tasks.web import WebBatch, WebSpec, WebTarget, discover, fetch_targets
from warehouse import repository
from warehouse.connection import connect

# One Fetcher per policy for the whole process: its robots.txt cache and per-host interval then span every batch of
# a run, instead of restarting at each batch (which would fetch robots.txt again and hit a host back to back).
_fetchers: dict[FetchPolicy, Fetcher] = {}
_lock = threading.Lock()


def fetcher_for(policy: FetchPolicy) -> Fetcher:
    """The shared Fetcher for a policy (created on first use)."""
    with _lock:
        if policy not in _fetchers:
            _fetchers[policy] = Fetcher(policy)
        return _fetchers[policy]


def close_fetchers() -> None:
    """Close every shared Fetcher (end of a run); the next run starts with fresh robots.txt and limits."""
    with _lock:
        for fetcher in _fetchers.values():
            fetcher.close()
        _fetchers.clear()


@task(name="read_fetch_state", cache_policy=NO_CACHE)
def read_fetch_state(
    db_path: str, urls: list[str], wait_seconds: float = 0.0
) -> dict[str, tuple[str | None, str | None]]:
    """ETag / Last-Modified stored for these URLs by earlier runs."""
    with connect(db_path, wait_seconds=wait_seconds) as conn:
        return repository.get_fetch_states(conn, urls)


# No Prefect retries here: Fetcher retries each request itself (backoff with jitter for connection errors, 429 and
# 5xx), and a task retry would fetch the whole batch again.
@task(name="discover_web", cache_policy=NO_CACHE)
def discover_web(
    spec: WebSpec, policy: FetchPolicy, states: dict[str, tuple[str | None, str | None]]
) -> WebBatch:
    """Fetch feeds, sitemaps and pages of a spec; article URLs to fetch next."""
    return discover(fetcher_for(policy), spec, states)


@task(name="fetch_batch", cache_policy=NO_CACHE)
def fetch_batch(
    targets: list[WebTarget],
    policy: FetchPolicy,
    states: dict[str, tuple[str | None, str | None]],
    charset_hint: str | None = None,
) -> WebBatch:
    """Fetch one batch of article URLs."""
    return fetch_targets(fetcher_for(policy), targets, states, charset_hint)
