"""The pure rules of fetching over HTTP: which addresses are off limits, how headers read, how a body decompresses
under a cap and how long to back off. No sockets, no DNS, no clock: tasks.fetch does the I/O and calls these.
"""

from __future__ import annotations

import ipaddress
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# NAT64 (RFC 6052) embeds an IPv4 address in the low 32 bits; it may reach an internal IPv4 host.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_BLOCK_LABELS = (
    ("is_loopback", "loopback"),
    ("is_link_local", "link-local"),
    ("is_multicast", "multicast"),
    ("is_unspecified", "unspecified"),
    ("is_reserved", "reserved"),  # before private: Python counts 240.0.0.0/4 as private too
    ("is_private", "private"),
)


class FetchError(Exception):
    """A URL that could not be fetched, with a reason a user can act on."""

    def __init__(
        self,
        url: str,
        reason: str,
        status: int | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after  # seconds the server asked us to wait (Retry-After)
        self.attempts = 1


def blocked_reason(ip: IPAddress) -> str | None:
    """Why an address must not be fetched from ('private', 'loopback', ...), or None for a public one."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and (label := blocked_reason(embedded)):
            return label
    for attribute, label in _BLOCK_LABELS:
        if getattr(ip, attribute):
            return label
    return None if ip.is_global else "not globally routable"


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """The media type and charset of a Content-Type header, lower-cased; None for what it does not say."""
    if not value:
        return None, None
    media, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset" and val.strip().strip("\"'"):
            charset = val.strip().strip("\"'").lower()
    return media.strip().lower() or None, charset


def parse_content_encoding(value: str) -> str:
    """The real codings of a Content-Encoding header, identity dropped: "gzip", "" or "gzip, br" (refused)."""
    codings = [c.strip() for c in value.lower().split(",")]
    return ", ".join(c for c in codings if c not in ("", "identity"))


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP-date, counted from `now`)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def is_retryable_status(status: int) -> bool:
    """An HTTP status that may heal by waiting: request timeout, too many requests, server errors."""
    return status in (408, 429) or status >= 500


def retry_delay(
    attempt: int,
    retry_after: float | None,
    base: float,
    cap: float,
    jitter: Callable[[float, float], float],
) -> float:
    """Seconds to wait after a failed attempt (1-based): what the server asked, else backoff; at most `cap`."""
    if retry_after is not None:
        return min(retry_after, cap)
    # Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff and Jitter").
    return jitter(0.0, min(cap, base * 2 ** (attempt - 1)))


class BodyDecoder:
    """Content-Encoding gzip/deflate decoded with a cap on the output, so a gzip bomb stops at max_bytes."""

    def __init__(self, encoding: str, url: str, max_bytes: int) -> None:
        self.url, self.max_bytes, self.encoding = url, max_bytes, encoding
        self.out = bytearray()
        self.started = False
        if encoding in ("gzip", "x-gzip"):
            self.wbits = 16 + zlib.MAX_WBITS
        elif encoding == "deflate":
            self.wbits = zlib.MAX_WBITS  # zlib-wrapped, as the RFC says; raw deflate is tried on error
        elif encoding in ("", "identity"):
            self.wbits = 0
        else:
            raise FetchError(url, f"unsupported Content-Encoding {encoding!r}")
        self.inflater = zlib.decompressobj(self.wbits) if self.wbits else None

    def _too_large(self) -> FetchError:
        return FetchError(self.url, f"response too large (> {self.max_bytes} bytes)")

    def feed(self, data: bytes) -> None:
        """Decode one chunk of the body; FetchError once the output passes max_bytes or the data is corrupt."""
        if self.inflater is None:
            self.out += data
            if len(self.out) > self.max_bytes:
                raise self._too_large()
            return
        while data:
            room = self.max_bytes - len(self.out)
            try:
                piece = self.inflater.decompress(data, room + 1)
            except zlib.error as exc:
                if self.encoding == "deflate" and not self.started and self.wbits > 0:
                    self.wbits = -zlib.MAX_WBITS  # servers that send raw deflate
                    self.inflater = zlib.decompressobj(self.wbits)
                    continue
                raise FetchError(self.url, f"corrupt {self.encoding} body: {exc}") from None
            self.started = True
            if len(piece) > room:
                raise self._too_large()
            self.out += piece
            data = b""
            if self.inflater.eof and self.inflater.unused_data.startswith(b"\x1f\x8b"):
                data = self.inflater.unused_data  # a further gzip member
                self.inflater = zlib.decompressobj(self.wbits)

    def finish(self) -> bytes:
        """The whole decoded body; FetchError (retryable) when a compressed stream stopped short."""
        if self.inflater is not None and self.started and not self.inflater.eof:
            raise FetchError(self.url, f"truncated {self.encoding} body", retryable=True)
        return bytes(self.out)
