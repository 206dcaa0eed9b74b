"""A run killed mid-way (os._exit after its second batch commits) loses nothing committed and no article is half
written; the next run marks it crashed and loads the rest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO_ROOT, SEED
from warehouse.connection import connect

_CRASHING_RUN = """
import os, sys
import tasks.load as load
real = load.repository.upsert_articles
calls = []
def upsert_then_die(conn, batch, run_id):
    result = real(conn, batch, run_id)
    calls.append(1)
    if len(calls) == 2:
        os._exit(9)  # a hard crash right after the second batch committed: no cleanup, no finish_run
    return result
load.repository.upsert_articles = upsert_then_die
from flows.ingest import run_ingest
run_ingest(paths=[sys.argv[1]], db_path=sys.argv[2], batch_size=4)
"""


def _corpus(path: Path, n: int) -> None:
    text = SEED.read_text(encoding="utf-8")
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            handle.write(
                json.dumps(
                    {"url": f"https://example.cn/{i}", "text": f"{text}\n（第{i}号）"}, ensure_ascii=False
                )
                + "\n"
            )


def test_hard_crash_keeps_committed_batches_whole(tmp_path: Path) -> None:
    corpus, db = tmp_path / "in.jsonl", tmp_path / "w.duckdb"
    _corpus(corpus, 12)
    env_cmd = [sys.executable, "-c", _CRASHING_RUN, str(corpus), str(db)]
    done = subprocess.run(env_cmd, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 9, done.stderr[-2000:]

    with connect(db, read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (8,)  # two batches of 4
        # Every stored article has all its facts: no article without its roles, no facts without their article.
        per_article = conn.execute(
            "SELECT a.article_id, (SELECT count(*) FROM roles r WHERE r.article_id = a.article_id) FROM articles a"
        ).fetchall()
        # The articles differ only in a suffix, so a complete one has as many roles as any other, and more than 0.
        counts = {n for _, n in per_article}
        assert len(counts) == 1 and counts.pop() > 0, per_article
        orphans = conn.execute(
            "SELECT count(*) FROM roles WHERE article_id NOT IN (SELECT article_id FROM articles)"
        )
        assert orphans.fetchone() == (0,)
        assert conn.execute("SELECT status FROM runs").fetchall() == [("running",)]

    from flows.ingest import run_ingest

    summary = run_ingest(paths=[str(corpus)], db_path=str(db), batch_size=4)
    assert (summary["counts"]["loaded"], summary["counts"]["unchanged"]) == (4, 8)
    with connect(db, read_only=True) as conn:
        assert conn.execute("SELECT count(*) FROM articles").fetchone() == (12,)
        statuses = [r[0] for r in conn.execute("SELECT status FROM runs ORDER BY started_at").fetchall()]
        assert statuses == ["crashed", "completed"]
