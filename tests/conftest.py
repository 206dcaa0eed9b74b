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
