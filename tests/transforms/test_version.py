"""The pipeline fingerprint follows code and model files, and nothing else."""

from __future__ import annotations

from pathlib import Path

from tasks.transforms.rows import PIPELINE_VERSION, pipeline_version
from tasks.transforms.version import code_fingerprint, fingerprint_tree


def _tree(root: Path) -> None:
    (root / "facts" / "data").mkdir(parents=True)
    (root / "stage.py").write_text("X = 1\n")
    (root / "facts" / "data" / "lexicon.tsv").write_text("北京\tlocation\n")


def test_fingerprint_changes_with_code_and_model_files(tmp_path: Path) -> None:
    _tree(tmp_path)
    before = fingerprint_tree(tmp_path)
    assert fingerprint_tree(tmp_path) == before
    (tmp_path / "facts" / "data" / "lexicon.tsv").write_text("上海\tlocation\n")
    after_model = fingerprint_tree(tmp_path)
    (tmp_path / "stage.py").write_text("X = 2\n")
    after_code = fingerprint_tree(tmp_path)
    (tmp_path / "facts" / "data" / "tagger.weights").write_bytes(b"\x00\x01")  # a model in any format counts
    assert len({before, after_model, after_code, fingerprint_tree(tmp_path)}) == 4


def test_fingerprint_ignores_caches_and_other_files(tmp_path: Path) -> None:
    _tree(tmp_path)
    before = fingerprint_tree(tmp_path)
    (tmp_path / "__pycache__").mkdir()
    (tmp_path / "__pycache__" / "stage.cpython-311.pyc").write_bytes(b"\0")
    (tmp_path / "notes.md").write_text("draft")
    assert fingerprint_tree(tmp_path) == before


def test_pipeline_version_combines_constant_and_fingerprint() -> None:
    assert pipeline_version() == f"{PIPELINE_VERSION}+{code_fingerprint()}"
