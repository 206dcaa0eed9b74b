"""Fetcher against a real HTTP server on 127.0.0.1 (pytest-httpserver); sleeps are recorded, not slept."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tasks.fetch import (
    Fetcher,
    FetchError,
    FetchPolicy,
    FetchResult,
    blocked_reason,
    fetch_many,
)
from tasks.transforms.decode import decode_bytes
from tasks.transforms.feeds import parse_feed, parse_sitemap, sniff_document_kind
from tasks.transforms.http_rules import BodyDecoder

FIXTURES = Path(__file__).parents[1] / "fixtures"
ENCODING = FIXTURES / "encoding"
RSS_DATA = Path(__file__).parents[3] / "shared" / "data" / "rss_feeds"
LOCAL = frozenset({"127.0.0.1", "localhost"})
needs_shared = pytest.mark.skipif(
    not (RSS_DATA / "manifest.csv").exists(), reason="../shared/data absent (a user's clone)"
)


class Sleeps(list[float]):
    """An injected sleep that records the delays instead of waiting, and a clock that counts them as passed."""

    def __call__(self, seconds: float) -> None:
        self.append(round(seconds, 3))

    def clock(self) -> float:
        return time.monotonic() + sum(self)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def _policy(**changes: object) -> FetchPolicy:
    base: dict[str, object] = {
        "allow_hosts": LOCAL,
        "min_interval_per_host": 0.0,
        "respect_robots": False,
        "retries": 3,
        "backoff_base": 0.5,
    }
    return FetchPolicy(**{**base, **changes})  # type: ignore[arg-type]


@pytest.fixture
def make_fetcher(sleeps: Sleeps) -> Iterator[object]:
    opened: list[Fetcher] = []

    def make(**changes: object) -> Fetcher:
        # jitter returns the top of its range, so backoff delays are deterministic
        fetcher = Fetcher(_policy(**changes), sleep=sleeps, clock=sleeps.clock, jitter=lambda low, high: high)
        opened.append(fetcher)
        return fetcher

    yield make
    for fetcher in opened:
        fetcher.close()


def _requests_to(server: HTTPServer, path: str) -> int:
    return sum(1 for request, _ in server.log if request.path == path)


# -- bytes and charsets -----------------------------------------------------------------------------------


def test_gbk_page_without_charset_header(httpserver: HTTPServer, make_fetcher) -> None:
    payload = (ENCODING / "gbk_no_declaration.txt").read_bytes()
    httpserver.expect_request("/gbk").respond_with_data(payload, content_type="text/html")
    result = make_fetcher().fetch(httpserver.url_for("/gbk"))
    assert (result.status, result.content, result.content_type, result.charset) == (
        200,
        payload,
        "text/html",
        None,
    )
    expected = (ENCODING / "expected_simplified.txt").read_text(encoding="utf-8").strip()
    assert decode_bytes(result.content, result.charset).text.strip() == expected


def test_big5_page_with_wrong_charset_header(httpserver: HTTPServer, make_fetcher) -> None:
    payload = (ENCODING / "big5_no_declaration.txt").read_bytes()
    httpserver.expect_request("/big5").respond_with_data(payload, content_type='text/html; charset="GB2312"')
    result = make_fetcher().fetch(httpserver.url_for("/big5"))
    assert result.charset == "gb2312"  # reported as declared; decode_bytes does not trust it blindly
    expected = (ENCODING / "expected_traditional.txt").read_text(encoding="utf-8").strip()
    assert decode_bytes(result.content, result.charset).text.strip() == expected


def test_gzip_content_encoding_is_decoded(httpserver: HTTPServer, make_fetcher) -> None:
    body = "<p>正文</p>".encode() * 100
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(body), headers={"Content-Encoding": "gzip"}, content_type="text/html"
    )
    assert make_fetcher().fetch(httpserver.url_for("/gz")).content == body


# -- conditional GET, retries ---------------------------------------------------------------------------------


def test_second_fetch_with_etag_is_not_modified(httpserver: HTTPServer, make_fetcher) -> None:
    last_modified = "Sun, 20 Apr 2025 02:30:00 GMT"
    httpserver.expect_request("/page", headers={"If-None-Match": '"v1"'}).respond_with_data("", status=304)
    httpserver.expect_request("/page").respond_with_data(
        "<p>x</p>", headers={"ETag": '"v1"', "Last-Modified": last_modified}
    )
    fetcher = make_fetcher()
    first = fetcher.fetch(httpserver.url_for("/page"))
    assert (first.etag, first.last_modified, first.not_modified) == ('"v1"', last_modified, False)
    second = fetcher.fetch(httpserver.url_for("/page"), etag=first.etag, last_modified=first.last_modified)
    assert (second.status, second.not_modified, second.content) == (304, True, b"")
    assert (second.etag, second.last_modified) == ('"v1"', last_modified)  # kept for the next run


def test_429_with_retry_after_then_success(httpserver: HTTPServer, make_fetcher, sleeps: Sleeps) -> None:
    httpserver.expect_oneshot_request("/busy").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "2"}
    )
    httpserver.expect_request("/busy").respond_with_data("ok")
    result = make_fetcher().fetch(httpserver.url_for("/busy"))
    assert (result.content, result.attempts, sleeps) == (b"ok", 2, [2.0])


def test_retry_after_http_date_is_capped_by_backoff_max(
    httpserver: HTTPServer, make_fetcher, sleeps: Sleeps
) -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    httpserver.expect_oneshot_request("/busy").respond_with_data(
        "", status=503, headers={"Retry-After": later}
    )
    httpserver.expect_request("/busy").respond_with_data("ok")
    make_fetcher(backoff_max=5.0).fetch(httpserver.url_for("/busy"))
    assert sleeps == [5.0]


def test_500_three_times_gives_up(httpserver: HTTPServer, make_fetcher, sleeps: Sleeps) -> None:
    httpserver.expect_request("/down").respond_with_data("oops", status=500)
    with pytest.raises(FetchError) as err:
        make_fetcher(retries=3).fetch(httpserver.url_for("/down"))
    assert (err.value.reason, err.value.status, err.value.retryable, err.value.attempts) == (
        "HTTP 500",
        500,
        True,
        3,
    )
    assert _requests_to(httpserver, "/down") == 3
    assert sleeps == [0.5, 1.0]  # backoff_base * 2**(attempt-1), full jitter pinned to its maximum


def test_404_is_not_retried(httpserver: HTTPServer, make_fetcher, sleeps: Sleeps) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    with pytest.raises(FetchError) as err:
        make_fetcher().fetch(httpserver.url_for("/gone"))
    assert (err.value.reason, err.value.status, err.value.retryable, err.value.attempts) == (
        "HTTP 404",
        404,
        False,
        1,
    )
    assert _requests_to(httpserver, "/gone") == 1 and sleeps == []


def test_connection_refused_is_retried(make_fetcher, sleeps: Sleeps) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as err:
        make_fetcher(retries=2).fetch(f"http://127.0.0.1:{port}/")
    assert err.value.reason.startswith("connection error") and err.value.retryable
    assert sleeps == [0.5]


# -- limits ---------------------------------------------------------------------------------------------------


def test_slow_response_hits_total_timeout(httpserver: HTTPServer, make_fetcher) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.6)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        make_fetcher(total_timeout=0.2, retries=1).fetch(httpserver.url_for("/slow"))
    assert err.value.reason == "timeout after 0.2s" and err.value.retryable
    assert time.monotonic() - started < 0.5


def test_trickling_body_hits_total_timeout(httpserver: HTTPServer, make_fetcher) -> None:
    def trickle() -> Iterator[bytes]:
        for _ in range(3):
            yield b"x" * 100
            time.sleep(1.0)

    httpserver.expect_request("/trickle").respond_with_handler(lambda request: Response(trickle()))
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timeout after 1.2s"):
        make_fetcher(total_timeout=1.2, retries=1).fetch(httpserver.url_for("/trickle"))
    # Every chunk comes within a read timeout of 1.2 s; only the shrinking read timeout stops at the deadline
    # (1.2 s) instead of after the third chunk (2.0 s). Seconds, not tenths, so a busy machine's scheduling
    # delays cannot fail it.
    assert time.monotonic() - started < 1.9


def test_oversized_body_is_refused(httpserver: HTTPServer, make_fetcher) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)
    httpserver.expect_request("/chunked").respond_with_handler(
        lambda request: Response(iter([b"x" * 600] * 5))
    )
    fetcher = make_fetcher(max_bytes=1000)
    for path in ("/big", "/chunked"):  # refused from Content-Length, and while streaming without one
        with pytest.raises(FetchError) as err:
            fetcher.fetch(httpserver.url_for(path))
        assert (err.value.reason, err.value.retryable) == ("response too large (> 1000 bytes)", False)


def test_gzip_bomb_is_refused(httpserver: HTTPServer, make_fetcher) -> None:
    bomb = gzip.compress(b"\0" * (32 * 2**20), compresslevel=9)
    assert len(bomb) < 64_000
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match=r"response too large \(> 1048576 bytes\)"):
        make_fetcher(max_bytes=2**20).fetch(httpserver.url_for("/bomb"))


def test_body_decoder_stops_at_the_cap() -> None:
    decoder = BodyDecoder("gzip", "http://x.test/", max_bytes=1000)
    with pytest.raises(FetchError):
        decoder.feed(gzip.compress(b"\0" * 2**20))  # the whole bomb in one chunk
    assert len(decoder.out) <= 1000  # never inflated past the cap


# -- redirects and the SSRF guard -----------------------------------------------------------------------------


def _redirect_chain(server: HTTPServer, name: str, hops: int) -> str:
    for i in range(hops):
        server.expect_request(f"/{name}/{i}").respond_with_data(
            "", status=302, headers={"Location": f"/{name}/{i + 1}"}
        )
    server.expect_request(f"/{name}/{hops}").respond_with_data("arrived")
    return server.url_for(f"/{name}/0")


def test_redirect_chain_of_five_is_followed(httpserver: HTTPServer, make_fetcher) -> None:
    result = make_fetcher().fetch(_redirect_chain(httpserver, "five", 5))
    assert (result.content, result.final_url) == (b"arrived", httpserver.url_for("/five/5"))


def test_redirect_chain_of_six_is_refused(httpserver: HTTPServer, make_fetcher) -> None:
    with pytest.raises(FetchError) as err:
        make_fetcher().fetch(_redirect_chain(httpserver, "six", 6))
    assert (err.value.reason, err.value.retryable) == ("too many redirects (> 5)", False)
    assert _requests_to(httpserver, "/six/6") == 0


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Every address a socket connected to (httpcore connects with socket.create_connection)."""
    seen: list[tuple[str, int]] = []
    real = socket.create_connection

    def spy(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        seen.append(address)
        return real(address, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "create_connection", spy)
    return seen


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://10.0.0.1/admin", "blocked address 10.0.0.1 (private)"),
        ("http://169.254.169.254/latest/meta-data/", "blocked address 169.254.169.254 (link-local)"),
        ("http://[::ffff:192.168.1.1]/", "blocked address ::ffff:c0a8:101 (private)"),
        ("ftp://example.com/file", "scheme 'ftp' not allowed"),
    ],
)
def test_redirect_to_a_forbidden_target_is_refused_unconnected(
    httpserver: HTTPServer, make_fetcher, connections: list[tuple[str, int]], location: str, reason: str
) -> None:
    httpserver.expect_request("/go").respond_with_data("", status=302, headers={"Location": location})
    with pytest.raises(FetchError) as err:
        make_fetcher().fetch(httpserver.url_for("/go"))
    assert (err.value.reason, err.value.retryable) == (reason, False)
    assert {host for host, _ in connections} == {"127.0.0.1"}


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_is_refused_without_allow_hosts(httpserver: HTTPServer, make_fetcher, host: str) -> None:
    with pytest.raises(FetchError, match=r"blocked address 127.0.0.1 \(loopback\)"):
        make_fetcher(allow_hosts=frozenset()).fetch(f"http://{host}:{httpserver.port}/")
    assert len(httpserver.log) == 0


