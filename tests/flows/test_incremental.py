"""A re-run skips unchanged inputs before decoding; new bytes or a new pipeline version re-process them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows.ingest import run_ingest
from tasks.transforms.facts.tagger import MODEL_PATH
from tasks.transforms.rows import pipeline_version
from tests.conftest import SAMPLES
from warehouse.connection import connect


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    shutil.copytree(SAMPLES, folder)
    return folder


def test_rerun_transforms_nothing(corpus: Path, tmp_path: Path, transformed: list[str]) -> None:
    db = str(tmp_path / "w.duckdb")
    first = run_ingest(paths=[str(corpus)], db_path=db, batch_size=4)
    assert first["counts"]["loaded"] > 3 and transformed
    transformed.clear()
    second = run_ingest(paths=[str(corpus)], db_path=db, batch_size=4)
    assert transformed == []
    assert second["counts"]["unchanged"] == first["counts"]["loaded"]
    assert second["counts"]["inputs"] == first["counts"]["inputs"]
    with connect(db, read_only=True) as conn:
        versions = conn.execute("SELECT DISTINCT pipeline_version FROM articles").fetchall()
    assert len(versions) == 1 and versions[0][0].startswith(pipeline_version() + "+")


def test_changed_bytes_are_transformed_again(corpus: Path, tmp_path: Path, transformed: list[str]) -> None:
    db = str(tmp_path / "w.duckdb")
    run_ingest(paths=[str(corpus)], db_path=db)
    edited = sorted(corpus.rglob("*.txt"))[0]
    edited.write_text(edited.read_text("utf-8") + "\n本报记者补充报道。", "utf-8")
    transformed.clear()
    second = run_ingest(paths=[str(corpus)], db_path=db)
    assert transformed == [str(edited.resolve())]
    assert second["counts"]["loaded"] == 1


def test_new_pipeline_version_transforms_everything_again(
    corpus: Path, tmp_path: Path, transformed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "w.duckdb")
    first = run_ingest(paths=[str(corpus)], db_path=db)
    transformed.clear()
    # What an edit to tasks/transforms or a new model file does to the fingerprint.
    monkeypatch.setattr("tasks.transforms.rows.code_fingerprint", lambda: "edited")
    second = run_ingest(paths=[str(corpus)], db_path=db)
    assert len(transformed) == first["counts"]["loaded"] + first["counts"]["rejected"]
    assert second["counts"]["loaded"] == first["counts"]["loaded"]
    with connect(db, read_only=True) as conn:
        versions = conn.execute("SELECT DISTINCT pipeline_version FROM articles").fetchall()
    assert len(versions) == 1 and versions[0][0].startswith(pipeline_version() + "+")
    assert "+edited+" in versions[0][0]


def test_another_model_or_time_zone_transforms_everything_again(
    corpus: Path, tmp_path: Path, transformed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "w.duckdb")
    first = run_ingest(paths=[str(corpus)], db_path=db)
    every = first["counts"]["loaded"] + first["counts"]["rejected"]
    model = tmp_path / "my_tagger.npz"
    shutil.copyfile(MODEL_PATH, model)
    monkeypatch.setenv("NEWSETL_NER_MODEL", str(model))
    for expected in (every, 0):  # a new model re-processes everything once, then nothing
        transformed.clear()
        run_ingest(paths=[str(corpus)], db_path=db)
        assert len(transformed) == expected
    monkeypatch.setenv("NEWSETL_TIMEZONE", "Europe/London")
    transformed.clear()
    run_ingest(paths=[str(corpus)], db_path=db)
    assert len(transformed) == every


def test_rerun_rejects_again_without_transforming(
    corpus: Path, tmp_path: Path, transformed: list[str]
) -> None:
    (corpus / "short.txt").write_text("——\n……", "utf-8")  # rejected by normalize: no letter or digit
    (corpus / "bad.jsonl").write_text(
        "{not json\n", "utf-8"
    )  # rejected when read: never reaches the transform
    db = str(tmp_path / "w.duckdb")
    first = run_ingest(paths=[str(corpus)], db_path=db, batch_size=4)
    assert first["counts"]["rejected"] == 2
    short = str(corpus / "short.txt")
    assert short in transformed
    with connect(db) as conn:
        # The stored verdict is what a re-run repeats: were the input transformed again, its fresh reason
        # would replace this one.
        conn.execute("UPDATE rejects SET reason = 'stored reason' WHERE source_uri = ?", [short])
    transformed.clear()
    second = run_ingest(paths=[str(corpus)], db_path=db, batch_size=4)
    assert transformed == []
    assert second["counts"]["rejected"] == 2 and second["counts"]["inputs"] == first["counts"]["inputs"]
    assert second["counts"]["unchanged"] == first["counts"]["loaded"]
    with connect(db, read_only=True) as conn:
        rows = conn.execute(
            "SELECT source_uri, stage, reason, run_id, pipeline_version FROM rejects ORDER BY source_uri"
        ).fetchall()
    by_uri = {r[0]: r[1:] for r in rows}
    assert by_uri[short] == ("normalize", "stored reason", second["run_id"], by_uri[short][3])
    assert by_uri[short][3] and by_uri[short][3].startswith(pipeline_version() + "+")
    assert (
        by_uri[str(corpus / "bad.jsonl") + "#L1"][0] == "read"
        and by_uri[str(corpus / "bad.jsonl") + "#L1"][3] is None
    )
    assert {r[3] for r in rows} == {second["run_id"]}  # both re-recorded under the run that saw them last
