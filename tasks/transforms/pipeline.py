"""Decode -> HTML -> normalize -> extract for one document (pure; the Prefect task maps it over a batch)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path

from tasks.transforms.chars import HAN
from tasks.transforms.datetimes import DEFAULT_TIMEZONE, Published, parse_published, zone_named
from tasks.transforms.decode import decode_bytes
from tasks.transforms.facts import extract_facts
from tasks.transforms.facts.tagger import Tagger, load_tagger
from tasks.transforms.html import extract_page
from tasks.transforms.index_entry import with_index_entry
from tasks.transforms.models import DEFAULT_MAX_TEXT_BYTES as DEFAULT_MAX_TEXT_BYTES
from tasks.transforms.models import (
    Article,
    DecodedText,
    Facts,
    Mention,
    NormalizedText,
    RawDocument,
    Reject,
    RejectedInput,
)
from tasks.transforms.normalize import normalize_text
from tasks.transforms.quality import Quality, assess_quality

# A page whose main text is shorter is a navigation stub or an empty page, not an article (the shortest real brief
# seen is ~40 chars). A text or JSONL record is the user's own text: a one-line sentence is kept (MSRA test has 463
# under 20 chars), and only a body without a letter or digit is refused.
MIN_BODY_CHARS = 20
# Characters tagged in one Tagger.tag_many call. The tagger peaks at ~1.2 KB a char while it decodes (tracemalloc,
# on 400 MSRA sentences and on one long text alike), so a batch of long pages is tagged in groups (~60 MB each);
# 50K chars still hold a whole `parse` batch of 400 short sentences (~21K chars), so the per-call cost is paid once
# per batch (MSRA sentences: 159 K chars/s tagged in groups of 400, 144 K in groups of 50).
MAX_TAG_CHARS = 50_000
# Runs, not single chars: the counts are the same, with one match object per run instead of one per char.
_HAN_RUN = re.compile(f"[{HAN}]+")
_LATIN_RUN = re.compile(r"[A-Za-z]+")
_TITLE_END = re.compile(r"[。！？.!?，,；;：:]$")


def detect_language(text: str) -> str:
    """'zh' when Han characters dominate the letters, else 'other'."""
    han = sum(map(len, _HAN_RUN.findall(text)))
    latin_words = sum(map(len, _LATIN_RUN.findall(text))) / 5
    return "zh" if han and han >= latin_words else "other"


def _title_from_text(text: str) -> tuple[str | None, str]:
    """A plain-text file may start with a title line: short, no sentence punctuation at its end."""
    first, sep, rest = text.strip().partition("\n")
    first = first.strip()
    if sep and rest.strip() and 4 <= len(first) <= 40 and not _TITLE_END.search(first):
        return first, rest
    return None, text


def _check_length(text: str, stage: str, max_text_bytes: int, source_uri: str) -> None:
    """Refuse a text longer than any article before the stages that hold several copies of it."""
    if len(text) <= max_text_bytes // 4:
        return  # a char is at most 4 bytes: short texts are never encoded to be measured
    # A lone surrogate (from a broken page) counts its 3 bytes.
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_text_bytes:
        reason = f"too long for an article: {size} bytes of text > max_text_bytes {max_text_bytes}"
        raise RejectedInput(stage, reason, source_uri)


@dataclass(frozen=True)
class _Prepared:
    """One document after decode, HTML, normalize and the quality guard: everything but its facts."""

    doc: RawDocument
    decoded: DecodedText
    norm: NormalizedText
    quality: Quality
    title: str | None
    url: str | None
    published: Published | None


def _prepare(doc: RawDocument, zone: tzinfo, max_text_bytes: int) -> _Prepared:
    """Decode, extract the page, normalize and judge the body of one document; raises RejectedInput."""
    decoded = decode_bytes(doc.payload, declared_charset=doc.declared_charset, source_uri=doc.source_uri)
    title, published_at, url = doc.title, doc.published_at, doc.url
    if doc.media_type == "html":
        page = extract_page(decoded.text, url=doc.url)
        body_raw = page.text
        title = title or page.title
        published_at = published_at or page.published_at
        url = url or page.url
        _check_length(body_raw, "html", max_text_bytes, doc.source_uri)
        if len(body_raw.strip()) < MIN_BODY_CHARS:
            raise RejectedInput("html", f"no main text found ({len(body_raw.strip())} chars)", doc.source_uri)
    else:
        body_raw = decoded.text
        _check_length(body_raw, "normalize", max_text_bytes, doc.source_uri)
        if title is None:
            title, body_raw = _title_from_text(body_raw)
    if not any(map(str.isalnum, body_raw)):
        raise RejectedInput("normalize", "no text: the body holds no letter or digit", doc.source_uri)
    published = parse_published(published_at, zone) or parse_published(doc.fallback_published_at, zone)
    norm = normalize_text(body_raw)
    return _Prepared(
        doc, decoded, norm, assess_quality(norm.text), title or doc.fallback_title, url, published
    )


def _finish(p: _Prepared, tagger: Tagger | None, tagged: tuple[Mention, ...] | None) -> Article:
    """The article of a prepared document, its facts built on the tagger's spans `tagged` (None: tag it here)."""
    published, norm = p.published, p.norm
    # Facts resolve relative dates (昨天, 4月20日) against the day as the source's readers saw it.
    local_date = published.local_date.isoformat() if published else None
    # A keyword list read as prose floods the fact tables: it is stored, marked, and gets no facts.
    facts = (
        extract_facts(norm.text, published_at=local_date, tagger=tagger, tagged=tagged)
        if p.quality.label == "ok"
        else Facts()
    )
    return Article(
        source_uri=p.doc.source_uri,
        url=p.url,
        title=normalize_text(p.title).text if p.title else None,
        published_at=published.at if published else None,
        published_date=published.local_date if published else None,
        language=detect_language(norm.text),
        script_original=norm.script_original,
        encoding_detected=p.decoded.encoding
        + (f" (repaired: {p.decoded.repair})" if p.decoded.repair else ""),
        encoding_confidence=p.decoded.confidence,
        body_raw=norm.raw,
        body=norm.text,
        content_sha256=hashlib.sha256(p.doc.payload).hexdigest(),
        facts=facts,
        offsets=norm.offsets,
        quality=p.quality.label,
        quality_reason=p.quality.reason,
        decode_errors=p.decoded.errors,
    )


