"""Real processes for the robustness tests: a corpus, a process holding the warehouse, the processes a run starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.chaos import descendants as children
from tasks.parallel import process_alive as is_alive
from tests.conftest import REPO_ROOT, SEED

NEWSETL = [sys.executable, "-m", "flows.cli"]

_HOLDER = """
import sys, time
from flows.writer import single_writer
from warehouse.connection import connect
db, mode, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
if mode == "writer":  # what a run holds: the write slot (lock file naming it) and a read-write connection
    with single_writer(db, holder="run held-by-test"):
        conn = connect(db, wait_seconds=60)
        print("held", flush=True)
        time.sleep(seconds)
        conn.close()
else:  # an analyst's long query, started whenever the file is free (between a run's batches)
    if mode == "reader-on-cue":  # imports done; connect when told (a line on stdin)
        print("ready", flush=True)
        sys.stdin.readline()
    conn = connect(db, read_only=True, wait_seconds=60)
    print("held", flush=True)
    time.sleep(seconds)
    conn.close()
"""


def write_corpus(path: Path, n: int, start: int = 0) -> Path:
    """n real articles (the seed with a marker per copy) as JSONL, each with its own URL."""
    text = SEED.read_text(encoding="utf-8")
    with path.open("w", encoding="utf-8") as handle:
        for i in range(start, start + n):
            record = {"url": f"https://example.cn/{i}", "text": f"{text}\n（第{i}号）"}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def hold(db: Path, mode: str, seconds: float) -> subprocess.Popen[str]:
    """A process that holds the database ('writer' or 'reader') for `seconds`; returns once it holds it.

    'reader-on-cue' returns once the process is ready; `cue(process)` makes it take the file.
    """
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(db), mode, str(seconds)],
        cwd=REPO_ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    expected = "ready" if mode == "reader-on-cue" else "held"
    assert process.stdout is not None and process.stdout.readline().strip() == expected
    return process


def cue(process: subprocess.Popen[str]) -> None:
    """Tell a 'reader-on-cue' holder to take the file now."""
    assert process.stdin is not None
    process.stdin.write("go\n")
    process.stdin.flush()


def wait_for_line(process: subprocess.Popen[str], needle: str, timeout: float = 120) -> list[str]:
    """Read the process's stderr until a line contains needle; the lines read."""
    assert process.stderr is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line:
            break
        lines.append(line)
        if needle in line:
            return lines
    raise AssertionError(f"never saw {needle!r}: {''.join(lines)[-2000:]}")


def ingest_process(
    *args: str, env: dict[str, str] | None = None, prefect: bool = False
) -> subprocess.Popen[str]:
    """`newsetl ingest ...` as a real process (local mode, or a Prefect flow run on a temporary server), stderr
    piped for its log lines."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("PREFECT_API_URL", None)
    return subprocess.Popen(
        [*NEWSETL, "ingest", *args, "--prefect" if prefect else "--no-prefect"],
        cwd=REPO_ROOT,
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


@contextmanager
def mounted_tmpfs(folder: Path, options: str) -> Iterator[Path]:
    """A tmpfs mounted on folder (e.g. "ro,size=64k" or "size=1m"); the test is skipped where mounting fails."""
    folder.mkdir(exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


__all__ = [
    "children",
    "cue",
    "hold",
    "ingest_process",
    "is_alive",
    "mounted_tmpfs",
    "wait_for_line",
    "write_corpus",
]
