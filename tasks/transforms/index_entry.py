"""An article's index entry: its search postings and its story signature, made next to its facts.

The load used to make both in the flow process, the single DuckDB writer every batch waits on (0.86 s of SQL
tokenizing and 0.25 s of MinHash per 250 real pages); made in the transform, they run on the workers in parallel.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tasks.transforms.models import Article, IndexEntry
from tasks.transforms.search_tokens import iter_terms, searchable_text, term_id, term_table
from tasks.transforms.stories import story_signature


def index_entry(title: str | None, body: str) -> IndexEntry:
    """The search term ids and counts of the title and body, and the body's MinHash signature."""
    table = term_table(searchable_text(title, body))
    signature = story_signature(body)
    return IndexEntry(
        term_ids=np.fromiter(
            map(term_id, iter_terms(table.terms)), dtype="<i8", count=len(table.counts)
        ).tobytes(),
        term_counts=table.counts.astype("<i4").tobytes(),
        signature=signature.values,
        band_keys=signature.band_keys,
    )


def with_index_entry(article: Article) -> Article:
    """The article with its index entry."""
    return replace(article, index=index_entry(article.title, article.body))
