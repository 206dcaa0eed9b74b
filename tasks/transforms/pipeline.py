"""Decode -> HTML -> normalize -> extract for one document (pure; the Prefect task maps it over a batch)."""

from __future__ import annotations

import hashlib
import re
from datetime import tzinfo
from pathlib import Path

from tasks.transforms.chars import HAN
from tasks.transforms.datetimes import DEFAULT_TIMEZONE, parse_published, zone_named
from tasks.transforms.decode import decode_bytes
from tasks.transforms.facts import extract_facts
from tasks.transforms.facts.tagger import Tagger, load_tagger
from tasks.transforms.html import extract_page
from tasks.transforms.models import Article, Facts, RawDocument, Reject, RejectedInput
from tasks.transforms.normalize import normalize_text
from tasks.transforms.quality import assess_quality

# Shorter bodies are navigation stubs or empty pages, not articles (the shortest real brief seen is ~40 chars).
MIN_BODY_CHARS = 20
# Longer "articles" are dumps, logs or hostile inputs: every later stage holds a few copies of the text plus an
# offset map (~100 bytes a char in all), so 2 M chars keeps one input well under 700 MB (bench/bench_memory.py).
DEFAULT_MAX_TEXT_CHARS = 2_000_000
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


def _check_length(text: str, stage: str, max_text_chars: int, source_uri: str) -> None:
    """Refuse a text longer than any article before the stages that hold several copies of it."""
    if len(text) > max_text_chars:
        reason = f"too long for an article: {len(text)} chars of text > max_text_chars {max_text_chars}"
        raise RejectedInput(stage, reason, source_uri)


def process_document(
    doc: RawDocument,
    zone: tzinfo | None = None,
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS,
    tagger: Tagger | None = None,
) -> Article:
    """Run every stage on one document (naive times read in `zone`, default Asia/Shanghai); raises RejectedInput."""
    decoded = decode_bytes(doc.payload, declared_charset=doc.declared_charset, source_uri=doc.source_uri)
    title, published_at, url = doc.title, doc.published_at, doc.url
    if doc.media_type == "html":
        page = extract_page(decoded.text, url=doc.url)
        body_raw = page.text
        title = title or page.title
        published_at = published_at or page.published_at
        url = url or page.url
        _check_length(body_raw, "html", max_text_chars, doc.source_uri)
        if len(body_raw.strip()) < MIN_BODY_CHARS:
            raise RejectedInput("html", f"no main text found ({len(body_raw.strip())} chars)", doc.source_uri)
    else:
        body_raw = decoded.text
        _check_length(body_raw, "normalize", max_text_chars, doc.source_uri)
        if title is None:
            title, body_raw = _title_from_text(body_raw)
    if len(body_raw.strip()) < MIN_BODY_CHARS:
        raise RejectedInput(
            "normalize", f"text too short to be an article ({len(body_raw.strip())} chars)", doc.source_uri
        )
    title = title or doc.fallback_title
    zone = zone or zone_named(DEFAULT_TIMEZONE)
    published = parse_published(published_at, zone) or parse_published(doc.fallback_published_at, zone)
    norm = normalize_text(body_raw)
    quality = assess_quality(norm.text)
    # Facts resolve relative dates (昨天, 4月20日) against the day as the source's readers saw it.
    local_date = published.local_date.isoformat() if published else None
    # A keyword list read as prose floods the fact tables: it is stored, marked, and gets no facts.
    facts = (
        extract_facts(norm.text, published_at=local_date, tagger=tagger) if quality.label == "ok" else Facts()
    )
    return Article(
        source_uri=doc.source_uri,
        url=url,
        title=normalize_text(title).text if title else None,
        published_at=published.at if published else None,
        published_date=published.local_date if published else None,
        language=detect_language(norm.text),
        script_original=norm.script_original,
        encoding_detected=decoded.encoding + (f" (repaired: {decoded.repair})" if decoded.repair else ""),
        encoding_confidence=decoded.confidence,
        body_raw=norm.raw,
        body=norm.text,
        content_sha256=hashlib.sha256(doc.payload).hexdigest(),
        facts=facts,
        offsets=norm.offsets,
        quality=quality.label,
        quality_reason=quality.reason,
        decode_errors=decoded.errors,
    )


def process_documents(
    docs: list[RawDocument],
    timezone: str = DEFAULT_TIMEZONE,
    max_text_chars: int = DEFAULT_MAX_TEXT_CHARS,
    ner_model: str | None = None,
) -> tuple[list[Article], list[Reject]]:
    """Process a batch (naive times in `timezone`, entities by the `ner_model` file or the shipped tagger)."""
    zone = zone_named(timezone)
    tagger = load_tagger(Path(ner_model)) if ner_model else None  # cached per path: loaded once per process
    articles: list[Article] = []
    rejects: list[Reject] = []
    for doc in docs:
        try:
            articles.append(process_document(doc, zone, max_text_chars, tagger))
        except RejectedInput as exc:
            rejects.append(Reject(doc.source_uri, exc.stage, exc.reason, doc.payload))
        except Exception as exc:  # noqa: BLE001 - a bug on one input must not lose the batch; it is stored with its type
            rejects.append(
                Reject(
                    doc.source_uri, "internal", f"internal error: {type(exc).__name__}: {exc}", doc.payload
                )
            )
    return articles, rejects
