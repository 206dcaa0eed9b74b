from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from tasks.transforms.feeds import (
    FeedItem,
    Sitemap,
    SitemapUrl,
    parse_feed,
    parse_sitemap,
    sniff_document_kind,
)
from tasks.transforms.models import DecodeError, RejectedInput

FEEDS = Path(__file__).parents[1] / "fixtures" / "feeds"
RSS_DATA = Path(__file__).parents[3] / "shared" / "data" / "rss_feeds"
needs_shared = pytest.mark.skipif(
    not (RSS_DATA / "manifest.csv").exists(), reason="../shared/data absent (a user's clone)"
)

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://x.test/1</link></item></channel></rss>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&xxe;</title><link>http://x.test/1</link></item></channel></rss>"""
NETSCAPE_DOCTYPE = b"""<?xml version="1.0"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>t</title><link>http://x.test/</link><description>d</description>
<item><title>RSS 0.91</title><link>http://x.test/091</link></item></channel></rss>"""


def _urlset(*locs: str, lastmod: str | None = None) -> bytes:
    mod = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    body = "".join(f"<url><loc>{loc}</loc>{mod}</url>" for loc in locs)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'
    ).encode()


@pytest.mark.parametrize(
    ("name", "base_url", "expected"),
    [
        pytest.param(
            "rss20.xml",
            "https://news.example.cn/feed/",
            [
                FeedItem(
                    "https://news.example.cn/2025/04/20/ip-week.html",
                    "柳州举办知识产权宣传周活动",
                    "2025-04-20T02:30:00Z",
                ),
                FeedItem(
                    "https://news.example.cn/2025/04/21/relative.html",
                    "相对链接 & 实体",
                    "2025-04-21T08:00:00Z",
                ),
                FeedItem("https://news.example.cn/2025/04/22/guid.html", "只有 guid 永久链接", None),
            ],
            id="rss2.0",
        ),
        pytest.param(
            "rss10.rdf",
            "https://news.example.tw/rss.rdf",
            [
                FeedItem("https://news.example.tw/a/1001", "臺北市舉辦國際書展", "2025-02-01T01:15:00Z"),
                FeedItem("https://news.example.tw/a/1002", "高雄港貨櫃量創新高", None),
            ],
            id="rss1.0-rdf",
        ),
        pytest.param(
            "atom.xml",
            "https://news.example.hk/feed.xml",
            [
                FeedItem(
                    "https://news.example.hk/zh/articles/2025/03/budget.html",
                    "香港立法會通過預算案",
                    "2025-03-01T10:00:00Z",
                ),
                FeedItem(
                    "https://news.example.hk/zh/articles/2025/03/updated.html",
                    "只有更新時間",
                    "2025-03-02T00:00:00Z",
                ),
            ],
            id="atom1.0",
        ),
    ],
)
def test_parse_feed_formats(name: str, base_url: str, expected: list[FeedItem]) -> None:
    assert parse_feed((FEEDS / name).read_bytes(), base_url) == expected


def test_netscape_doctype_without_entities_is_accepted() -> None:
    assert parse_feed(NETSCAPE_DOCTYPE, "http://x.test/rss") == [
        FeedItem("http://x.test/091", "RSS 0.91", None)
    ]


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(BILLION_LAUGHS, id="billion-laughs"),
        pytest.param(EXTERNAL_ENTITY, id="external-entity"),
        pytest.param(BILLION_LAUGHS.decode().encode("utf-16"), id="billion-laughs-utf16"),
        pytest.param(BILLION_LAUGHS.replace(b"]>", b""), id="unclosed-doctype"),
    ],
)
def test_entity_declarations_are_refused_before_parsing(payload: bytes) -> None:
    with pytest.raises(RejectedInput) as err:
        parse_feed(payload, "http://x.test/rss")
    assert err.value.stage == "fetch"
    assert err.value.reason == "feed declares XML entities (possible entity-expansion bomb)"
    assert err.value.source_uri == "http://x.test/rss"


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        pytest.param(
            b"<!DOCTYPE html><html><body><p>hi</p></body></html>",
            "not an RSS or Atom feed (root element <html>)",
            id="html",
        ),
        pytest.param(b"just some words", "not XML", id="text"),
        pytest.param(b"   ", "empty feed", id="empty"),
    ],
)
def test_non_feeds_are_refused_with_a_reason(payload: bytes, reason: str) -> None:
    with pytest.raises(RejectedInput) as err:
        parse_feed(payload, "http://x.test/page")
    assert err.value.reason == reason


