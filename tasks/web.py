"""Web inputs: expand feeds and sitemaps into article URLs, fetch articles into RawDocuments.

Network I/O goes through tasks.fetch.Fetcher; parsing is the pure tasks.transforms.feeds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tasks.fetch import Fetcher, FetchError, FetchResult, fetch_many
from tasks.transforms.feeds import parse_feed, parse_sitemap, sniff_document_kind
from tasks.transforms.models import RawDocument, Reject, RejectedInput

# A sitemap index may point at sitemap indexes; deeper nesting than this is a loop or a trap.
MAX_SITEMAP_DEPTH = 3
MAX_CHILD_SITEMAPS = 500

# (url, final_url, etag, last_modified, status, error): a row of the fetch_state table.
FetchState = tuple[str, str | None, str | None, str | None, int | None, str | None]


@dataclass(frozen=True)
class WebSpec:
    """What to crawl: plain page URLs, feeds and sitemaps, with a source's limits."""

    pages: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    charset: str | None = None  # a hint for pages that declare nothing; still verified against the bytes
    max_articles: int | None = None
    allow_pattern: str | None = None  # regex that article URLs must match (re.search)


@dataclass(frozen=True)
class WebTarget:
    """An article URL to fetch, with what its feed or sitemap said about it."""

    url: str
    title: str | None = None
    published_at: str | None = None


@dataclass
class WebBatch:
    """What a discovery or fetch step produced."""

    targets: list[WebTarget] = field(default_factory=list)
    docs: list[RawDocument] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    states: list[FetchState] = field(default_factory=list)
    not_modified: int = 0


def _state(result: FetchResult) -> FetchState:
    return (result.url, result.final_url, result.etag, result.last_modified, result.status, None)


def _document(result: FetchResult, target: WebTarget, charset_hint: str | None) -> RawDocument:
    media = "text" if (result.content_type or "").startswith("text/plain") else "html"
    return RawDocument(
        source_uri=result.url,
        payload=result.content,
        media_type=media,
        size=len(result.content),
        url=result.final_url,
        fallback_title=target.title,
        fallback_published_at=target.published_at,
        declared_charset=result.charset or charset_hint,
    )


def _failure(url: str, reason: str, out: WebBatch, status: int | None = None) -> None:
    out.rejects.append(Reject(url, "fetch", reason, b""))
    out.states.append((url, None, None, None, status, reason))


def _expand(
    fetcher: Fetcher, result: FetchResult, kind: str, spec: WebSpec, out: WebBatch, depth: int
) -> None:
    """Add the article targets of a fetched feed or sitemap (recursing into sitemap indexes)."""
    try:
        if kind == "feed":
            items = parse_feed(result.content, result.final_url, charset=result.charset or spec.charset)
            out.targets.extend(WebTarget(i.link, i.title, i.published_at) for i in items)
            return
        sitemap = parse_sitemap(result.content, result.final_url)
    except RejectedInput as exc:
        out.rejects.append(Reject(result.url, "fetch", exc.reason, result.content))
        return
    out.targets.extend(WebTarget(u.loc, None, None) for u in sitemap.urls)
    if sitemap.sitemaps and depth >= MAX_SITEMAP_DEPTH:
        out.rejects.append(Reject(result.url, "fetch", f"sitemap indexes nested deeper than {depth}", b""))
        return
    _crawl(fetcher, list(sitemap.sitemaps)[:MAX_CHILD_SITEMAPS], "sitemap", spec, out, {}, depth + 1)


def _crawl(
    fetcher: Fetcher,
    urls: list[str],
    kind: str | None,
    spec: WebSpec,
    out: WebBatch,
    states: dict[str, tuple[str | None, str | None]],
    depth: int = 0,
) -> None:
    """Fetch feed/sitemap/page URLs; kind None means recognise it by content."""
    results, failures = fetch_many(fetcher, urls, states)
    for failure in failures:
        _failure(failure.url, failure.reason, out, failure.status)
    for result in results:
        out.states.append(_state(result))
        if result.not_modified:
            out.not_modified += 1  # the feed or page has not changed since the last run
            continue
        found = sniff_document_kind(result.content, result.content_type)
        if kind == "sitemap" and found != "sitemap":
            out.rejects.append(
                Reject(result.url, "fetch", f"not a sitemap (looks like {found})", result.content)
            )
        elif kind == "feed" and found not in ("feed", "other"):
            out.rejects.append(
                Reject(result.url, "fetch", f"not a feed (looks like {found})", result.content)
            )
        elif found in ("feed", "sitemap") or kind == "feed":
            _expand(fetcher, result, "feed" if kind == "feed" else found, spec, out, depth)
        else:
            out.docs.append(_document(result, WebTarget(result.url), spec.charset))


def discover(fetcher: Fetcher, spec: WebSpec, states: dict[str, tuple[str | None, str | None]]) -> WebBatch:
    """Fetch the spec's feeds, sitemaps and pages; returns article targets plus pages already fetched."""
    out = WebBatch()
    _crawl(fetcher, list(spec.feeds), "feed", spec, out, states)
    _crawl(fetcher, list(spec.sitemaps), "sitemap", spec, out, states)
    _crawl(fetcher, list(spec.pages), None, spec, out, states)
    out.targets = select_targets(out.targets, spec, already={d.source_uri for d in out.docs})
    return out


def select_targets(
    targets: Iterable[WebTarget], spec: WebSpec, already: set[str] | None = None
) -> list[WebTarget]:
    """De-duplicate, keep URLs matching the source's pattern, cap at max_articles (feed order)."""
    pattern = re.compile(spec.allow_pattern) if spec.allow_pattern else None
    chosen: dict[str, WebTarget] = {}
    for target in targets:
        if target.url in (already or ()) or target.url in chosen:
            continue
        if not target.url.startswith(("http://", "https://")):
            continue
        if pattern and not pattern.search(target.url):
            continue
        chosen[target.url] = target
        if spec.max_articles is not None and len(chosen) >= spec.max_articles:
            break
    return list(chosen.values())


def fetch_targets(
    fetcher: Fetcher,
    targets: list[WebTarget],
    states: dict[str, tuple[str | None, str | None]],
    charset_hint: str | None = None,
) -> WebBatch:
    """Fetch article URLs (conditionally); 304s are counted, failures become fetch rejects."""
    out = WebBatch()
    by_url = {t.url: t for t in targets}
    results, failures = fetch_many(fetcher, list(by_url), states)
    for failure in failures:
        _failure(failure.url, failure.reason, out, failure.status)
    for result in results:
        out.states.append(_state(result))
        if result.not_modified:
            out.not_modified += 1
        else:
            out.docs.append(_document(result, by_url[result.url], charset_hint))
    return out


__all__ = ["FetchError", "WebBatch", "WebSpec", "WebTarget", "discover", "fetch_targets", "select_targets"]
