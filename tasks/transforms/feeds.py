"""Feeds and sitemaps -> lists of article URLs (pure): RSS/Atom via feedparser, sitemaps via defusedxml."""

from __future__ import annotations

import codecs
import gzip
import html
import io
import re
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from tasks.transforms.decode import decode_bytes
from tasks.transforms.models import RejectedInput

GZIP_MAGIC = b"\x1f\x8b"
# The sitemaps.org limit for one sitemap file, uncompressed.
SITEMAP_MAX_BYTES = 50 * 2**20
_SNIFF_BYTES = 65536  # a root element comes after at most a declaration, comments and a short DOCTYPE
_FEED_ROOTS = {"rss", "feed", "rdf", "channel"}  # <channel> alone: some RSS 0.9x feeds drop <rss>
_SITEMAP_ROOTS = {"urlset", "sitemapindex"}
_HTML_ROOTS = {"html", "head", "body", "meta", "title", "div", "p", "table", "script", "link", "style"}
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json"}
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
# Markup before the root element: declaration, processing instructions, comments, DOCTYPE (with internal subset).
_PROLOG_ITEM = re.compile(
    r"\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.IGNORECASE | re.DOTALL
)
_START_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)")
_ENTITY_DECL = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed: where the article is and what the feed says about it."""

    link: str
    title: str | None
    published_at: str | None  # ISO-8601 UTC, "YYYY-MM-DDTHH:MM:SSZ"


@dataclass(frozen=True)
class SitemapUrl:
    loc: str
    lastmod: str | None  # ISO-8601 (UTC "...Z" when the sitemap gave a time, else the date as written)


@dataclass(frozen=True)
class Sitemap:
    """A urlset (urls) or a sitemap index (sitemaps: the child sitemaps to fetch next)."""

    urls: tuple[SitemapUrl, ...]
    sitemaps: tuple[str, ...]


def _as_ascii_text(payload: bytes) -> str:
    """The payload as text good enough to find markup: UTF-16/32 decoded, any ASCII-compatible codec as Latin-1."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if payload.startswith(bom):
            return payload.decode(codec, errors="ignore")
    head = payload[:4]
    if b"\x00" in head:  # BOM-less UTF-16/32: the NULs of "<?" tell the byte order
        if head[:3] == b"\x00\x00\x00":
            codec = "utf-32-be"
        elif head[1:4] == b"\x00\x00\x00":
            codec = "utf-32-le"
        else:
            codec = "utf-16-be" if head[0] == 0 else "utf-16-le"
        return payload.decode(codec, errors="ignore")
    return payload.removeprefix(codecs.BOM_UTF8).decode("latin-1")


def _split_prolog(text: str) -> tuple[str, str | None]:
    """(prolog, local name of the root element lower-cased, or None when no element starts the document)."""
    pos = 0
    while match := _PROLOG_ITEM.match(text, pos):
        if match.end() == pos:
            break
        pos = match.end()
    tag = _START_TAG.match(text, pos)
    if not tag:
        return text[:pos], None
    return text[:pos], tag.group(1).rsplit(":", 1)[-1].lower()


def _gunzip(payload: bytes, max_bytes: int, source_uri: str) -> bytes:
    """Decompress gzip in slices, refusing as soon as the output passes max_bytes (a gzip bomb stops early)."""
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(payload)) as stream:
            while chunk := stream.read(65536):
                out += chunk
                if len(out) > max_bytes:
                    raise RejectedInput(
                        "fetch", f"gzip expands beyond {max_bytes} bytes (possible gzip bomb)", source_uri
                    )
    except (OSError, EOFError, zlib.error) as exc:
        raise RejectedInput("fetch", f"corrupt gzip data: {exc}", source_uri) from None
    return bytes(out)


def _gunzip_head(payload: bytes, size: int) -> bytes:
    """The first `size` decompressed bytes of a gzip payload (b"" when it is corrupt)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(payload)) as stream:
            return stream.read(size)
    except (OSError, EOFError, zlib.error):
        return b""


def sniff_document_kind(payload: bytes, content_type: str | None) -> str:
    """'feed' | 'sitemap' | 'html' | 'other' from the root element, with the Content-Type as a hint."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    head = payload[:_SNIFF_BYTES]
    if head.startswith(GZIP_MAGIC):
        head = _gunzip_head(payload, _SNIFF_BYTES)
        _, root = _split_prolog(_as_ascii_text(head))
        return "sitemap" if root in _SITEMAP_ROOTS else "other"
    _, root = _split_prolog(_as_ascii_text(head))
    if root in _FEED_ROOTS:
        return "feed"
    if root in _SITEMAP_ROOTS:
        return "sitemap"
    if root in _HTML_ROOTS or media in ("text/html", "application/xhtml+xml"):
        return "html"
    if media in _FEED_TYPES:
        return "feed"  # parse_feed then says why it is not one
    return "other"


def _reject_entities(payload: bytes, source_uri: str) -> None:
    """Refuse a DOCTYPE that declares entities: billion laughs and external (file://, http://) entities."""
    text = _as_ascii_text(payload)
    # Like feedparser: everything before the first start tag, so that an unclosed DOCTYPE is searched too.
    first_tag = re.search(r"<[A-Za-z_]", text)
    if _ENTITY_DECL.search(text, 0, first_tag.start() if first_tag else len(text)):
        raise RejectedInput(
            "fetch", "feed declares XML entities (possible entity-expansion bomb)", source_uri
        )


