"""Deployments on a real `prefect server` and worker on 127.0.0.1: deploy from prefect.yaml, run, check rows.

Slow (about a minute): it starts a Prefect server, a process worker and three flow runs in subprocesses.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import REPO_ROOT, SEED
from warehouse.connection import connect

PREFECT = str(Path(sys.executable).with_name("prefect"))
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
# What Prefect's own client retries (prefect.client.base): a busy server answers 503 (its SQLite is locked), 502 from
# a proxy, 429 when rate limited; plus connection errors. Same policy here: exponential backoff with jitter,
# Retry-After honoured, about a minute in all, so a test fails only when the server is really down.
RETRY_STATUSES = {429, 502, 503}
RETRY_ATTEMPTS = 8


def _api(method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One Prefect REST call, retried the way Prefect's client retries it."""
    kwargs.setdefault("timeout", 30)
    for attempt in range(RETRY_ATTEMPTS):
        last = attempt == RETRY_ATTEMPTS - 1
        try:
            response = httpx.request(method, url, **kwargs)
        except httpx.TransportError:
            if last:
                raise
        else:
            if response.status_code not in RETRY_STATUSES or last:
                return response
            retry_after = response.headers.get("Retry-After", "")
            if retry_after.isdigit():
                time.sleep(min(float(retry_after), 30))
                continue
        time.sleep(min(2**attempt, 20) * (0.5 + random.random() / 2))
    raise AssertionError("unreachable")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    # A new session, so that stopping it stops its children too (the worker's flow-run subprocesses).
    return subprocess.Popen(
        args, env=env, stdout=handle, stderr=subprocess.STDOUT, cwd=REPO_ROOT, start_new_session=True
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A Prefect server, a work pool and a worker, all on loopback, in a temporary PREFECT_HOME."""
    tmp = tmp_path_factory.mktemp("prefect")
    inbox = tmp / "inbox"
    inbox.mkdir()
    shutil.copy(SEED, inbox / SEED.name)
    sources = tmp / "sources.toml"
    sources.write_text(
        f'[[sources]]\nname = "samples"\npaths = ["{inbox}"]\n\n[[sources]]\nname = "served"\npaths = ["{inbox}"]\n',
        encoding="utf-8",
    )
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "NEWSETL_"))},
        "PREFECT_HOME": str(tmp / "home"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_CLI_PROMPT": "false",
        "PREFECT_SERVER_API_HOST": "127.0.0.1",
        "PREFECT_SERVER_API_PORT": str(port),
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        # On a busy machine the server's SQLite waits longer for its lock before answering 503, and the worker's and
        # flow runs' clients retry more: the defaults (10 s, 5 retries) are tuned for an idle server.
        "PREFECT_SERVER_DATABASE_TIMEOUT": "60",
        "PREFECT_SERVER_DATABASE_CONNECTION_TIMEOUT": "30",
        "PREFECT_SERVER_LOG_RETRYABLE_ERRORS": "true",
        "PREFECT_CLIENT_MAX_RETRIES": "10",
        "NEWSETL_HOME": str(REPO_ROOT),
        "NEWSETL_SOURCES_FILE": str(sources),
        "NEWSETL_DB_PATH": str(tmp / "warehouse.duckdb"),
    }
    procs: list[subprocess.Popen[bytes]] = []
    try:
        procs.append(
            _start(
                [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                env,
                tmp / "server.log",
            )
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or procs[0].poll() is not None:
                pytest.fail("prefect server did not start:\n" + (tmp / "server.log").read_text()[-3000:])
            time.sleep(0.5)
        for args in (
            [PREFECT, "work-pool", "create", "newsetl", "--type", "process"],
            [PREFECT, "--no-prompt", "deploy", "--name", "samples"],
        ):
            done = subprocess.run(args, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stdout + done.stderr
        procs.append(
            _start(
                [PREFECT, "worker", "start", "--pool", "newsetl", "--type", "process"],
                env,
                tmp / "worker.log",
            )
        )
        yield {"api": api, "env": env, "db": tmp / "warehouse.duckdb", "tmp": tmp}
    finally:
        for proc in reversed(procs):
            _stop(proc)
        leftovers = [p.pid for p in procs if p.poll() is None]
        assert not leftovers, f"still running: {leftovers}"


def _trigger(stack: dict[str, object], name: str = "samples") -> str:
    api = str(stack["api"])
    deployment = _api("GET", f"{api}/deployments/name/ingest_news/{name}").json()
    response = _api("POST", f"{api}/deployments/{deployment['id']}/create_flow_run", json={})
    response.raise_for_status()
    return str(response.json()["id"])


def _wait(stack: dict[str, object], run_id: str, timeout: float = 180) -> str:
    api = str(stack["api"])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _api("GET", f"{api}/flow_runs/{run_id}").json()["state"]["type"]
        if state in TERMINAL:
            return str(state)
        time.sleep(1)
    worker_log = Path(str(stack["tmp"])) / "worker.log"
    pytest.fail(f"flow run {run_id} did not finish in {timeout}s:\n{worker_log.read_text()[-3000:]}")


def _artifact(stack: dict[str, object], run_id: str) -> str:
    api = str(stack["api"])
    found = _api(
        "POST", f"{api}/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [run_id]}}}
    ).json()
    return "\n".join(str(a.get("data")) for a in found)


def test_deployment_runs_load_the_warehouse_once(stack: dict[str, object]) -> None:
    first = _trigger(stack)
    assert _wait(stack, first) == "COMPLETED", (Path(str(stack["tmp"])) / "worker.log").read_text()[-3000:]
    with connect(Path(str(stack["db"])), read_only=True) as conn:
        assert conn.execute("SELECT count(*), max(reporter) FROM articles").fetchone() == (1, "张莉")
        assert conn.execute("SELECT flow_run_id, n_loaded FROM runs").fetchall() == [(first, 1)]
        roles = conn.execute("SELECT count(*) FROM roles").fetchone()[0]
    assert "loaded | 1" in _artifact(stack, first)

    second = _trigger(stack)
    assert _wait(stack, second) == "COMPLETED"
    with connect(Path(str(stack["db"])), read_only=True) as conn:
        assert conn.execute(
            "SELECT n_loaded, n_unchanged FROM runs WHERE flow_run_id = ?", [second]
        ).fetchone() == (0, 1)
        assert conn.execute("SELECT count(*) FROM roles").fetchone()[0] == roles


def test_two_runs_at_once_do_not_write_together(stack: dict[str, object]) -> None:
    runs = [_trigger(stack), _trigger(stack)]
    assert [_wait(stack, r) for r in runs] == ["COMPLETED", "COMPLETED"]
    with connect(Path(str(stack["db"])), read_only=True) as conn:
        spans = conn.execute(
            "SELECT started_at, finished_at FROM runs WHERE list_contains(?, flow_run_id) ORDER BY started_at",
            [runs],
        ).fetchall()
    assert len(spans) == 2
    assert spans[0][1] <= spans[1][0], f"runs overlapped: {spans}"


def test_newsetl_serve_runs_a_source(stack: dict[str, object]) -> None:
    """`newsetl serve` (no work pool) registers a source's deployment and executes a run triggered on it."""
    api, env, tmp = str(stack["api"]), dict(stack["env"]), Path(str(stack["tmp"]))  # type: ignore[call-overload]
    newsetl = str(Path(sys.executable).with_name("newsetl"))
    serve = _start([newsetl, "serve", "--source", "served"], env, tmp / "serve.log")
    try:
        deadline = time.monotonic() + 90
        while _api("GET", f"{api}/deployments/name/ingest_news/served").status_code != 200:
            if time.monotonic() > deadline or serve.poll() is not None:
                pytest.fail("newsetl serve did not register:\n" + (tmp / "serve.log").read_text()[-3000:])
            time.sleep(1)
        deployment = _api("GET", f"{api}/deployments/name/ingest_news/served").json()
        assert deployment["work_pool_name"] is None  # only the serve process can run it
        run = _trigger(stack, "served")
        assert _wait(stack, run) == "COMPLETED", (tmp / "serve.log").read_text()[-3000:]
        with connect(Path(str(stack["db"])), read_only=True) as conn:
            row = conn.execute("SELECT status, n_unchanged FROM runs WHERE flow_run_id = ?", [run]).fetchone()
        assert row == ("completed", 1)
    finally:
        _stop(serve)
    assert serve.poll() is not None