def process_document(
    doc: RawDocument,
    zone: tzinfo | None = None,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
    tagger: Tagger | None = None,
) -> Article:
    """Run every stage on one document (naive times read in `zone`, default Asia/Shanghai); raises RejectedInput."""
    return _finish(_prepare(doc, zone or zone_named(DEFAULT_TIMEZONE), max_text_bytes), tagger, None)


def _reject(doc: RawDocument, exc: Exception) -> Reject:
    """The reject row of a document whose stage raised `exc` (a bug is stored with its type, not lost)."""
    if isinstance(exc, RejectedInput):
        return Reject(doc.source_uri, exc.stage, exc.reason, doc.payload)
    return Reject(doc.source_uri, "internal", f"internal error: {type(exc).__name__}: {exc}", doc.payload)


def _tag_groups(texts: list[str]) -> Iterator[list[str]]:
    """Consecutive texts grouped up to MAX_TAG_CHARS in all (a longer text alone): one tag_many call each."""
    group: list[str] = []
    size = 0
    for text in texts:
        if group and size + len(text) > MAX_TAG_CHARS:
            yield group
            group, size = [], 0
        group.append(text)
        size += len(text)
    if group:
        yield group


def _tag_batch(texts: list[str], tagger: Tagger) -> list[tuple[Mention, ...] | None]:
    """The tagger's spans of every text, in as few calls as memory allows; on a failure, that group's documents
    are tagged (and fail) one by one in _finish."""
    out: list[tuple[Mention, ...] | None] = []
    for group in _tag_groups(texts):
        try:
            out.extend(tagger.tag_many(group))
        except Exception:  # noqa: BLE001 - one bad text must not cost the batch: _finish tags each text again
            out.extend([None] * len(group))
    return out


def process_documents(
    docs: list[RawDocument],
    timezone: str = DEFAULT_TIMEZONE,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
    ner_model: str | None = None,
) -> tuple[list[Article], list[Reject]]:
    """Process a batch (naive times in `timezone`, entities by the `ner_model` file or the shipped tagger).

    Every document is prepared first, then the texts that get facts are tagged in one call (the tagger's
    per-call cost is paid once per batch), then each document's layers are built on its precomputed spans.
    """
    if not docs:
        return [], []  # a batch whose inputs were all unchanged: no model to load for it
    zone = zone_named(timezone)
    tagger = load_tagger(Path(ner_model) if ner_model else None)  # cached per path: loaded once per process
    outcomes: list[_Prepared | Reject] = []
    for doc in docs:
        try:
            outcomes.append(_prepare(doc, zone, max_text_bytes))
        except Exception as exc:  # noqa: BLE001 - a bug on one input must not lose the batch
            outcomes.append(_reject(doc, exc))
    prepared = [p for p in outcomes if isinstance(p, _Prepared) and p.quality.label == "ok"]
    tagged = dict(zip(map(id, prepared), _tag_batch([p.norm.text for p in prepared], tagger), strict=True))
    articles: list[Article] = []
    rejects: list[Reject] = []
    for p in outcomes:
        if isinstance(p, Reject):
            rejects.append(p)
            continue
        try:
            articles.append(_finish(p, tagger, tagged.get(id(p))))
        except Exception as exc:  # noqa: BLE001 - as above
            rejects.append(_reject(p.doc, exc))
    return articles, rejects


def process_for_load(
    docs: list[RawDocument],
    timezone: str = DEFAULT_TIMEZONE,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
    ner_model: str | None = None,
) -> tuple[list[Article], list[Reject]]:
    """process_documents, each article with its index entry: what an ingest's workers make (`parse` needs none)."""
    articles, rejects = process_documents(docs, timezone, max_text_bytes, ner_model)
    return [with_index_entry(a) for a in articles], rejects
