"""In a Prefect run, an expected error (damaged warehouse) is one line in the run's logs; a bug keeps its traceback."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.ingest import ingest_news
from flows.lifecycle import OneLineExpectedErrors, UsageError
from tests.conftest import SAMPLES
from warehouse.connection import WarehouseCorrupt

RUN_LOGGERS = ("prefect.task_runs", "prefect.flow_runs")


class Kept(logging.Handler):
    """Keeps the records that reach the run loggers' handlers."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def run_logs() -> Iterator[Kept]:
    kept = Kept()
    for name in RUN_LOGGERS:
        logging.getLogger(name).addHandler(kept)
    yield kept
    for name in RUN_LOGGERS:
        logging.getLogger(name).removeHandler(kept)


def test_a_damaged_warehouse_fails_the_flow_run_without_a_traceback(tmp_path: Path, run_logs: Kept) -> None:
    damaged = tmp_path / "damaged.duckdb"
    damaged.write_bytes(b"not a database" * 4096)
    with pytest.raises(WarehouseCorrupt):
        ingest_news(paths=[str(SAMPLES)], db_path=str(damaged))
    errors = [r for r in run_logs.records if r.levelno >= logging.ERROR]
    assert any("WarehouseCorrupt" in r.getMessage() for r in errors)
    assert [r.getMessage() for r in errors if r.exc_info] == []


def _record_with(exc: BaseException) -> logging.LogRecord:
    try:
        raise exc
    except BaseException:
        return logging.LogRecord(
            "prefect.task_runs", logging.ERROR, __file__, 1, "failed", None, sys.exc_info()
        )


def test_only_expected_errors_lose_their_traceback() -> None:
    quiet = OneLineExpectedErrors()
    expected, bug = _record_with(UsageError("batch size must be at least 1")), _record_with(KeyError("x"))
    full_disk = _record_with(OSError(28, "No space left on device"))
    assert quiet.filter(expected) and quiet.filter(bug) and quiet.filter(full_disk)
    assert expected.exc_info is None and full_disk.exc_info is None
    assert bug.exc_info is not None
