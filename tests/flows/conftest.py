from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from prefect.testing.utilities import prefect_test_harness

import tasks.parallel
from tasks.transforms.models import RawDocument
from tests.conftest import SAMPLES, SEED


@pytest.fixture(scope="session", autouse=True)
def prefect_harness():
    """One temporary Prefect API (SQLite) for every flow test: real Prefect, no server to start by hand."""
    # 60 s was not enough once on a 2-core machine shared with five other test runs (load average 12).
    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The bundled samples plus inputs that must be rejected with a reason."""
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.html").write_bytes(b"<html><body><nav>home</nav></body></html>")
    with (folder / "bad.jsonl").open("w", encoding="utf-8") as handle:
        handle.write(
            '{"url": "https://example.cn/1", "title": "标题", "text": "'
            + SEED.read_text("utf-8")[:300].replace("\n", " ")
            + '"}\n'
        )
        handle.write("{not json\n")
        handle.write('{"url": "https://example.cn/3"}\n')
    return folder


@pytest.fixture
def transformed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The source URIs that reach the transform, run after run."""
    seen: list[str] = []
    original = tasks.parallel.process_for_load

    def spy(docs: list[RawDocument], *args: object) -> object:
        seen.extend(d.source_uri for d in docs)
        return original(docs, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(tasks.parallel, "process_for_load", spy)
    # A pool an earlier test left up would take even a small batch, and the spy is not picklable.
    tasks.parallel.shutdown_pool()
    return seen
