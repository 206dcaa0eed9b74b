"""Prefect task: decode, extract HTML, normalize and extract facts for a batch."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.transforms.models import Article, RawDocument, Reject
from tasks.transforms.pipeline import process_documents


@task(name="transform_batch", cache_policy=NO_CACHE)
def transform_batch(docs: list[RawDocument]) -> tuple[list[Article], list[Reject]]:
    """All pure stages over one batch; per-document failures become rejects."""
    return process_documents(docs)
