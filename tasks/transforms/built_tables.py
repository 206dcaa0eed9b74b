"""Tables built from the package's data files, kept on disk beside them so the next process loads instead of builds.

Building the entity automaton (100 K words), the tagger's float32 weights and the char-class table cost ~0.8 s of
CPU in every process that transforms (each worker's fork server, a one-shot `newsetl parse`); loading them back
costs ~0.05 s. jieba keeps its prefix dictionary the same way.

A table is a hidden file in data/ named after what it is built from (a hash of its inputs), so a changed input
gets a new file and never reads a stale one; hidden files are left out of the pipeline's fingerprint (version.py)
and out of git. Writes go to a temporary file renamed into place, so a process never reads a half-written table;
a folder that cannot be written (a read-only install) only means the table is built in each process.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TypeVar

TABLES_DIR = Path(__file__).resolve().parent / "facts" / "data"
_PREFIX = ".built-"
T = TypeVar("T")


def inputs_key(*parts: bytes) -> str:
    """16 hex chars of sha256 over the inputs a table is built from."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:16]


def package_version(name: str) -> bytes:
    """The installed version of a package whose objects a table pickles (their format may change with it)."""
    try:
        return version(name).encode()
    except PackageNotFoundError:
        return b""


def table_path(name: str, key: str, suffix: str) -> Path:
    """Where the table `name` built from inputs `key` is kept."""
    return TABLES_DIR / f"{_PREFIX}{name}-{key}{suffix}"


def load_or_build(
    name: str,
    key: str,
    suffix: str,
    load: Callable[[Path], T],
    build: Callable[[], T],
    save: Callable[[T, Path], object],
) -> T:
    """The table read from its file; else built, saved for the next process (best effort) and returned.

    A file that fails to load (cut short, another format) is built again and replaced."""
    path = table_path(name, key, suffix)
    if path.is_file():
        try:
            return load(path)
        except Exception:  # noqa: BLE001 - a damaged cache file is rebuilt, never trusted
            pass
    table = build()
    _save_quietly(table, path, save, name)
    return table


def _save_quietly(table: T, path: Path, save: Callable[[T, Path], object], name: str) -> None:
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".tmp-{name}-", suffix=path.suffix, dir=path.parent)
    except OSError:
        return  # a read-only install: every process builds its own
    os.close(fd)
    try:
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would keep other users of the install building their own
        save(table, Path(tmp))
        os.replace(tmp, path)
    except Exception:  # noqa: BLE001 - a cache that cannot be written costs time, not correctness
        Path(tmp).unlink(missing_ok=True)
        return
    for old in path.parent.glob(f"{_PREFIX}{name}-*{path.suffix}"):
        if old != path:
            old.unlink(missing_ok=True)  # a table of inputs that changed since: never read again
