"""How politely and defensively to fetch: the policy alone, so reading settings does not import httpx."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_USER_AGENT = "newsetl/0.1 (+https://github.com/newsetl/newsetl)"


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and defensively to fetch; the flow builds it from settings."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 5.0
    total_timeout: float = 30.0  # for each response (one hop), from the request to its last body byte
    max_bytes: int = 10 * 2**20  # of the decompressed body
    max_redirects: int = 5
    allow_hosts: frozenset[str] = frozenset()  # host names, IPs or CIDR networks exempt from the SSRF guard
    retries: int = 3  # attempts in all, the first included (3 = one try and two retries)
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    min_interval_per_host: float = 1.0
    max_concurrency_per_host: int = 2
    respect_robots: bool = True
    proxy: str | None = None  # e.g. "http://proxy:3128"; the environment's proxy variables are ignored
    ca_file: str | None = None  # extra CA bundle (PEM) to trust instead of the system's, e.g. a company CA