@pytest.mark.parametrize(
    ("addresses", "reason"),
    [
        (["10.1.2.3"], "blocked address 10.1.2.3 (private)"),
        (["93.184.215.14", "fd00::5"], "blocked address fd00::5 (private)"),  # any bad address is enough
    ],
)
def test_host_name_resolving_to_private_addresses_is_refused(
    sleeps: Sleeps, addresses: list[str], reason: str
) -> None:
    with Fetcher(
        _policy(allow_hosts=frozenset()), sleep=sleeps, resolve=lambda host, port: addresses
    ) as fetcher:
        with pytest.raises(FetchError, match=reason.replace("(", r"\(").replace(")", r"\)")):
            fetcher.fetch("http://intranet.example/")


def test_connection_is_pinned_to_the_vetted_address(httpserver: HTTPServer, sleeps: Sleeps) -> None:
    # A second DNS answer (rebinding) cannot redirect the socket: it connects to the address that was checked.
    httpserver.expect_request("/pinned", headers={"Host": f"news.test:{httpserver.port}"}).respond_with_data(
        "ok"
    )
    answers = iter([["127.0.0.1"], ["10.9.9.9"]])
    policy = _policy(allow_hosts=frozenset({"127.0.0.1"}))
    with Fetcher(policy, sleep=sleeps, resolve=lambda host, port: next(answers)) as fetcher:
        result = fetcher.fetch(f"http://news.test:{httpserver.port}/pinned")
    assert (result.content, result.final_url) == (b"ok", f"http://news.test:{httpserver.port}/pinned")


