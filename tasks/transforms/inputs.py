"""Turn input bytes into RawDocuments: media type by name and content, JSON/JSONL records (pure)."""

from __future__ import annotations

import json
from typing import Any

from tasks.transforms.models import RawDocument, RejectedInput

SUPPORTED_SUFFIXES = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",  # server-side includes: how sina.com.cn, people.com.cn and many others name their articles
    ".xhtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
}
# Names a saved feed or sitemap goes by: sniffed, to say how such a file is ingested.
_LINK_LIST_SUFFIXES = (".xml", ".rss", ".atom", ".rdf")
_HTML_SNIFF = (b"<!doctype html", b"<html", b"<head", b"<body", b"<meta", b"<p>", b"<div")


def readable_path(path: str) -> str:
    """A path as text that can be stored anywhere: bytes of a non-UTF-8 file name become `\\xNN` escapes.

    Paths from the file system carry such bytes as lone surrogates (Python's surrogateescape), which no UTF-8
    encoder accepts; names that are valid UTF-8 come back unchanged.
    """
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def media_type_for(name: str, head: bytes) -> str:
    """'text' | 'html' | 'json' | 'jsonl' from the file name, with HTML sniffed from .txt content."""
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    kind = SUPPORTED_SUFFIXES.get(suffix)
    if kind is None:
        raise RejectedInput("read", _unsupported_reason(suffix, head), name)
    if kind == "text" and head.lstrip()[:200].lower().startswith(_HTML_SNIFF):
        return "html"
    return kind


def _unsupported_reason(suffix: str, head: bytes) -> str:
    """Why a file is not read; a saved feed or sitemap is told how it can be ingested instead."""
    if suffix in _LINK_LIST_SUFFIXES:
        from tasks.transforms.feeds import sniff_document_kind  # only here: feedparser is slow to import

        kind = sniff_document_kind(head, None)
        if kind in ("feed", "sitemap"):
            return (
                f"a {kind} file lists links to articles, not articles: ingest its URL to fetch them "
                f"(newsetl ingest --{kind} URL)"
            )
    return f"unsupported file type {suffix or '(none)'!r}; expected one of {', '.join(sorted(SUPPORTED_SUFFIXES))}"


def _as_str(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RejectedInput("read", f"field {key!r} must be a string, got {type(value).__name__}")
    return value


def document_from_record(record: Any, source_uri: str) -> RawDocument:
    """A RawDocument from one JSON article: url, title, published_at and html or text."""
    if not isinstance(record, dict):
        raise RejectedInput("read", f"expected a JSON object, got {type(record).__name__}", source_uri)
    try:
        html, text = _as_str(record, "html"), _as_str(record, "text")
        url, title, published = (
            _as_str(record, "url"),
            _as_str(record, "title"),
            _as_str(record, "published_at"),
        )
    except RejectedInput as exc:
        raise RejectedInput("read", exc.reason, source_uri) from None
    body = html if html else text
    if not body or not body.strip():
        raise RejectedInput("read", "record has neither a non-empty 'html' nor 'text' field", source_uri)
    # JSON text is already Unicode; it is re-encoded as UTF-8 so the decode stage can still repair mojibake in it.
    return RawDocument(
        source_uri=source_uri,
        payload=body.encode("utf-8", errors="surrogatepass"),
        media_type="html" if html else "text",
        size=len(body),
        url=url,
        title=title,
        published_at=published,
        declared_charset="utf-8",
        doc_id=None if record.get("id") is None else str(record["id"]),
    )


def parse_json_line(line: bytes, source_uri: str) -> RawDocument:
    """Parse one JSONL line (or a whole .json file) into a RawDocument."""
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RejectedInput("read", f"invalid JSON: {exc}", source_uri) from None
    return document_from_record(record, source_uri)


def record_id(line: bytes) -> str | None:
    """The `id` field of a JSONL line, when it has one (used by `newsetl parse`)."""
    try:
        record = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    value = record.get("id") if isinstance(record, dict) else None
    return None if value is None else str(value)
