"""Transforms on a real Dask cluster give the same rows as a local run; batches overlap their loads (issue 11)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import flows.ingest as ingest
from flows.ingest import add_progress_listener, ingest_news, run_ingest
from flows.lifecycle import UsageError, check_dask
from tests.conftest import REPO_ROOT, SAMPLES, SEED
from warehouse.connection import connect

# Columns that say when or by which run a row was written: they differ between any two runs.
RUN_COLUMNS = {"run_id", "ingested_at", "rejected_at", "seen_at", "fetched_at"}
NOT_COMPARED = {"runs", "schema_migrations", "fetch_state"}
# Starting worker processes that import Prefect and the stages takes tens of seconds on a busy 2-core machine.
CLUSTER_START_SECONDS = 180


@pytest.fixture(scope="module")
def dask_address() -> Iterator[str]:
    """A real local Dask cluster: 2 worker processes of one thread each, as `--dask-workers 2` starts."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        with Client(cluster, timeout=CLUSTER_START_SECONDS) as client:
            client.wait_for_workers(2, timeout=CLUSTER_START_SECONDS)
        yield cluster.scheduler_address


def table_rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored row of every table (facts, articles, rejects, search and story tables), without run columns."""
    with connect(db, read_only=True) as conn:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
            ).fetchall()
            if name not in NOT_COMPARED
        ]
        rows = {}
        for table in tables:
            columns = [
                c
                for (c,) in conn.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if c not in RUN_COLUMNS
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            rows[table] = conn.execute(f'SELECT {select} FROM "{table}" ORDER BY ALL').fetchall()
    return rows


def test_a_dask_run_stores_the_same_rows_as_a_local_run(
    corpus: Path, tmp_path: Path, dask_address: str
) -> None:
    local = run_ingest(paths=[str(corpus)], db_path=str(tmp_path / "local.duckdb"), batch_size=3)
    expected = table_rows(tmp_path / "local.duckdb")
    assert local["counts"]["loaded"] >= 9 and local["counts"]["rejected"] == 4, local["counts"]
    assert expected["articles"] and expected["mentions"] and expected["roles"] and expected["rejects"]

    # Without Prefect: each batch is a plain Dask task. In a flow run: a task run submitted through DaskTaskRunner.
    plain = run_ingest(
        paths=[str(corpus)], db_path=str(tmp_path / "plain.duckdb"), batch_size=3, dask_address=dask_address
    )
    flow = ingest_news(
        paths=[str(corpus)], db_path=str(tmp_path / "flow.duckdb"), batch_size=3, dask_address=dask_address
    )
    for summary, db in ((plain, "plain.duckdb"), (flow, "flow.duckdb")):
        assert summary["counts"] == local["counts"], db
        assert summary["facts"] == local["facts"], db
        got = table_rows(tmp_path / db)
        for table, rows in expected.items():
            assert got[table] == rows, f"{db}: table {table} differs from the local run"


def test_batch_k_is_loaded_while_batch_k_plus_1_is_transformed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    real_open = ingest.open_transforms

    class Recording:
        def __init__(self, runner: Any) -> None:
            self.runner, self.ahead = runner, runner.ahead

        def submit(self, docs: list[Any]) -> Any:
            events.append(f"submit {len([e for e in events if e.startswith('submit')]) + 1}")
            return self.runner.submit(docs)

    def recording_open(*args: Any, **kwargs: Any) -> Any:
        from contextlib import contextmanager

        @contextmanager
        def opened() -> Iterator[Any]:
            with real_open(*args, **kwargs) as runner:
                yield Recording(runner)

        return opened()

    monkeypatch.setattr(ingest, "open_transforms", recording_open)
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"{i}.txt").write_text(SEED.read_text("utf-8") + f"\n（第{i}号）", encoding="utf-8")
    remove = add_progress_listener(lambda done, _total: events.append(f"load {done}"))
    try:
        summary = run_ingest(paths=[str(folder)], db_path=str(tmp_path / "w.duckdb"), batch_size=1)
    finally:
        remove()
    assert summary["counts"]["loaded"] == 3
    # Batch 2 is submitted before batch 1 is loaded, and so on; the loads stay in input order.
    assert events == ["submit 1", "submit 2", "load 1", "submit 3", "load 2", "load 3"]


def test_dask_requests_are_checked_before_any_work() -> None:
    assert check_dask(None, None) is None
    assert check_dask(2, None) is not None
    for workers, address, message in (
        (0, None, "at least 1"),
        (2, "tcp://127.0.0.1:8786", "not both"),
        (None, "127.0.0.1:8786", "not a Dask scheduler address"),
        (None, "tcp:/host:8786", "not a Dask scheduler address"),
    ):
        with pytest.raises(UsageError, match=message):
            check_dask(workers, address)


def test_a_local_run_never_imports_dask(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom flows.ingest import run_ingest\n"
        f"run_ingest(paths=[{str(SEED)!r}], db_path={str(tmp_path / 'w.duckdb')!r})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'prefect_dask')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_dask_workers_starts_a_local_cluster_for_the_run(tmp_path: Path) -> None:
    summary = run_ingest(paths=[str(SAMPLES)], db_path=str(tmp_path / "w.duckdb"), dask_workers=2)
    assert summary["counts"]["loaded"] >= 8 and summary["counts"]["rejected"] == 0
