"""Turn an Article into the rows of the warehouse tables (pure: no DuckDB here)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tasks.transforms.datetimes import naive_utc
from tasks.transforms.index_entry import index_entry
from tasks.transforms.models import Article, Facts, IndexEntry, Mention, NormalizedText, Reject
from tasks.transforms.version import code_fingerprint

# Bump when a change outside tasks/transforms (the load, a migration) should re-process unchanged inputs; a change
# to the extraction code or its model files is picked up by pipeline_version() without a bump.
# 2: published_at keeps stated UTC offsets; named rows with the 0003 columns; 3: search postings and story
# signatures (0004, 0005); 4: place codes, enclosing places and entity aliases (0006)
PIPELINE_VERSION = "4"


def pipeline_version(options: Sequence[str] = ()) -> str:
    """The version stored with every article: the hand constant, the code's fingerprint and the run's options.

    options are what else decides the output (a custom model file's hash, the time zone of naive dates, the text
    cap), so changing a setting re-processes stored inputs too.
    """
    base = f"{PIPELINE_VERSION}+{code_fingerprint()}"
    return f"{base}+{short_hash(*options)[:8]}" if options else base


def short_hash(*parts: str) -> str:
    """A stable 16-hex-char id from its parts."""
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def article_key(url: str | None, source_uri: str) -> str:
    """The article's id: its URL when known (the same page read twice is one article), else its source."""
    return short_hash("article", url or source_uri)


def entity_key(kind: str, name: str) -> str:
    """The entity's id from its natural key (kind, canonical name)."""
    return short_hash(kind, name)


Row = dict[str, Any]


@dataclass(frozen=True)
class ArticleRows:
    """Named rows (column -> value) for one article in every table; loaded together or not at all."""

    article: Row
    entities: list[Row] = field(default_factory=list)
    mentions: list[Row] = field(default_factory=list)
    roles: list[Row] = field(default_factory=list)
    metrics: list[Row] = field(default_factory=list)
    quotes: list[Row] = field(default_factory=list)
    events: list[Row] = field(default_factory=list)
    dates: list[Row] = field(default_factory=list)
    entity_aliases: list[Row] = field(default_factory=list)
    story_signatures: list[Row] = field(default_factory=list)
    story_bands: list[Row] = field(default_factory=list)
    # The article's search postings as IndexEntry holds them (int64 term ids, int32 counts).
    search_terms: tuple[bytes, bytes] = (b"", b"")


def _span(norm: NormalizedText | None, start: int, end: int) -> Row:
    """start_pos/end_pos in the normalized body and raw_start_pos/raw_end_pos in the raw body."""
    raw_start, raw_end = (None, None)
    if norm is not None and norm.offsets and end <= len(norm.text):
        raw_start, raw_end = norm.raw_span(start, end)
    return {"start_pos": start, "end_pos": end, "raw_start_pos": raw_start, "raw_end_pos": raw_end}


def _entity_id(kind: str, name: str | None) -> str | None:
    return entity_key(kind, name) if name else None


def _article_row(article: Article, aid: str, version: str | None) -> Row:
    byline = article.facts.byline
    return {
        "article_id": aid,
        "source_uri": article.source_uri,
        "url": article.url,
        "title": article.title,
        "published_at": naive_utc(article.published_at),
        "published_date": article.published_date,
        "agency": byline.agency if byline else None,
        "bureau": byline.bureau if byline else None,
        "reporter": byline.reporter if byline else None,
        "photographer": byline.photographer if byline else None,
        "editor": byline.editor if byline else None,
        "language": article.language,
        "script_original": article.script_original,
        "encoding_detected": article.encoding_detected,
        "encoding_confidence": article.encoding_confidence,
        "decode_errors": article.decode_errors,
        "quality": article.quality,
        "quality_reason": article.quality_reason,
        "body_raw": article.body_raw,
        "body": article.body,
        "content_sha256": article.content_sha256,
        "pipeline_version": version or pipeline_version(),
    }


