"""Turn an Article into the rows of the warehouse tables (pure: no DuckDB here)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from tasks.transforms.models import Article, NormalizedText, Reject

# Bump when a change to decoding, normalization or extraction should re-process unchanged inputs.
PIPELINE_VERSION = "1"


def short_hash(*parts: str) -> str:
    """A stable 16-hex-char id from its parts."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def article_key(url: str | None, source_uri: str) -> str:
    """The article's id: its URL when known (the same page read twice is one article), else its source."""
    return short_hash("article", url or source_uri)


def entity_key(kind: str, name: str) -> str:
    """The entity's id from its natural key (kind, canonical name)."""
    return short_hash(kind, name)


@dataclass(frozen=True)
class ArticleRows:
    """Rows for one article in every table; loaded together or not at all."""

    article: dict[str, Any]
    entities: list[tuple[Any, ...]] = field(default_factory=list)
    mentions: list[tuple[Any, ...]] = field(default_factory=list)
    roles: list[tuple[Any, ...]] = field(default_factory=list)
    metrics: list[tuple[Any, ...]] = field(default_factory=list)
    quotes: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    dates: list[tuple[Any, ...]] = field(default_factory=list)


def _raw(norm: NormalizedText | None, start: int, end: int) -> tuple[int | None, int | None]:
    if norm is None or not norm.offsets or end > len(norm.text):
        return None, None
    return norm.raw_span(start, end)


def to_rows(article: Article) -> ArticleRows:
    """Rows of every table for one article."""
    aid = article_key(article.url, article.source_uri)
    norm = (
        NormalizedText(article.body, article.body_raw, article.offsets, article.script_original)
        if article.offsets
        else None
    )
    facts = article.facts
    byline = facts.byline
    row = {
        "article_id": aid,
        "source_uri": article.source_uri,
        "url": article.url,
        "title": article.title,
        "published_at": article.published_at,
        "agency": byline.agency if byline else None,
        "bureau": byline.bureau if byline else None,
        "reporter": byline.reporter if byline else None,
        "language": article.language,
        "script_original": article.script_original,
        "encoding_detected": article.encoding_detected,
        "encoding_confidence": article.encoding_confidence,
        "body_raw": article.body_raw,
        "body": article.body,
        "content_sha256": article.content_sha256,
        "pipeline_version": PIPELINE_VERSION,
    }
    entities: dict[str, tuple[Any, ...]] = {}
    mentions = []
    for m in facts.mentions:
        eid = entity_key(m.kind, m.name)
        entities.setdefault(eid, (eid, m.kind, m.name, m.level))
        mentions.append((aid, eid, m.surface, m.start, m.end, *_raw(norm, m.start, m.end)))
    return ArticleRows(
        article=row,
        entities=list(entities.values()),
        mentions=mentions,
        roles=[
            (aid, r.person, r.title, r.organization, r.start, r.end, *_raw(norm, r.start, r.end))
            for r in facts.roles
        ],
        metrics=[
            (
                aid,
                x.subject,
                x.measure,
                x.value,
                x.unit,
                x.period,
                x.kind,
                x.start,
                x.end,
                *_raw(norm, x.start, x.end),
            )
            for x in facts.metrics
        ],
        quotes=[(aid, q.speaker, q.text, q.start, q.end, *_raw(norm, q.start, q.end)) for q in facts.quotes],
        events=[
            (
                aid,
                e.name,
                e.event_date if e.event_date and len(e.event_date) == 10 else None,
                e.location,
                list(e.organizers),
                list(e.guided_by),
                e.start,
                e.end,
                *_raw(norm, e.start, e.end),
            )
            for e in facts.events
        ],
        dates=[(aid, d.surface, d.iso, d.start, d.end, *_raw(norm, d.start, d.end)) for d in facts.dates],
    )


def reject_row(reject: Reject) -> tuple[str, str, str, bytes, str]:
    """(source_uri, stage, reason, payload, payload_sha256) for the rejects table."""
    return (
        reject.source_uri,
        reject.stage,
        reject.reason,
        reject.payload,
        hashlib.sha256(reject.payload).hexdigest(),
    )