@pytest.mark.parametrize(
    ("address", "label"),
    [
        ("8.8.8.8", None),
        ("2606:4700:4700::1111", None),
        ("127.0.0.1", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.0.1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("100.64.0.1", "not globally routable"),  # carrier-grade NAT
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("2002:a00:1::", "private"),  # 6to4 of 10.0.0.1
        ("240.0.0.1", "reserved"),
    ],
)
def test_blocked_reason(address: str, label: str | None) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) == label


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/x", "scheme 'ftp' not allowed"),
        ("file:///etc/passwd", "scheme 'file' not allowed"),
        ("javascript:alert(1)", "scheme 'javascript' not allowed"),
        ("http:///nohost", "no host in URL"),
    ],
)
def test_bad_urls_are_refused(make_fetcher, url: str, reason: str) -> None:
    with pytest.raises(FetchError) as err:
        make_fetcher().fetch(url)
    assert (err.value.reason, err.value.retryable) == (reason, False)


# -- robots.txt and politeness --------------------------------------------------------------------------------


def test_robots_disallow_is_respected_and_cached(httpserver: HTTPServer, make_fetcher) -> None:
    robots = "User-agent: newsetl\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n"
    httpserver.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")
    httpserver.expect_request("/public/a").respond_with_data("ok")
    fetcher = make_fetcher(respect_robots=True)
    assert fetcher.fetch(httpserver.url_for("/public/a")).content == b"ok"
    with pytest.raises(FetchError) as err:
        fetcher.fetch(httpserver.url_for("/private/b"))
    assert (err.value.reason, err.value.retryable) == ("disallowed by robots.txt", False)
    assert _requests_to(httpserver, "/robots.txt") == 1
    assert _requests_to(httpserver, "/private/b") == 0


