"""A fingerprint of the extraction code and its model files, so the pipeline version follows them."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

TRANSFORMS_DIR = Path(__file__).resolve().parent
# Every file but caches and prose: source files and whatever model or lexicon files they load (any format), since a
# change to any of them can change what an input yields; a model card or README edit does not.
_NOT_FINGERPRINTED = (".pyc", ".md")


def fingerprint_files(root: Path) -> list[Path]:
    """The files under root that decide the pipeline's output, in a stable order (caches excluded)."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and path.suffix not in _NOT_FINGERPRINTED
        and "__pycache__" not in path.parts
        and not path.name.startswith(".")
    )


def fingerprint_tree(root: Path) -> str:
    """12 hex chars of sha256 over each file's relative path and bytes."""
    digest = hashlib.sha256()
    for path in fingerprint_files(root):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


@cache
def code_fingerprint() -> str:
    """The fingerprint of tasks/transforms (code and model files), computed once per process."""
    return fingerprint_tree(TRANSFORMS_DIR)
