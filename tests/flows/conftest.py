from __future__ import annotations

import pytest
from prefect.testing.utilities import prefect_test_harness


@pytest.fixture(scope="session", autouse=True)
def prefect_harness():
    """One temporary Prefect API (SQLite) for every flow test: real Prefect, no server to start by hand."""
    with prefect_test_harness(server_startup_timeout=60):
        yield
