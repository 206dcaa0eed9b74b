"""Fetch URLs over HTTP(S) with a crawler's guards; the only module of the project that imports httpx.

Every hop of a redirect chain is checked (scheme, SSRF guard, robots.txt); sockets connect only to the addresses
the guard vetted (no second DNS lookup, so no DNS rebinding); the body is read as a stream and decompressed
under a size cap and a deadline; transient failures are retried with backoff. Nothing here reads the environment:
the flow builds the FetchPolicy. The pure rules (blocked addresses, header parsing, the capped decompressor,
backoff) are in tasks.transforms.http_rules, robots.txt handling in tasks.robots.
"""

from __future__ import annotations

import ipaddress
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, NamedTuple
from urllib.parse import urljoin

import httpcore
import httpx

from tasks.fetch_policy import DEFAULT_USER_AGENT, FetchPolicy
from tasks.robots import RobotsRules
from tasks.transforms.http_rules import (
    REDIRECT_STATUSES,
    BodyDecoder,
    FetchError,
    IPAddress,
    blocked_reason,
    is_retryable_status,
    parse_content_encoding,
    parse_content_type,
    parse_retry_after,
    retry_delay,
)

# FetchError and blocked_reason live in the pure tasks.transforms.http_rules; callers import them from here.
__all__ = [
    "DEFAULT_USER_AGENT",
    "Fetcher",
    "FetchError",
    "FetchFailure",
    "FetchPolicy",
    "FetchResult",
    "Resolver",
    "blocked_reason",
    "fetch_many",
    "resolve_host",
]

_ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.8"
)

Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class FetchResult:
    """One fetched URL: the decompressed body and the headers the next stages and the next run need."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    content: bytes  # b"" when not_modified
    content_type: str | None  # media type only, lower-cased: "text/html"
    charset: str | None  # as the Content-Type header declares it (not verified)
    etag: str | None
    last_modified: str | None
    not_modified: bool
    elapsed: float  # seconds for the whole fetch, retries and waits included
    attempts: int = 1


def resolve_host(host: str, port: int) -> list[str]:
    """Every address (IPv4 and IPv6) a host name resolves to."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _arm_watchdog(response: httpx.Response, seconds: float, fired: threading.Event) -> threading.Timer | None:
    """Shut the socket down when the deadline passes, so a body stalled mid-read cannot outlive it.

    httpx's read timeout bounds each socket read, not the whole body: a server sending a byte every few
    seconds would never trip it.
    """
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    if sock is None:
        return None

    def cut() -> None:
        fired.set()
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed

    timer = threading.Timer(max(0.0, seconds), cut)
    timer.daemon = True
    timer.start()
    return timer


class _PinnedBackend(httpcore.SyncBackend):
    """Connects a host only to the addresses the SSRF guard vetted for it, never to a fresh DNS answer.

    Resolving once to check and letting the client resolve again to connect would let DNS rebinding (a public
    answer, then a private one) through. Pinning here, under the host name, keeps TLS SNI, certificate checks
    and connection pooling per host name as usual.
    """

    def __init__(self, passthrough: set[tuple[str, int]]) -> None:
        super().__init__()
        self._pins: dict[tuple[str, int], tuple[str, ...]] = {}
        self._passthrough = passthrough  # the proxy, which is ours to reach and not checked

    def pin(self, host: str, port: int, addresses: list[str]) -> None:
        self._pins[(host, port)] = tuple(address.split("%", 1)[0] for address in addresses)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        if (host.lower(), port) in self._passthrough:
            return super().connect_tcp(host, port, timeout, local_address, socket_options)
        addresses = self._pins.get((host.lower(), port))
        if not addresses:
            raise httpcore.ConnectError(f"{host}:{port} was not vetted by the SSRF guard")
        for index, address in enumerate(addresses):
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError:
                if index == len(addresses) - 1:
                    raise
        raise AssertionError("unreachable: addresses is never empty")


class _HostGate:
    """Per-host politeness: at most N requests at once and a minimum interval between request starts."""

    def __init__(self, concurrency: int, interval: float) -> None:
        self.semaphore = threading.BoundedSemaphore(max(1, concurrency))
        self.interval = interval
        self.lock = threading.Lock()
        self.next_start = 0.0

    def reserve(self, now: float) -> float:
        """Seconds to wait before starting the next request, the slot being reserved."""
        with self.lock:
            start = max(now, self.next_start)
            self.next_start = start + self.interval
            return start - now


