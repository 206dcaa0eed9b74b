"""Extract facts (byline, mentions, roles, metrics, quotes, events, dates) from normalized Chinese news text.

The facts are layers over one document (document.py): sentences, byline, entities, then relations.
"""

from __future__ import annotations

from ..models import Facts, Mention
from .document import Document, build_document, to_facts
from .tagger import Tagger

__all__ = ["Document", "build_document", "extract_facts"]


def extract_facts(
    text: str,
    published_at: str | None = None,
    tagger: Tagger | None = None,
    tagged: tuple[Mention, ...] | None = None,
) -> Facts:
    """All facts of one article (entities by `tagger`, default the shipped one, or its spans `tagged` computed
    already for a whole batch); spans index `text`."""
    return to_facts(build_document(text, published_at, tagger, tagged))
