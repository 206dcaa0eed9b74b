"""Full-text search reads: the `search_articles` macro with a date filter, a limit and a snippet around the hit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import duckdb

SNIPPET_BEFORE = 20
SNIPPET_AFTER = 40


@dataclass(frozen=True)
class SearchHit:
    """One article found: its id, title, publication time (UTC), BM25 score and the text around the hit."""

    article_id: str
    title: str | None
    published_at: datetime | None
    score: float
    snippet: str


def make_snippet(body: str, needles: Sequence[str]) -> str:
    """The body around the first needle found (longest needles tried first), on one line; its start otherwise."""
    lowered = body.lower()
    at = -1
    for needle in sorted(needles, key=len, reverse=True):
        at = lowered.find(needle.lower())
        if at >= 0:
            break
    start = max(at, 0) - SNIPPET_BEFORE if at >= 0 else 0
    start = max(start, 0)
    text = body[start : start + SNIPPET_BEFORE + SNIPPET_AFTER]
    text = " ".join(text.split())
    return (
        ("…" if start > 0 else "")
        + text
        + ("…" if start + SNIPPET_BEFORE + SNIPPET_AFTER < len(body) else "")
    )


def search_articles(
    conn: duckdb.DuckDBPyConnection,
    query: str,
    needles: Sequence[str],
    limit: int = 10,
    since: date | None = None,
) -> list[SearchHit]:
    """Articles matching a normalized query, best first; `needles` (phrases, then terms) place the snippet."""
    rows = conn.execute(
        "SELECT s.article_id, s.title, s.published_at, s.score, a.body "
        "FROM search_articles(?) AS s JOIN articles AS a USING (article_id) "
        "WHERE ? IS NULL OR s.published_at >= ? "
        "ORDER BY s.score DESC, s.article_id LIMIT ?",
        [query, since, since, limit],
    ).fetchall()
    return [
        SearchHit(aid, title, published, float(score), make_snippet(body, needles))
        for aid, title, published, score, body in rows
    ]
