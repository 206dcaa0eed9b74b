"""The chaos script's CI form: kills and a SIGTERM during real runs, a reader looping, the end equal to a clean run."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_chaos_short_form_ends_equal_to_a_clean_run() -> None:
    done = subprocess.run(
        [sys.executable, "bench/chaos.py", "--short"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.stdout, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["ok"], json.dumps(report, ensure_ascii=False, indent=1)
    assert report["chaos"]["articles"] == report["clean"]["articles"] > 0
    assert done.returncode == 0
