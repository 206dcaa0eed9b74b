"""The flow over a real HTTP server on 127.0.0.1: feed -> articles, conditional GET, rejects, sources."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from flows.ingest import ingest_news
from tests.conftest import SAMPLES
from warehouse.connection import connect

PAGES = {
    "/news/gbk.html": (SAMPLES / "he_xinhuanet_2012-06-04_drama_tour_gbk.html").read_bytes(),
    "/news/utf8.html": (SAMPLES / "chinadaily_2023-11-17_foreign_experts_china_us.html").read_bytes(),
}
LOCAL = ["127.0.0.1", "localhost"]


def _conditional(body: bytes, content_type: str):
    etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, headers={"ETag": etag, "Content-Type": content_type})

    return handler


@pytest.fixture
def site(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    monkeypatch.setenv("NEWSETL_MIN_INTERVAL_PER_HOST", "0")
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    # The GBK page is served with no charset at all: the decode stage must find it.
    httpserver.expect_request("/news/gbk.html").respond_with_handler(
        _conditional(PAGES["/news/gbk.html"], "text/html")
    )
    httpserver.expect_request("/news/utf8.html").respond_with_handler(
        _conditional(PAGES["/news/utf8.html"], "text/html; charset=utf-8")
    )
    items = "".join(
        f"<item><title>条目{i}</title><link>{httpserver.url_for(path)}</link>"
        f"<pubDate>Mon, 04 Jun 2012 08:00:00 +0800</pubDate></item>"
        for i, path in enumerate([*PAGES, "/news/missing.html", "/private/secret.html"])
    )
    feed = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'
    httpserver.expect_request("/feed.xml").respond_with_handler(
        _conditional(feed.encode(), "application/rss+xml")
    )
    httpserver.expect_request("/news/missing.html").respond_with_data("gone", status=404)
    return httpserver


def test_feed_ingest_is_incremental(site: HTTPServer, tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    first = ingest_news(feeds=[site.url_for("/feed.xml")], db_path=db, allow_hosts=LOCAL)
    assert first["counts"]["loaded"] == 2, first
    assert first["counts"]["rejected"] == 2, first["rejects"]
    with connect(db, read_only=True) as conn:
        rejects = dict(
            conn.execute("SELECT source_uri, reason FROM rejects WHERE stage = 'fetch'").fetchall()
        )
        assert "HTTP 404" in rejects[site.url_for("/news/missing.html")]
        assert "robots.txt" in rejects[site.url_for("/private/secret.html")]
        # A failure keeps the server's last HTTP status (issue 10): 404 for the page the server answered, NULL for
        # the one robots.txt forbade (never requested).
        statuses = dict(
            conn.execute("SELECT url, status FROM fetch_state WHERE last_error IS NOT NULL").fetchall()
        )
        assert statuses == {
            site.url_for("/news/missing.html"): 404,
            site.url_for("/private/secret.html"): None,
        }
        gbk = conn.execute(
            "SELECT encoding_detected, title, published_at FROM articles WHERE source_uri = ?",
            [site.url_for("/news/gbk.html")],
        ).fetchone()
        assert gbk[0] == "gb18030"
        n_articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM fetch_state WHERE etag IS NOT NULL").fetchone()[0] == 3

    second = ingest_news(feeds=[site.url_for("/feed.xml")], db_path=db, allow_hosts=LOCAL)
    assert second["counts"]["loaded"] == 0
    # The feed itself answers 304, so nothing behind it is fetched again.
    assert second["counts"]["unchanged"] == 1
    with connect(db, read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == n_articles
        assert (
            conn.execute("SELECT max(status) FROM fetch_state WHERE url LIKE '%feed.xml'").fetchone()[0]
            == 304
        )


def test_plain_urls_are_fetched_conditionally(site: HTTPServer, tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    urls = [site.url_for(p) for p in PAGES]
    first = ingest_news(paths=urls, db_path=db, allow_hosts=LOCAL)
    assert first["counts"]["loaded"] == 2
    second = ingest_news(paths=urls, db_path=db, allow_hosts=LOCAL)
    assert (second["counts"]["loaded"], second["counts"]["unchanged"]) == (0, 2)
    assert [r for r in site.log if r[0].headers.get("If-None-Match")], "second run must send If-None-Match"


def test_loopback_is_refused_unless_allowed(site: HTTPServer, tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    summary = ingest_news(paths=[site.url_for("/news/utf8.html")], db_path=db)
    assert summary["counts"]["rejected"] == 1
    with connect(db, read_only=True) as conn:
        stage, reason = conn.execute("SELECT stage, reason FROM rejects").fetchone()
    assert stage == "fetch" and "blocked address 127.0.0.1" in reason


def test_configured_source(site: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[sources]]\nname = "local"\nfeeds = ["{site.url_for("/feed.xml")}"]\n'
        'allow_pattern = "/news/"\nmax_articles = 1\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWSETL_SOURCES_FILE", str(sources))
    monkeypatch.setenv("NEWSETL_ALLOW_HOSTS", "127.0.0.1,localhost")
    summary = ingest_news(source="local", db_path=str(tmp_path / "w.duckdb"))
    assert summary["counts"]["loaded"] == 1 and summary["counts"]["rejected"] == 0
    with pytest.raises(ValueError, match="unknown source 'nope'"):
        ingest_news(source="nope", db_path=str(tmp_path / "w.duckdb"))


def test_feed_and_sitemap_recognised_at_plain_urls(site: HTTPServer, tmp_path: Path) -> None:
    urls = "".join(f"<url><loc>{site.url_for(p)}</loc></url>" for p in PAGES)
    sitemap = (
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )
    site.expect_request("/sitemap").respond_with_data(sitemap, content_type="application/octet-stream")
    db = str(tmp_path / "w.duckdb")
    by_sitemap = ingest_news(paths=[site.url_for("/sitemap")], db_path=db, allow_hosts=LOCAL)
    assert by_sitemap["counts"]["loaded"] == 2, by_sitemap
    by_feed = ingest_news(
        paths=[site.url_for("/feed.xml")], db_path=str(tmp_path / "f.duckdb"), allow_hosts=LOCAL
    )
    assert by_feed["counts"]["loaded"] == 2 and by_feed["counts"]["rejected"] == 2, by_feed


def test_robots_is_fetched_once_per_run_across_batches(site: HTTPServer, tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    ingest_news(feeds=[site.url_for("/feed.xml")], db_path=db, allow_hosts=LOCAL, batch_size=1)
    robots = [r for r, _ in site.log if r.path == "/robots.txt"]
    assert len(robots) == 1, f"robots.txt fetched {len(robots)} times"
