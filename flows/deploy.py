"""Deployments of ingest_news, one per configured source with a schedule (for `newsetl serve`)."""

from __future__ import annotations

from typing import Any

from flows.ingest import ingest_news
from flows.settings import Source


def deployments_for(sources: list[Source]) -> list[Any]:
    """A RunnerDeployment per source: named after it, on its cron, with `source` as the parameter."""
    return [
        ingest_news.to_deployment(
            name=source.name,
            cron=source.schedule,
            parameters={"source": source.name},
            description=f"newsetl ingest of source {source.name!r} (config/sources.toml)",
            tags=["newsetl"],
            concurrency_limit=1,
        )
        for source in sources
    ]