def test_binary_payload_is_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        parse_feed(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10, "http://x.test/img")


def test_payload_naming_a_local_file_is_not_opened(tmp_path: Path) -> None:
    # feedparser opens bytes that name a file; a server answering with a path must not make us read it.
    secret = tmp_path / "feed.xml"
    secret.write_bytes((FEEDS / "rss20.xml").read_bytes())
    with pytest.raises(RejectedInput, match="not XML"):
        parse_feed(str(secret).encode(), "http://x.test/rss")


def test_charset_from_http_header_is_used_when_the_bytes_confirm_it() -> None:
    payload = (
        '<rss version="2.0"><channel><item><title>新闻标题</title><link>/a</link></item></channel></rss>'
    )
    items = parse_feed(payload.encode("gb18030"), "http://x.test/rss", charset="gb2312")
    assert items == [FeedItem("http://x.test/a", "新闻标题", None)]


def _real_feeds() -> list[dict[str, str]]:
    if not (RSS_DATA / "manifest.csv").exists():
        return []
    with (RSS_DATA / "manifest.csv").open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["file"].startswith("chardet_real_feeds/")]


FIRST_TITLES = {  # read off the files decoded with their true codec
    "coolloud.org.tw.xml": "1226檔下點交之後 不見棺材不走人 進輪自救會長期抗戰",
    "ebao.us.xml": "新年快樂",
    "sinica.edu.tw.xml": "新年快樂",
    "acnnewswire.net.xml": "JCB 与中国银联（China UnionPay）完成ATM网关协议的签订；CUP持卡者得以第一次在日本享受使用ATM网络的权利",
    "14.blog.westca.com.xml": "想要飞 却怎么样也飞不高",
    "eighthday.blogspot.com.xml": "又颠了",
    "digitalwall.com.xml": "再談軟體與媒體的典範轉移",
    "oui-design.com.xml": "網站更新公告",
    "w3cn.org.xml": "如何以及何时使用sIFR",
}


@needs_shared
@pytest.mark.parametrize("row", _real_feeds(), ids=lambda row: Path(row["file"]).name)
def test_real_legacy_feeds_decode_titles(row: dict[str, str]) -> None:
    path = RSS_DATA / row["file"]
    items = parse_feed(path.read_bytes(), row["feed_url"])
    assert len(items) == int(row["items"])
    assert all(item.link.startswith("http") for item in items)
    titles = [item.title or "" for item in items]
    # Mojibake of Big5/GB bytes read as Latin-1 shows as accented Latin letters; a wrong CJK codec as U+FFFD.
    assert not any("\ufffd" in t or any("\u00c0" <= ch <= "\u00ff" for ch in t) for t in titles)
    if (name := path.name) in FIRST_TITLES:
        assert titles[0] == FIRST_TITLES[name]


@needs_shared
def test_legacy_gb2312_feed_without_declaration_is_decoded() -> None:
    # feedparser alone reads it as windows-1252 (mojibake); our decoder detects GB18030.
    payload = (RSS_DATA / "feedparser_encoding_edge_cases" / "illformed__chardet__gb2312.xml").read_bytes()
    payload = payload.replace(b"<item>", b"<item><link>/1</link>")
    assert parse_feed(payload, "http://x.test/rss")[0].title == "不归移民漫画系列：专业工作"


# -- sitemaps -----------------------------------------------------------------------------------------------


