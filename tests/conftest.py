"""Shared test helpers: paths to committed fixtures and to ../shared (absent on a user's clone)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = REPO_ROOT / "tests" / "fixtures"
SAMPLES = REPO_ROOT / "samples"
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
SEED = FIXTURES / "seed" / "china_daily_2025-04-20_liuzhou_ip_week.txt"

needs_shared = pytest.mark.skipif(
    not SHARED_DATA.is_dir(), reason="../shared/data is not beside this checkout"
)


def load_seed_warehouse(path: Path) -> Path:
    """A migrated warehouse at `path` holding the seed article with its facts, loaded by run "r1"."""
    from tasks.transforms.models import RawDocument
    from tasks.transforms.pipeline import process_documents
    from tasks.transforms.rows import to_rows
    from warehouse import repository
    from warehouse.connection import connect
    from warehouse.migrate import migrate

    articles, _ = process_documents([RawDocument(str(SEED), SEED.read_bytes(), "text")])
    with connect(path) as conn:
        migrate(conn)
        repository.start_run(conn, "r1", None)
        repository.upsert_articles(conn, [to_rows(a) for a in articles], "r1")
    return path
