"""Prefect task: decode, extract HTML, normalize and extract facts for a batch."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.parallel import transform_documents
from tasks.transforms.datetimes import DEFAULT_TIMEZONE
from tasks.transforms.models import Article, RawDocument, Reject
from tasks.transforms.pipeline import DEFAULT_MAX_TEXT_BYTES


@task(name="transform_batch", cache_policy=NO_CACHE)
def transform_batch(
    docs: list[RawDocument],
    workers: int = 1,
    timezone: str = DEFAULT_TIMEZONE,
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
    ner_model: str | None = None,
) -> tuple[list[Article], list[Reject]]:
    """All pure stages over one batch (on `workers` processes, naive times in `timezone`); failures become rejects."""
    return transform_documents(docs, workers, timezone, max_text_bytes, ner_model)