def test_missing_robots_allows_everything(httpserver: HTTPServer, make_fetcher) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/a").respond_with_data("ok")
    assert make_fetcher(respect_robots=True).fetch(httpserver.url_for("/a")).content == b"ok"


def test_unreachable_robots_disallows_the_host(httpserver: HTTPServer, make_fetcher) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=503)
    httpserver.expect_request("/a").respond_with_data("ok")
    with pytest.raises(FetchError) as err:
        make_fetcher(respect_robots=True, retries=1).fetch(httpserver.url_for("/a"))
    assert err.value.reason == "robots.txt unreachable (HTTP 503): host treated as disallowed (RFC 9309)"
    assert _requests_to(httpserver, "/a") == 0


def test_crawl_delay_and_min_interval_space_requests(
    httpserver: HTTPServer, make_fetcher, sleeps: Sleeps
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nCrawl-delay: 2\n")
    httpserver.expect_request("/a").respond_with_data("ok")
    fetcher = make_fetcher(respect_robots=True, min_interval_per_host=0.5)
    fetcher.fetch(httpserver.url_for("/a"))
    fetcher.fetch(httpserver.url_for("/a"))
    # robots.txt, then /a after min_interval (0.5), then /a after the crawl delay (2). Each wait is the interval
    # less the time since the host's last request, which a busy machine stretches (0.387 s seen): the second wait
    # must exceed min_interval, or the crawl delay was ignored.
    assert len(sleeps) == 2 and 0 < sleeps[0] <= 0.5 and 0.5 < sleeps[1] <= 2.0


# -- feeds and sitemaps end to end ----------------------------------------------------------------------------


def test_entity_bomb_feed_is_refused(httpserver: HTTPServer, make_fetcher) -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    bomb += b'<rss version="2.0"><channel><title>&b;</title></channel></rss>'
    httpserver.expect_request("/feed").respond_with_data(bomb, content_type="application/rss+xml")
    result = make_fetcher().fetch(httpserver.url_for("/feed"))
    assert sniff_document_kind(result.content, result.content_type) == "feed"
    with pytest.raises(Exception, match="feed declares XML entities"):
        parse_feed(result.content, result.final_url, result.charset)


def test_sitemap_index_with_gzipped_child(httpserver: HTTPServer, make_fetcher) -> None:
    child = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{httpserver.url_for('/news/1.html')}</loc><lastmod>2025-04-20</lastmod></url>"
        "<url><loc>/news/2.html</loc></url></urlset>"
    )
    index = (
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>/sitemaps/news-1.xml.gz</loc></sitemap></sitemapindex>"
    )
    httpserver.expect_request("/sitemap.xml").respond_with_data(index, content_type="application/xml")
    httpserver.expect_request("/sitemaps/news-1.xml.gz").respond_with_data(
        gzip.compress(child.encode()), content_type="application/x-gzip"
    )
    fetcher = make_fetcher()
    top = fetcher.fetch(httpserver.url_for("/sitemap.xml"))
    assert sniff_document_kind(top.content, top.content_type) == "sitemap"
    (child_url,) = parse_sitemap(top.content, top.final_url).sitemaps
    fetched = fetcher.fetch(child_url)
    assert fetched.content.startswith(b"\x1f\x8b")  # served as a file, not as Content-Encoding
    assert sniff_document_kind(fetched.content, fetched.content_type) == "sitemap"
    urls = parse_sitemap(fetched.content, fetched.final_url).urls
    assert [(u.loc, u.lastmod) for u in urls] == [
        (httpserver.url_for("/news/1.html"), "2025-04-20"),
        (httpserver.url_for("/news/2.html"), None),
    ]


