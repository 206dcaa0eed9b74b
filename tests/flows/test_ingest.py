from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from flows import batches
from flows.ingest import add_progress_listener, batched_refs, ingest_news, run_ingest
from tasks.files import InputRef
from tasks.transforms.models import RawDocument
from tests.conftest import SAMPLES, SEED
from warehouse import repository
from warehouse.connection import connect


def _rows(db: Path) -> dict[str, int]:
    with connect(db, read_only=True) as conn:
        return {
            k: v for k, v in repository.table_counts(conn).items() if k not in ("runs", "schema_migrations")
        }


def test_ingest_loads_rejects_and_is_idempotent(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    n_samples = sum(1 for p in SAMPLES.rglob("*") if p.suffix in (".txt", ".html", ".htm", ".json"))
    n_sample_lines = sum(1 for p in SAMPLES.rglob("*.jsonl") for line in p.open() if line.strip())

    first = ingest_news(paths=[str(corpus)], db_path=str(db), batch_size=3)
    counts = first["counts"]
    assert counts["rejected"] == 4, first["rejects"]  # junk.txt, empty.html, 2 bad JSONL lines
    assert counts["loaded"] == n_samples + n_sample_lines + 1
    assert counts["inputs"] == counts["loaded"] + counts["rejected"]
    rows = _rows(db)

    second = ingest_news(paths=[str(corpus)], db_path=str(db), batch_size=3)
    assert second["counts"]["loaded"] == 0
    assert second["counts"]["unchanged"] == counts["loaded"]
    assert _rows(db) == rows, "re-ingesting the same inputs must not add rows"

    with connect(db, read_only=True) as conn:
        rejects = dict(conn.execute("SELECT stage, count(*) FROM rejects GROUP BY stage").fetchall())
        assert rejects == {"decode": 1, "html": 1, "read": 2}
        reasons = [r[0] for r in conn.execute("SELECT reason FROM rejects ORDER BY source_uri").fetchall()]
        assert all(len(r) > 5 for r in reasons)
        runs = conn.execute("SELECT status, n_loaded, n_unchanged FROM runs ORDER BY started_at").fetchall()
        assert runs == [("completed", counts["loaded"], 0), ("completed", 0, counts["loaded"])]
        payload = conn.execute("SELECT payload FROM rejects WHERE source_uri LIKE '%junk.txt'").fetchone()[0]
        assert bytes(payload) == bytes(range(256)) * 8


def test_seed_facts_reach_the_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    ingest_news(paths=[str(SEED)], db_path=str(db))
    with connect(db, read_only=True) as conn:
        article = conn.execute(
            "SELECT agency, bureau, reporter, script_original, body FROM articles"
        ).fetchone()
        assert article[:4] == ("中国日报社", "广西记者站", "张莉", "hant")
        assert "国家知识产权局" in article[4] and "柳州螺蛳粉" in article[4]
        titles = set(conn.execute("SELECT title, organization FROM roles WHERE person = '张壮'").fetchall())
        assert ("市长", "柳州市人民政府") in titles
        spans = conn.execute(
            "SELECT r.title, substr(a.body, r.start_pos + 1, r.end_pos - r.start_pos) FROM roles r JOIN articles a USING (article_id)"
        ).fetchall()
        assert all(title in span for title, span in spans)
        metrics = {r[0] for r in conn.execute("SELECT value FROM metrics").fetchall()}
        assert {68.0, 32.0, 3185.0, 14.1} <= metrics


def test_batches_weigh_jsonl_slices() -> None:
    refs = [InputRef("a"), InputRef("b.jsonl", 1, 201), InputRef("c"), InputRef("d")]
    assert [len(b) for b in batched_refs(refs, 200)] == [2, 2]


def test_default_paths_come_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "defaults"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    monkeypatch.setenv("NEWSETL_DEFAULT_PATHS", str(folder))
    summary = ingest_news(db_path=str(tmp_path / "w.duckdb"))
    assert summary["counts"]["loaded"] == 1
    assert json.dumps(summary)  # the summary is plain JSON (it is also the flow's return value)


def test_local_mode_runs_the_same_stages_without_prefect(tmp_path: Path) -> None:
    from flows.ingest import run_ingest

    db = tmp_path / "w.duckdb"
    summary = run_ingest(paths=[str(SEED)], db_path=str(db))
    assert summary["counts"]["loaded"] == 1
    with connect(db, read_only=True) as conn:
        assert conn.execute("SELECT status, flow_run_id FROM runs").fetchone() == ("completed", None)
        assert conn.execute("SELECT count(*) FROM roles WHERE person = '张壮'").fetchone()[0] >= 2


def test_batches_of_large_pages_are_loaded_in_parts_with_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = run_ingest(paths=[str(SAMPLES)], db_path=str(tmp_path / "whole.duckdb"))
    monkeypatch.setattr(batches, "BATCH_MAX_BYTES", 1)  # every page a part of its own
    progress: list[tuple[int, int]] = []
    remove = add_progress_listener(lambda done, total: progress.append((done, total)))
    try:
        parts = run_ingest(paths=[str(SAMPLES)], db_path=str(tmp_path / "parts.duckdb"))
    finally:
        remove()
    assert parts["counts"] == whole["counts"] and parts["facts"] == whole["facts"]
    assert _rows(tmp_path / "parts.duckdb") == _rows(tmp_path / "whole.duckdb")
    assert len(progress) == parts["counts"]["inputs"] and progress[-1][0] == progress[-1][1]


def test_byte_parts_keep_order_and_never_split_a_document() -> None:
    docs = [RawDocument(f"d{i}", b"x" * size, "text") for i, size in enumerate([5, 5, 12, 1, 1])]
    parts = batches.byte_parts(docs, 10)
    assert [[d.source_uri for d in p] for p in parts] == [["d0", "d1"], ["d2"], ["d3", "d4"]]
    assert batches.byte_parts([], 10) == [[]]


def test_a_run_over_its_memory_budget_lets_go_of_the_file_after_each_load_with_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = run_ingest(paths=[str(SAMPLES)], db_path=str(tmp_path / "whole.duckdb"))
    monkeypatch.setattr(batches, "BATCH_MAX_BYTES", 1)  # a load per page
    monkeypatch.setattr(batches, "RELEASE_ABOVE_RSS_MB", 0)  # every process is over it
    released: list[bool] = []
    real_release = batches.HeldWarehouse.release
    monkeypatch.setattr(
        batches.HeldWarehouse,
        "release",
        lambda held: released.append(held._conn is not None) or real_release(held),
    )
    again = run_ingest(paths=[str(SAMPLES)], db_path=str(tmp_path / "released.duckdb"))
    assert again["counts"] == whole["counts"] and again["facts"] == whole["facts"]
    assert _rows(tmp_path / "released.duckdb") == _rows(tmp_path / "whole.duckdb")
    assert (
        released.count(True) >= whole["counts"]["loaded"]
    )  # the file was open, and closed, after every load


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="resident memory is read from Linux /proc")
def test_resident_memory_is_measured() -> None:
    assert 20 < batches.resident_mb() < 4096