def to_rows(article: Article, version: str | None = None) -> ArticleRows:
    """Named rows of every table for one article (the article row lacks run_id/ingested_at: the load adds them).

    version is the run's pipeline_version(options); the default is the code's alone.
    """
    aid = article_key(article.url, article.source_uri)
    norm = (
        NormalizedText(article.body, article.body_raw, article.offsets, article.script_original)
        if article.offsets
        else None
    )
    facts = article.facts
    entities = entity_rows(facts)
    mentions = [
        {"article_id": aid, "entity_id": entity_key(m.kind, m.name), "surface": m.surface,
         **_span(norm, m.start, m.end)}
        for m in stored_mentions(facts)
    ]  # fmt: skip
    aliases: dict[tuple[str, str], Row] = {}
    for a in facts.aliases:  # one row per (alias, entity) of the article, at its first position
        eid = entity_key(a.kind, a.name)
        aliases.setdefault(
            (a.alias, eid),
            {
                "article_id": aid,
                "alias": a.alias,
                "entity_id": eid,
                "kind": a.rule,
                **_span(norm, a.start, a.end),
            },
        )
    roles = [
        {"article_id": aid, "person": r.person, "person_entity_id": _entity_id("person", r.person),
         "title": r.title, "organization": r.organization,
         "organization_entity_id": _entity_id("organization", r.organization), **_span(norm, r.start, r.end)}
        for r in facts.roles
    ]  # fmt: skip
    metrics = [
        {"article_id": aid, "subject": x.subject, "measure": x.measure, "value": x.value, "unit": x.unit,
         "unit_written": x.unit_written, "approx": x.approx, "period": x.period, "period_start": x.period_start,
         "period_end": x.period_end, "kind": x.kind, **_span(norm, x.start, x.end)}
        for x in facts.metrics
    ]  # fmt: skip
    quotes = [
        {"article_id": aid, "speaker": q.speaker, "speaker_entity_id": _entity_id("person", q.speaker),
         "text": q.text, **_span(norm, q.start, q.end)}
        for q in facts.quotes
    ]  # fmt: skip
    events = [
        {"article_id": aid, "name": e.name,
         # A partial date (2025-04) is not a DATE; the dates table keeps it.
         "event_date": e.event_date if e.event_date and len(e.event_date) == 10 else None,
         "location": e.location, "organizers": list(e.organizers), "guided_by": list(e.guided_by),
         **_span(norm, e.start, e.end)}
        for e in facts.events
    ]  # fmt: skip
    dates = [
        {"article_id": aid, "surface": d.surface, "iso": d.iso, **_span(norm, d.start, d.end)}
        for d in facts.dates
    ]
    return ArticleRows(
        article=_article_row(article, aid, version),
        entities=entities,
        mentions=mentions,
        roles=roles,
        metrics=metrics,
        quotes=quotes,
        events=events,
        dates=dates,
        entity_aliases=list(aliases.values()),
        **index_rows(aid, article.index or index_entry(article.title, article.body)),
    )


def _entity_row(kind: str, name: str, level: str | None = None) -> Row:
    return {"entity_id": entity_key(kind, name), "kind": kind, "name": name, "level": level, "adcode": None,
            "parent_entity_id": None, "country_code": None}  # fmt: skip


def stored_mentions(facts: Facts) -> list[Mention]:
    """The mentions the warehouse stores: all but a bare surname the article never resolved to a full name (小朱团长).

    The document keeps it (NER gold marks 朱 a person, and `parse` shows it), but an entity named 朱 would join every
    unnamed 朱 of every article into one person.
    """
    return [m for m in facts.mentions if not (m.kind == "person" and len(m.name) == 1)]


def entity_rows(facts: Facts) -> list[Row]:
    """The entities the article's rows point at: mentioned ones, their enclosing places, and the people and bodies
    of roles and quotes (so every *_entity_id joins)."""
    out: dict[str, Row] = {}
    for m in stored_mentions(facts):
        row = _entity_row(m.kind, m.name, m.level)
        out.setdefault(row["entity_id"], row)
    for p in facts.places:
        row = {**_entity_row("location", p.name, p.level), "adcode": p.adcode, "country_code": p.country_code,
               "parent_entity_id": entity_key("location", p.parent) if p.parent else None}  # fmt: skip
        out[row["entity_id"]] = row
    named = [("person", r.person) for r in facts.roles] + [
        ("organization", r.organization) for r in facts.roles
    ]
    for kind, name in [*named, *(("person", q.speaker) for q in facts.quotes)]:
        if name:
            row = _entity_row(kind, name)
            out.setdefault(row["entity_id"], row)
    return list(out.values())


def index_rows(aid: str, entry: IndexEntry) -> dict[str, Any]:
    """The article's story signature and LSH bands as rows, and its search postings."""
    return {
        "story_signatures": [{"article_id": aid, "signature": list(entry.signature)}],
        "story_bands": [{"band_key": k, "article_id": aid} for k in dict.fromkeys(entry.band_keys)],
        "search_terms": (entry.term_ids, entry.term_counts),
    }


# Stages whose verdict follows from the bytes and the pipeline version alone: a re-run would reject the input again.
# Read, load and internal rejects may pass on a retry, so they carry no version and are always tried again.
TRANSFORM_STAGES = frozenset({"decode", "html", "normalize", "extract"})


def reject_row(reject: Reject, version: str | None = None) -> Row:
    """The rejects table's named row for a rejected input (the load adds run_id and rejected_at)."""
    return {
        "source_uri": reject.source_uri,
        "stage": reject.stage,
        "reason": reject.reason,
        "payload": reject.payload,
        "payload_sha256": hashlib.sha256(reject.payload).hexdigest(),
        "pipeline_version": version if reject.stage in TRANSFORM_STAGES else None,
    }
