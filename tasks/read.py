"""Prefect task: read a batch of input files."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from tasks.files import InputRef, read_refs
from tasks.transforms.models import RawDocument, Reject


@task(name="read_batch", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=1)
def read_batch(refs: list[InputRef]) -> tuple[list[RawDocument], list[Reject]]:
    """Read the files of one batch; unreadable ones become rejects."""
    return read_refs(refs)
