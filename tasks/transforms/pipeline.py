"""Decode -> HTML -> normalize -> extract for one document (pure; the Prefect task maps it over a batch)."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta, timezone

from tasks.transforms.chars import HAN
from tasks.transforms.decode import decode_bytes
from tasks.transforms.facts import extract_facts
from tasks.transforms.html import extract_page
from tasks.transforms.models import Article, RawDocument, Reject, RejectedInput
from tasks.transforms.normalize import normalize_text

# Shorter bodies are navigation stubs or empty pages, not articles (the shortest real brief seen is ~40 chars).
MIN_BODY_CHARS = 20
_HAN = re.compile(f"[{HAN}]")
_LATIN = re.compile(r"[A-Za-z]")
_TITLE_END = re.compile(r"[。！？.!?，,；;：:]$")


def detect_language(text: str) -> str:
    """'zh' when Han characters dominate the letters, else 'other'."""
    han = len(_HAN.findall(text))
    latin_words = len(_LATIN.findall(text)) / 5
    return "zh" if han and han >= latin_words else "other"


def _title_from_text(text: str) -> tuple[str | None, str]:
    """A plain-text file may start with a title line: short, no sentence punctuation at its end."""
    first, sep, rest = text.strip().partition("\n")
    first = first.strip()
    if sep and rest.strip() and 4 <= len(first) <= 40 and not _TITLE_END.search(first):
        return first, rest
    return None, text


def process_document(doc: RawDocument) -> Article:
    """Run every stage on one document; raises RejectedInput with the failing stage."""
    decoded = decode_bytes(doc.payload, declared_charset=doc.declared_charset, source_uri=doc.source_uri)
    title, published_at, url = doc.title, doc.published_at, doc.url
    if doc.media_type == "html":
        page = extract_page(decoded.text, url=doc.url)
        body_raw = page.text
        title = title or page.title
        published_at = published_at or page.published_at
        url = url or page.url
        if len(body_raw.strip()) < MIN_BODY_CHARS:
            raise RejectedInput("html", f"no main text found ({len(body_raw.strip())} chars)", doc.source_uri)
    else:
        body_raw = decoded.text
        if title is None:
            title, body_raw = _title_from_text(body_raw)
    if len(body_raw.strip()) < MIN_BODY_CHARS:
        raise RejectedInput(
            "normalize", f"text too short to be an article ({len(body_raw.strip())} chars)", doc.source_uri
        )
    title = title or doc.fallback_title
    published_at = normalize_published(published_at) or normalize_published(doc.fallback_published_at)
    norm = normalize_text(body_raw)
    facts = extract_facts(norm.text, published_at=published_at)
    return Article(
        source_uri=doc.source_uri,
        url=url,
        title=normalize_text(title).text if title else None,
        published_at=published_at,
        language=detect_language(norm.text),
        script_original=norm.script_original,
        encoding_detected=decoded.encoding + (f" (repaired: {decoded.repair})" if decoded.repair else ""),
        encoding_confidence=decoded.confidence,
        body_raw=norm.raw,
        body=norm.text,
        content_sha256=hashlib.sha256(doc.payload).hexdigest(),
        facts=facts,
        offsets=norm.offsets,
        decode_errors=decoded.errors,
    )


def process_documents(docs: list[RawDocument]) -> tuple[list[Article], list[Reject]]:
    """Process a batch; each failure becomes a Reject with its stage and reason, and the batch goes on."""
    articles: list[Article] = []
    rejects: list[Reject] = []
    for doc in docs:
        try:
            articles.append(process_document(doc))
        except RejectedInput as exc:
            rejects.append(Reject(doc.source_uri, exc.stage, exc.reason, doc.payload))
        except Exception as exc:  # noqa: BLE001 - a bug on one input must not lose the batch; it is stored with its type
            rejects.append(
                Reject(
                    doc.source_uri, "internal", f"internal error: {type(exc).__name__}: {exc}", doc.payload
                )
            )
    return articles, rejects


_CN_DATE = re.compile(
    r"(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)


# A time without an offset on a Chinese news page or record is China Standard Time (UTC+8, no daylight saving):
# stored as UTC like every *_at column.
NAIVE_TIME_OFFSET = timedelta(hours=8)


def normalize_published(value: str | None) -> str | None:
    """ISO-8601 in UTC (no offset) from a published date as sources write it; a bare date stays a date."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        has_time = len(text) > 10
    except ValueError:
        match = _CN_DATE.search(text)
        if not match:
            return None
        y, mo, d, h, mi, s = match.groups()
        try:
            parsed = datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0))
        except ValueError:
            return None
        has_time = h is not None
    if not has_time:
        return parsed.date().isoformat()
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone(NAIVE_TIME_OFFSET))
    return parsed.astimezone(UTC).replace(tzinfo=None).isoformat()
