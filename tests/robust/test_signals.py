"""Stop signals end a run as `failed` with the signal's name; nothing a run started outlives it, even kill -9."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import duckdb
import pytest

from flows.lifecycle import RunInterrupted, interruption_of, raise_if_stopped, stop_on_signals
from tests.robust.helpers import children, hold, ingest_process, is_alive, wait_for_line, write_corpus

# Batches of 64+ documents are transformed by worker processes: these runs start them.
BATCH = 70


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_stop_signal_fails_the_run_by_name_and_stops_the_workers(tmp_path: Path, signum: int) -> None:
    corpus = write_corpus(tmp_path / "in.jsonl", 6 * BATCH)
    db = tmp_path / "w.duckdb"
    run = ingest_process(str(corpus), "--db", str(db), "--batch-size", str(BATCH))
    try:
        wait_for_line(run, "batch:")  # one batch committed, the next one in the workers
        started = children(run.pid)
        run.send_signal(signum)
        rest = run.communicate(timeout=60)[1]
    finally:
        run.kill()
    name = signal.Signals(signum).name
    assert run.returncode == 128 + signum, rest
    assert "Traceback" not in rest and f"interrupted by {name}" in rest
    with duckdb.connect(str(db), read_only=True) as conn:
        status, error = conn.execute("SELECT status, error FROM runs").fetchone()  # type: ignore[misc]
    assert (status, error) == ("failed", f"interrupted by {name}")
    time.sleep(1)
    assert not [pid for pid in started if is_alive(pid)]


def test_kill_9_leaves_no_process_behind(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "in.jsonl", 6 * BATCH)
    run = ingest_process(str(corpus), "--db", str(tmp_path / "w.duckdb"), "--batch-size", str(BATCH))
    try:
        wait_for_line(run, "batch:")
        deadline = time.monotonic() + 30
        # The workers and multiprocessing's resource tracker: at least three processes once the pool is up.
        while len(started := children(run.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(started) >= 3, started
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
        time.sleep(5)
        assert not [pid for pid in started if is_alive(pid)]
    finally:
        run.kill()


def test_a_run_stopped_while_waiting_for_a_reader_is_still_recorded(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    first = ingest_process(str(write_corpus(tmp_path / "a.jsonl", 2)), "--db", str(db))
    assert first.wait(timeout=120) == 0
    reader = hold(db, "reader", 60.0)
    run = ingest_process(str(write_corpus(tmp_path / "b.jsonl", 2, start=2)), "--db", str(db))
    try:
        wait_for_line(run, "waiting up to")  # blocked before its row exists
        run.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        reader.kill()  # the file frees up: the stopped run can now record how it ended
        rest = run.communicate(timeout=120)[1]
    finally:
        run.kill()
        reader.kill()
    assert run.returncode == 143 and "Traceback" not in rest, rest
    with duckdb.connect(str(db), read_only=True) as conn:
        rows = conn.execute("SELECT status, error FROM runs ORDER BY started_at").fetchall()
    assert rows == [("completed", None), ("failed", "interrupted by SIGTERM")]


@pytest.mark.parametrize("prefect", [False, True], ids=["local", "prefect"])
def test_a_stop_signal_during_a_dask_run_stops_every_process(tmp_path: Path, prefect: bool) -> None:
    corpus = write_corpus(tmp_path / "in.jsonl", 6 * BATCH)
    db = tmp_path / "w.duckdb"
    args = (str(corpus), "--db", str(db), "--batch-size", str(BATCH), "--dask-workers", "1")
    run = ingest_process(*args, prefect=prefect)
    try:
        wait_for_line(
            run, "batch:", timeout=300
        )  # one batch committed, the next ones on the cluster's worker
        # The local cluster's processes, and with --prefect the temporary Prefect server the run started (it
        # once outlived the run, holding its stderr open).
        started = children(run.pid)
        assert started
        run.send_signal(signal.SIGTERM)
        rest = run.communicate(timeout=120)[1]
    finally:
        run.kill()
    assert run.returncode == 143, rest
    assert "Traceback" not in rest and "interrupted by SIGTERM" in rest, rest
    with duckdb.connect(str(db), read_only=True) as conn:
        status, error = conn.execute("SELECT status, error FROM runs").fetchone()  # type: ignore[misc]
        loaded = conn.execute("SELECT count(*) FROM articles").fetchone()[0]  # type: ignore[index]
    assert (status, error) == ("failed", "interrupted by SIGTERM")
    assert loaded >= BATCH and loaded % BATCH == 0  # whole batches only
    deadline = time.monotonic() + 15
    while [pid for pid in started if is_alive(pid)] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in started if is_alive(pid)]


def test_an_error_raised_after_a_stop_signal_stands_for_the_signal() -> None:
    with stop_on_signals():
        try:
            try:
                os.kill(os.getpid(), signal.SIGTERM)
                time.sleep(5)  # the handler raises RunInterrupted here
            except BaseException:
                # What Prefect's task engine raised when the signal landed while it set up a task run.
                raise ValueError("Task run is not set") from None
        except ValueError as exc:
            stopped = interruption_of(exc)
        assert interruption_of(KeyError("x")) is not None  # any error after the signal is the stop
    assert stopped is not None and stopped.name == "SIGTERM" and stopped.exit_code == 143
    assert interruption_of(ValueError("a bug")) is None  # no run, no signal: an error is itself


def test_a_signal_swallowed_by_a_finalizer_still_stops_the_run() -> None:
    class Finalized:
        def __del__(self) -> None:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the handler raises here, inside __del__, where Python prints and drops it

    with stop_on_signals():
        Finalized()  # collected at once: the signal fires inside __del__
        with pytest.raises(RunInterrupted) as caught:
            raise_if_stopped()  # the run's next step
    assert caught.value.name == "SIGTERM"
    raise_if_stopped()  # the signal belonged to that run only