@needs_shared
@pytest.mark.parametrize(
    ("name", "first_title"),
    [
        ("Big5/coolloud.org.tw.xml", "1226檔下點交之後 不見棺材不走人 進輪自救會長期抗戰"),
        (
            "GB2312/acnnewswire.net.xml",
            "JCB 与中国银联（China UnionPay）完成ATM网关协议的签订；CUP持卡者得以第一次在日本享受使用ATM网络的权利",
        ),
    ],
    ids=["big5-rdf-coolloud", "gb2312-rss2-acnnewswire"],
)
def test_real_legacy_feed_served_as_it_was(
    httpserver: HTTPServer, make_fetcher, name: str, first_title: str
) -> None:
    payload = (RSS_DATA / "chardet_real_feeds" / name).read_bytes()
    # 2005-era servers sent feeds as text/xml without a charset; the encoding is in the XML declaration only.
    httpserver.expect_request("/index.xml").respond_with_data(payload, content_type="text/xml")
    result = make_fetcher().fetch(httpserver.url_for("/index.xml"))
    assert result.content == payload
    assert sniff_document_kind(result.content, result.content_type) == "feed"
    items = parse_feed(result.content, result.final_url, result.charset)
    assert items[0].title == first_title


# -- fetch_many -----------------------------------------------------------------------------------------------


