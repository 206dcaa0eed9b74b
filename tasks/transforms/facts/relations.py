"""The relation layer: roles, quotes, metrics, events and dates as functions of the document's entity layer."""

from __future__ import annotations

from ..models import Metric, Role
from .dates import extract_dates, find_context_year
from .document import Document
from .events import extract_events
from .metrics import extract_metrics
from .quotes import extract_quotes
from .roles import extract_roles


def document_metrics(doc: Document) -> tuple[Metric, ...]:
    """Metrics of the document, given its date and entity layer."""
    return extract_metrics(doc.text, doc.published_at, doc.entities)


def byline_roles(doc: Document, roles: tuple[Role, ...]) -> tuple[Role, ...]:
    """A 记者 role for each byline reporter that no title chain gave already."""
    byline = doc.byline
    if byline is None or not byline.reporter:
        return ()
    have = {r.person for r in roles if r.title == "记者"}
    return tuple(
        Role(name, "记者", byline.agency, byline.start, byline.end)
        for name in byline.reporter.split("、")
        if name not in have
    )


def add_relations(doc: Document) -> Document:
    """Dates, roles, quotes, metrics and events of the document."""
    dates = extract_dates(doc.text, find_context_year(doc.text, doc.published_at))
    roles = extract_roles(doc)
    roles = tuple(sorted((*roles, *byline_roles(doc, roles)), key=lambda r: r.start))
    return doc.with_layers(
        dates=dates,
        roles=roles,
        quotes=extract_quotes(doc),
        metrics=document_metrics(doc),
        events=extract_events(doc.text, dates),
    )