def test_parse_urlset_with_lastmod_in_utc() -> None:
    sitemap = parse_sitemap(
        _urlset("https://x.test/a", "/b", lastmod="2025-04-20T10:30:00+08:00"), "https://x.test/sitemap.xml"
    )
    assert sitemap == Sitemap(
        urls=(
            SitemapUrl("https://x.test/a", "2025-04-20T02:30:00Z"),
            SitemapUrl("https://x.test/b", "2025-04-20T02:30:00Z"),
        ),
        sitemaps=(),
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2025-04-20", "2025-04-20"), ("2025-04-20T10:30Z", "2025-04-20T10:30:00Z"), ("yesterday", None)],
)
def test_lastmod_forms(raw: str, expected: str | None) -> None:
    assert (
        parse_sitemap(_urlset("https://x.test/a", lastmod=raw), "https://x.test/").urls[0].lastmod == expected
    )


def test_parse_sitemap_index() -> None:
    payload = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://x.test/news-1.xml.gz</loc><lastmod>2025-04-20</lastmod></sitemap>
  <sitemap><loc>https://x.test/news-2.xml</loc></sitemap>
</sitemapindex>"""
    assert parse_sitemap(payload, "https://x.test/sitemap.xml") == Sitemap(
        urls=(), sitemaps=("https://x.test/news-1.xml.gz", "https://x.test/news-2.xml")
    )


def test_gzipped_sitemap() -> None:
    payload = gzip.compress(_urlset("https://x.test/a"))
    assert parse_sitemap(payload, "https://x.test/s.xml.gz").urls == (SitemapUrl("https://x.test/a", None),)


def test_gzip_bomb_sitemap_is_refused() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * (8 * 2**20))
    assert len(bomb) < 20_000
    with pytest.raises(RejectedInput, match="gzip expands beyond 1048576 bytes"):
        parse_sitemap(bomb, "https://x.test/s.xml.gz", max_bytes=2**20)


@pytest.mark.parametrize(
    ("payload", "match"),
    [
        pytest.param(
            b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "b">]><urlset/>',
            "DTDs are not allowed",
            id="dtd",
        ),
        pytest.param(b"<rss><channel/></rss>", r"not a sitemap \(root element <rss>\)", id="feed"),
        pytest.param(b"<urlset><url><loc>x</loc>", "invalid XML", id="truncated"),
        pytest.param(b"\x1f\x8b\x08\x00garbage", "corrupt gzip", id="bad-gzip"),
    ],
)
def test_bad_sitemaps_are_refused(payload: bytes, match: str) -> None:
    with pytest.raises(RejectedInput, match=match):
        parse_sitemap(payload, "https://x.test/sitemap.xml")


# -- sniffing -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "content_type", "kind"),
    [
        pytest.param((FEEDS / "rss20.xml").read_bytes(), "text/html", "feed", id="rss-served-as-html"),
        pytest.param((FEEDS / "rss10.rdf").read_bytes(), None, "feed", id="rdf"),
        pytest.param((FEEDS / "atom.xml").read_bytes(), "application/xml", "feed", id="atom"),
        pytest.param(
            b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- c -->\n<rss/>", None, "feed", id="bom-comment"
        ),
        pytest.param("<?xml version='1.0'?><rss/>".encode("utf-16"), None, "feed", id="utf16"),
        pytest.param(_urlset("https://x.test/a"), "text/xml", "sitemap", id="urlset"),
        pytest.param(
            b"<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'/>",
            None,
            "sitemap",
            id="index",
        ),
        pytest.param(
            gzip.compress(_urlset("https://x.test/a")), "application/gzip", "sitemap", id="gzip-sitemap"
        ),
        pytest.param(gzip.compress(b"hello"), "application/gzip", "other", id="gzip-other"),
        pytest.param(b"<!DOCTYPE html>\n<html lang='zh'><p>x</p></html>", None, "html", id="html"),
        pytest.param(b"<div>fragment</div>", "text/html; charset=gbk", "html", id="fragment-by-type"),
        pytest.param(b"plain words", "text/html", "html", id="type-says-html"),
        pytest.param(b"{}", "application/rss+xml", "feed", id="type-says-feed"),
        pytest.param(b'{"a": 1}', "application/json", "other", id="json"),
        pytest.param(b"\x89PNG\r\n", "image/png", "other", id="png"),
    ],
)
def test_sniff_document_kind(payload: bytes, content_type: str | None, kind: str) -> None:
    assert sniff_document_kind(payload, content_type) == kind