class Fetcher:
    """One HTTP client with redirects, retries, robots.txt, SSRF guard and per-host limits; a context manager."""

    def __init__(
        self,
        policy: FetchPolicy | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        resolve: Resolver = resolve_host,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[float, float], float] = random.uniform,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self._sleep, self._resolve, self._clock, self._jitter = sleep, resolve, clock, jitter
        self._allow_names = {h.lower().strip("[]") for h in self.policy.allow_hosts}
        self._allow_nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in self._allow_names:
            try:
                self._allow_nets.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                pass  # a host name, matched by name
        proxy = httpx.Proxy(self.policy.proxy) if self.policy.proxy else None
        proxy_port = (proxy.url.port or (443 if proxy.url.scheme == "https" else 80)) if proxy else 0
        passthrough = {(proxy.url.raw_host.decode("ascii").lower(), proxy_port)} if proxy else set()
        self._backend = _PinnedBackend(passthrough)
        transport = httpx.HTTPTransport(
            proxy=proxy,
            verify=ssl.create_default_context(cafile=self.policy.ca_file) if self.policy.ca_file else True,
        )
        # httpx does not expose httpcore's network_backend; the attribute is checked so an upgrade fails loudly.
        if not isinstance(getattr(transport._pool, "_network_backend", None), httpcore.SyncBackend):
            raise RuntimeError("httpcore internals changed: cannot pin vetted addresses")
        transport._pool._network_backend = self._backend
        self._client = httpx.Client(
            transport=transport,
            follow_redirects=False,  # followed by hand so that every hop passes the guards
            trust_env=False,
            headers={
                "User-Agent": self.policy.user_agent,
                "Accept": _ACCEPT,
                "Accept-Encoding": "gzip, deflate",  # only what BodyDecoder can cap
            },
        )
        self._lock = threading.Lock()
        self._gates: dict[str, _HostGate] = {}
        self._robots = RobotsRules(self.policy.user_agent, self._fetch_robots, self._apply_crawl_delay)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    # -- guards ------------------------------------------------------------------------------------------------

    def _is_allowed(self, host: str, ip: IPAddress) -> bool:
        return host in self._allow_names or any(ip in net for net in self._allow_nets)

    def check_url(self, url: str) -> tuple[httpx.URL, list[str]]:
        """The parsed URL and its vetted addresses; FetchError for a bad scheme or a non-public address."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, TypeError) as exc:
            raise FetchError(url, f"invalid URL: {exc}") from None
        if parsed.scheme not in ("http", "https"):
            raise FetchError(url, f"scheme {parsed.scheme!r} not allowed")
        host = parsed.raw_host.decode("ascii").lower()
        if not host:
            raise FetchError(url, "no host in URL")
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            addresses = self._resolve(host, port)
        except (OSError, UnicodeError) as exc:
            transient = isinstance(exc, socket.gaierror) and exc.errno == socket.EAI_AGAIN
            raise FetchError(url, f"cannot resolve host {host!r}: {exc}", retryable=transient) from None
        if not addresses:
            raise FetchError(url, f"cannot resolve host {host!r}")
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if (label := blocked_reason(ip)) and not self._is_allowed(host, ip):
                raise FetchError(url, f"blocked address {ip} ({label})")
        self._backend.pin(host, port, addresses)
        return parsed, addresses

    def _gate(self, host: str) -> _HostGate:
        with self._lock:
            if host not in self._gates:
                self._gates[host] = _HostGate(
                    self.policy.max_concurrency_per_host, self.policy.min_interval_per_host
                )
            return self._gates[host]

    def _fetch_robots(self, url: str) -> bytes:
        return self._with_retries(url, None, None, check_robots=False).content

    def _apply_crawl_delay(self, host: str, delay: float) -> None:
        gate = self._gate(host)
        gate.interval = max(gate.interval, min(delay, self.policy.backoff_max))

    def _check_robots(self, url: str, parsed: httpx.URL, hop: int) -> None:
        origin = f"{parsed.scheme}://{parsed.netloc.decode('ascii')}"
        self._robots.check(url, str(parsed), origin, parsed.raw_host.decode("ascii").lower(), hop)

    # -- one request ---------------------------------------------------------------------------------------------

    def _send(self, url: str, parsed: httpx.URL, headers: dict[str, str]) -> tuple[httpx.Response, bytes]:
        """One request under the host's concurrency and interval limits; the body read before the deadline."""
        gate = self._gate(parsed.raw_host.decode("ascii").lower())
        with gate.semaphore:
            if (wait := gate.reserve(self._clock())) > 0:
                self._sleep(wait)
            deadline = self._clock() + self.policy.total_timeout
            timeout = httpx.Timeout(
                self.policy.total_timeout, connect=min(self.policy.connect_timeout, self.policy.total_timeout)
            )
            request = self._client.build_request("GET", parsed, headers=headers, timeout=timeout)
            response = self._client.send(request, stream=True)
            try:
                return response, self._read_body(url, response, deadline)
            finally:
                response.close()

    def _read_body(self, url: str, response: httpx.Response, deadline: float) -> bytes:
        if not 200 <= response.status_code < 300:
            return b""  # a redirect, 304 or error body is never used
        # Two real codings ("gzip, br") come back joined, and BodyDecoder refuses them.
        encoding = parse_content_encoding(response.headers.get("content-encoding", ""))
        decoder = BodyDecoder(encoding, url, self.policy.max_bytes)
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.policy.max_bytes:
            raise FetchError(url, f"response too large (> {self.policy.max_bytes} bytes)")
        timed_out = threading.Event()
        watchdog = _arm_watchdog(response, deadline - self._clock(), timed_out)
        try:
            for chunk in response.iter_raw():
                if timed_out.is_set() or self._clock() > deadline:
                    break
                decoder.feed(chunk)
        except (httpx.NetworkError, httpx.RemoteProtocolError):
            if not timed_out.is_set():
                raise
        finally:
            if watchdog is not None:
                watchdog.cancel()
        if timed_out.is_set() or self._clock() > deadline:
            raise FetchError(url, f"timeout after {self.policy.total_timeout:g}s", retryable=True)
        return decoder.finish()

    def _fetch_once(
        self, url: str, etag: str | None, last_modified: str | None, check_robots: bool
    ) -> FetchResult:
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = url
        for hop in range(self.policy.max_redirects + 1):
            parsed, _ = self.check_url(current)
            if check_robots and self.policy.respect_robots:
                self._check_robots(url, parsed, hop)
            try:
                response, content = self._send(url, parsed, headers)
            except httpx.TimeoutException as exc:
                kind = "connect timeout" if isinstance(exc, httpx.ConnectTimeout) else "timeout"
                limit = (
                    self.policy.connect_timeout if kind == "connect timeout" else self.policy.total_timeout
                )
                raise FetchError(url, f"{kind} after {limit:g}s", retryable=True) from None
            except (httpx.NetworkError, httpx.RemoteProtocolError) as exc:
                if "CERTIFICATE_VERIFY_FAILED" in str(exc):  # a wrong certificate does not heal by waiting
                    raise FetchError(url, f"TLS certificate not trusted: {exc}") from None
                raise FetchError(
                    url, f"connection error: {exc or type(exc).__name__}", retryable=True
                ) from None
            except httpx.HTTPError as exc:
                raise FetchError(url, f"HTTP client error: {exc or type(exc).__name__}") from None
            status = response.status_code
            if status in REDIRECT_STATUSES:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(url, f"HTTP {status} redirect without a Location", status=status)
                current = urljoin(current, location.strip())
                continue
            content_type, charset = parse_content_type(response.headers.get("content-type"))
            if status == 304 or 200 <= status < 300:
                return FetchResult(
                    url=url,
                    final_url=current,
                    status=status,
                    content=b"" if status == 304 else content,
                    content_type=content_type,
                    charset=charset,
                    etag=response.headers.get("etag") or (etag if status == 304 else None),
                    last_modified=response.headers.get("last-modified")
                    or (last_modified if status == 304 else None),
                    not_modified=status == 304,
                    elapsed=0.0,
                )
            retryable = is_retryable_status(status)
            retry_after = response.headers.get("retry-after") if retryable else None
            wait = parse_retry_after(retry_after, datetime.now(UTC))
            raise FetchError(url, f"HTTP {status}", status=status, retryable=retryable, retry_after=wait)
        raise FetchError(url, f"too many redirects (> {self.policy.max_redirects})")

    def _with_retries(
        self, url: str, etag: str | None, last_modified: str | None, check_robots: bool = True
    ) -> FetchResult:
        start = self._clock()
        attempts = max(1, self.policy.retries)
        for attempt in range(1, attempts + 1):
            try:
                result = self._fetch_once(url, etag, last_modified, check_robots)
            except FetchError as exc:
                exc.attempts = attempt
                if not exc.retryable or attempt == attempts:
                    raise
                delay = retry_delay(
                    attempt, exc.retry_after, self.policy.backoff_base, self.policy.backoff_max, self._jitter
                )
                self._sleep(delay)
                continue
            return replace(result, elapsed=round(self._clock() - start, 3), attempts=attempt)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """GET a URL (conditionally when etag/last_modified are given); FetchError when it cannot be had."""
        return self._with_retries(url, etag, last_modified)