def _iso_utc(parsed: Any) -> str | None:
    """A feedparser time.struct_time (already UTC) as ISO-8601 with Z."""
    try:
        return datetime(*parsed[:6]).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (TypeError, ValueError):
        return None


def _parse_date(raw: str | None) -> str | None:
    """Dates feedparser gave up on, e.g. `Tue, 27 Dec 2005 13:08:54+0900` (no space before the offset)."""
    if not raw:
        return None
    try:
        moment = parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError):
        try:
            moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        return None  # a time without a zone cannot be placed in UTC honestly
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entry_title(entry: Any) -> str | None:
    title = entry.get("title")
    if not title:
        return None
    if "html" in (entry.get("title_detail") or {}).get("type", ""):
        title = html.unescape(_TAGS.sub("", title))
    return " ".join(title.split()) or None


def _entry_link(entry: Any, base_url: str) -> str | None:
    link = entry.get("link")
    if not link and entry.get("guidislink"):
        link = entry.get("id")
    if not link or not link.strip():
        return None
    return urljoin(base_url, link.strip())


def parse_feed(payload: bytes, base_url: str, charset: str | None = None) -> list[FeedItem]:
    """Items of an RSS 0.9x/1.0/2.0 or Atom feed, links absolute; refuses entity declarations and non-feeds."""
    if not payload.strip():
        raise RejectedInput("fetch", "empty feed", base_url)
    _reject_entities(payload, base_url)
    # Our decoder, not feedparser's, picks the codec: it checks a declared charset against the bytes and uses the
    # GB18030/Big5-HKSCS supersets; feedparser read a GB2312 feed with no declaration as windows-1252.
    text = decode_bytes(payload, declared_charset=charset, source_uri=base_url).text
    utf8 = _XML_DECL.sub("", text, count=1).lstrip().encode("utf-8")
    # A BytesIO, never bytes or str: feedparser opens a str that looks like a URL, and bytes that name a local
    # file, which a hostile server could exploit.
    parsed = feedparser.parse(
        io.BytesIO(utf8),
        response_headers={"content-type": "application/xml; charset=utf-8", "content-location": base_url},
    )
    if not parsed.get("version"):
        _, root = _split_prolog(text)
        raise RejectedInput(
            "fetch", f"not an RSS or Atom feed (root element <{root}>)" if root else "not XML", base_url
        )
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = _entry_link(entry, base_url)
        if link is None or link in seen:
            continue  # an entry without a link names no article to fetch
        seen.add(link)
        # dict.get, not entry.get: FeedParserDict maps a missing "updated" to "published" with a warning.
        published = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
        published_at = _iso_utc(published) if published else None
        if published_at is None:
            published_at = _parse_date(dict.get(entry, "published") or dict.get(entry, "updated"))
        items.append(FeedItem(link, _entry_title(entry), published_at))
    return items


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _lastmod(raw: str | None) -> str | None:
    """W3C Datetime as given by the sitemap, times converted to UTC."""
    if not raw or not raw.strip():
        return None
    value = raw.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if len(value) <= 10 or moment.tzinfo is None:
        return value if len(value) <= 10 else moment.isoformat()
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_sitemap(payload: bytes, base_url: str, max_bytes: int = SITEMAP_MAX_BYTES) -> Sitemap:
    """URLs of a urlset or child sitemaps of a sitemap index; gzip (bomb-capped) or plain XML, no DTDs."""
    if payload.startswith(GZIP_MAGIC):
        payload = _gunzip(payload, max_bytes, base_url)
    elif len(payload) > max_bytes:
        raise RejectedInput("fetch", f"sitemap larger than {max_bytes} bytes", base_url)
    urls: list[SitemapUrl] = []
    sitemaps: list[str] = []
    root: str | None = None
    try:
        for event, elem in iterparse(io.BytesIO(payload), events=("start", "end"), forbid_dtd=True):
            name = _local(elem.tag)
            if event == "start":
                if root is None:
                    root = name
                    if root not in _SITEMAP_ROOTS:
                        raise RejectedInput("fetch", f"not a sitemap (root element <{root}>)", base_url)
                continue
            if name not in ("url", "sitemap"):
                continue
            fields = {_local(child.tag): (child.text or "").strip() for child in elem}
            if fields.get("loc"):
                loc = urljoin(base_url, fields["loc"])
                if name == "url" and root == "urlset":
                    urls.append(SitemapUrl(loc, _lastmod(fields.get("lastmod"))))
                elif name == "sitemap" and root == "sitemapindex":
                    sitemaps.append(loc)
            elem.clear()  # keep memory flat on a 50,000-URL sitemap
    except DefusedXmlException as exc:
        raise RejectedInput(
            "fetch", f"sitemap refused: {type(exc).__name__} (DTDs are not allowed)", base_url
        ) from None
    except SyntaxError as exc:  # ElementTree.ParseError
        raise RejectedInput("fetch", f"not a sitemap: invalid XML ({exc})", base_url) from None
    if root is None:
        raise RejectedInput("fetch", "not a sitemap: empty document", base_url)
    return Sitemap(tuple(urls), tuple(sitemaps))
