"""The column registry: which columns each load writes. Rows handed to the warehouse are dicts keyed by these."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# Every insert names its columns from here, so a column added by a migration (NULL or its default for our loads)
# breaks nothing; a column listed here must exist in the migrated schema (tests/warehouse/test_columns.py).
_SPAN = ("start_pos", "end_pos", "raw_start_pos", "raw_end_pos")
COLUMNS: dict[str, tuple[str, ...]] = {
    "articles": (
        "article_id", "source_uri", "url", "title", "published_at", "published_date", "agency", "bureau",
        "reporter", "photographer", "editor", "language", "script_original", "encoding_detected",
        "encoding_confidence", "decode_errors", "quality", "quality_reason", "body_raw", "body", "content_sha256",
        "pipeline_version", "run_id", "ingested_at",
    ),
    "entities": ("entity_id", "kind", "name", "level", "adcode", "parent_entity_id", "country_code"),
    "entity_aliases": ("article_id", "alias", "entity_id", "kind", *_SPAN),
    "mentions": ("article_id", "entity_id", "surface", *_SPAN),
    "roles": ("article_id", "person", "person_entity_id", "title", "organization", "organization_entity_id", *_SPAN),
    "metrics": (
        "article_id", "subject", "measure", "value", "unit", "unit_written", "approx", "period", "period_start",
        "period_end", "kind", *_SPAN,
    ),
    "quotes": ("article_id", "speaker", "speaker_entity_id", "text", *_SPAN),
    "events": ("article_id", "name", "event_date", "location", "organizers", "guided_by", *_SPAN),
    "dates": ("article_id", "surface", "iso", *_SPAN),
    "rejects": (
        "run_id", "source_uri", "stage", "reason", "payload", "payload_sha256", "pipeline_version", "rejected_at",
    ),
    "duplicates": (
        "source_uri", "article_id", "stored_source_uri", "content_sha256", "pipeline_version", "run_id", "seen_at",
    ),
    "fetch_state": ("url", "final_url", "etag", "last_modified", "status", "last_error", "fetched_at"),
    "story_signatures": ("article_id", "signature"),
    "story_bands": ("band_key", "article_id"),
}  # fmt: skip

# The tables holding one article's facts: replaced together when the article's content changes.
FACT_TABLES = ("mentions", "roles", "metrics", "quotes", "events", "dates")
# Other names of entities in one article: replaced with its facts (not counted among them in the run summary).
LINK_TABLES = ("entity_aliases",)
# The story signatures of one article: replaced with its facts, in the same transaction (its search rows too, by
# warehouse/search_index.py, which maps them to integer ids).
INDEX_TABLES = ("story_signatures", "story_bands")


class RowShapeError(ValueError):
    """A row whose keys are not the registry's columns for its table (a bug in the code building rows)."""


def column_lists(table: str, rows: Sequence[Mapping[str, Any]]) -> tuple[tuple[str, ...], list[list[Any]]]:
    """The table's registered columns and, for each, the list of its values over rows (column-major)."""
    columns = COLUMNS[table]
    expected = set(columns)
    for row in rows:
        if row.keys() != expected:
            missing, extra = sorted(expected - row.keys()), sorted(row.keys() - expected)
            raise RowShapeError(
                f"a row for {table} does not match its columns: missing {missing}, unknown {extra}"
            )
    return columns, [[row[c] for row in rows] for c in columns]
