"""Full-text search reads: the `search_articles` macro with a date filter, a limit and a snippet around the hit."""

from __future__ import annotations

import re
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


_PHRASE = re.compile(r'"([^"]+)"')
# Candidates read per round when the query has phrases: most candidates of a phrase query hold the phrase (its
# bigrams are required terms), so a few rounds of limit * 4 are enough and bodies are read for those only.
_PHRASE_ROUND = 4


def query_phrases(query: str) -> list[str]:
    """The quoted phrases of a query, as the `search_phrases` macro finds them."""
    return [p.strip() for p in _PHRASE.findall(query) if p.strip()]


def _has_phrases(title: str | None, body: str, phrases: Sequence[str]) -> bool:
    """Whether every phrase occurs in the title and body (the macro's lower(concat_ws(chr(10), title, body)))."""
    text = "\n".join(x for x in (title, body) if x is not None).lower()
    return all(p.lower() in text for p in phrases)


def search_articles(
    conn: duckdb.DuckDBPyConnection,
    query: str,
    needles: Sequence[str],
    limit: int = 10,
    since: date | None = None,
) -> list[SearchHit]:
    """Articles matching a normalized query, best first; `needles` (phrases, then terms) place the snippet.

    The `search_articles` macro's result, cut to `limit`: ranked from the postings alone (`search_candidates`), with
    article bodies read only for the hits (their snippet) and for the candidates whose phrases are checked.
    """
    phrases = query_phrases(query)
    page = limit * _PHRASE_ROUND if phrases else limit
    hits: list[SearchHit] = []
    offset = 0
    # Without --since the best candidates are cut before any article is read; with it, the date filter comes first.
    dated = " JOIN articles AS f USING (article_id) WHERE f.published_at >= $4" if since is not None else ""
    while len(hits) < limit:
        rows = conn.execute(
            "WITH ranked AS ("
            f" SELECT c.article_id, c.score FROM search_candidates($1) AS c{dated}"
            " ORDER BY c.score DESC, c.article_id LIMIT $2 OFFSET $3) "
            "SELECT r.article_id, a.title, a.published_at, r.score, a.body "
            "FROM ranked AS r JOIN articles AS a USING (article_id) ORDER BY r.score DESC, r.article_id",
            [query, page, offset] + ([since] if since is not None else []),
        ).fetchall()
        for aid, title, published, score, body in rows:
            if _has_phrases(title, body, phrases) and len(hits) < limit:
                hits.append(SearchHit(aid, title, published, float(score), make_snippet(body, needles)))
        if len(rows) < page:
            break
        offset += page
    return hits