def test_fetch_many_keeps_order_and_reports_failures(httpserver: HTTPServer, make_fetcher) -> None:
    httpserver.expect_request("/a").respond_with_data("A", headers={"ETag": '"a"'})
    httpserver.expect_request("/b", headers={"If-None-Match": '"b"'}).respond_with_data("", status=304)
    httpserver.expect_request("/missing").respond_with_data("", status=404)
    urls = [httpserver.url_for(p) for p in ("/a", "/missing", "/b", "/a")]
    results, failures = fetch_many(make_fetcher(), urls, {urls[2]: ('"b"', None)})
    assert [(r.url, r.status, r.not_modified) for r in results] == [
        (urls[0], 200, False),
        (urls[2], 304, True),
    ]
    assert failures == [(urls[1], "HTTP 404", 404)]  # the status is kept for fetch_state
    assert all(isinstance(r, FetchResult) for r in results)


# -- TLS with a pinned address ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[HTTPServer, Path]]:
    """An HTTPS server on 127.0.0.1 with a self-signed certificate for news.test (module-wide: stopping is slow)."""
    pytest.importorskip("cryptography")  # skip cleanly where it is not installed
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "news.test")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("news.test")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    server.start()
    yield server, cert_file
    server.stop()


@pytest.mark.parametrize("host", ["news.test", "other.test"])
def test_https_to_a_pinned_address_verifies_the_host_name(
    tls_server: tuple[HTTPServer, Path], sleeps: Sleeps, host: str
) -> None:
    server, cert_file = tls_server
    server.expect_request("/x").respond_with_data("secure")
    policy = _policy(allow_hosts=frozenset({"127.0.0.1"}), ca_file=str(cert_file))
    with Fetcher(policy, sleep=sleeps, resolve=lambda name, port: ["127.0.0.1"]) as fetcher:
        if host == "news.test":  # SNI and certificate check use the name, the socket the vetted address
            assert fetcher.fetch(f"https://{host}:{server.port}/x").content == b"secure"
        else:
            with pytest.raises(FetchError) as err:
                fetcher.fetch(f"https://{host}:{server.port}/x")
            assert err.value.reason.startswith("TLS certificate not trusted") and not err.value.retryable


def test_fetch_many_holds_per_host_concurrency(sleeps: Sleeps) -> None:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    active, peak, lock = [0], [0], threading.Lock()

    def handler(request: Request) -> Response:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return Response("ok")

    server.expect_request("/slowish").respond_with_handler(handler)
    server.start()
    try:
        policy = _policy(max_concurrency_per_host=2)
        with Fetcher(policy, sleep=sleeps, clock=sleeps.clock) as fetcher:
            urls = [server.url_for(f"/slowish?n={n}") for n in range(8)]
            results, failures = fetch_many(fetcher, urls, max_workers=8)
    finally:
        server.stop()
    assert (len(results), failures, peak[0]) == (8, [], 2)