class FetchFailure(NamedTuple):
    """A URL that could not be fetched: the reason, and the last HTTP status when the server answered."""

    url: str
    reason: str
    status: int | None = None


def fetch_many(
    fetcher: Fetcher,
    urls: Iterable[str],
    states: dict[str, tuple[str | None, str | None]] | None = None,
    max_workers: int = 8,
) -> tuple[list[FetchResult], list[FetchFailure]]:
    """Fetch URLs in threads (states: url -> (etag, last_modified)); results and failures, each in order."""
    unique = list(dict.fromkeys(urls))
    states = states or {}

    def one(url: str) -> FetchResult | FetchFailure:
        etag, last_modified = states.get(url, (None, None))
        try:
            return fetcher.fetch(url, etag=etag, last_modified=last_modified)
        except FetchError as exc:
            return FetchFailure(url, exc.reason, exc.status)
        except Exception as exc:  # noqa: BLE001 - a bug on one URL must not lose the batch; stored with its type
            return FetchFailure(url, f"internal error: {type(exc).__name__}: {exc}")

    results: list[FetchResult] = []
    failures: list[FetchFailure] = []
    with ThreadPoolExecutor(max_workers=max(1, max_workers)) as pool:
        for outcome in pool.map(one, unique):
            if isinstance(outcome, FetchResult):
                results.append(outcome)
            else:
                failures.append(outcome)
    return results, failures
