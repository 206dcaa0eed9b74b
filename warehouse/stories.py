"""Story assignment: a newly stored article joins the story of its nearest stored copy, else starts its own."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

# Estimated shingle Jaccard above which two bodies are one story, from bench/bench_stories.py (copies of real pages):
# rewritten leads score >= 0.69, a third of the paragraphs dropped >= 0.37, different pages <= 0.02. At 0.3 copies of
# two short pages carrying the same site boilerplate joined (precision 0.99); at 0.4 none did (P 1.0, R 0.97).
SAME_STORY_SIMILARITY = 0.4
# Candidates verified per article, most shared LSH bands first: a story syndicated a thousand times is still
# joined by comparing a handful of its copies.
_MAX_CANDIDATES = 20


def assign_stories(conn: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> None:
    """Set articles.story_id of the given (just written) articles, in order, inside the caller's transaction.

    Their signatures and band keys are already in story_signatures/story_bands. An earlier article of the same batch
    counts as stored, so copies within one batch form one story too.
    """
    if not article_ids:
        return
    order = {aid: i for i, aid in enumerate(article_ids)}
    pairs = conn.execute(
        "WITH batch AS (SELECT unnest(?) AS article_id), "
        "shared AS ("
        " SELECT n.article_id, o.article_id AS other_id, count(*) AS n_bands"
        " FROM story_bands AS n JOIN batch USING (article_id)"
        " JOIN story_bands AS o ON o.band_key = n.band_key AND o.article_id <> n.article_id"
        " GROUP BY ALL), "
        "ranked AS ("
        " SELECT *, row_number() OVER (PARTITION BY article_id ORDER BY n_bands DESC, other_id) AS rank"
        " FROM shared) "
        # The share of equal MinHash values, counted here: fetching both signatures as Python lists and comparing
        # them in Python took 0.5 s of a 0.8 s load of 400 near-copies (bench/bench_search.py's sample texts).
        "SELECT r.article_id, r.other_id, a.story_id, "
        " list_sum([(s.signature[i] = t.signature[i])::INTEGER FOR i IN range(1, len(s.signature) + 1)])::DOUBLE"
        " / len(s.signature) "
        "FROM ranked AS r JOIN articles AS a ON a.article_id = r.other_id "
        "JOIN story_signatures AS s ON s.article_id = r.article_id "
        "JOIN story_signatures AS t ON t.article_id = r.other_id "
        "WHERE r.rank <= ?",
        [list(article_ids), _MAX_CANDIDATES],
    ).fetchall()
    candidates: dict[str, list[tuple[str, str | None, float]]] = {}
    for aid, other, story, similarity in pairs:
        candidates.setdefault(aid, []).append((other, story, similarity))
    assigned: dict[str, str] = {}
    for aid in article_ids:
        best: tuple[float, str] | None = None
        for other, story, similarity in candidates.get(aid, []):
            if other in order:
                # Only earlier articles of this batch have their story yet; a later one will join this one.
                if order[other] >= order[aid]:
                    continue
                story = assigned[other]
            if story is None or similarity < SAME_STORY_SIMILARITY:
                continue
            if best is None or (similarity, story) > best:
                best = (similarity, story)
        assigned[aid] = best[1] if best else aid
    conn.execute(
        "UPDATE articles SET story_id = s.story_id "
        "FROM (SELECT unnest(?) AS article_id, unnest(?) AS story_id) AS s "
        "WHERE articles.article_id = s.article_id",
        [list(assigned), list(assigned.values())],
    )
