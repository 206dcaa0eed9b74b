"""Find input files and read them into RawDocuments; the only module here that touches the file system."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tasks.transforms.inputs import SUPPORTED_SUFFIXES, media_type_for, parse_json_line
from tasks.transforms.models import RawDocument, Reject, RejectedInput

# Larger single files are not news articles; refusing them keeps one bad file from exhausting memory.
MAX_FILE_BYTES = 20 * 1024 * 1024
# JSONL files are read in slices of this many lines so that memory stays flat however big the file is.
JSONL_SLICE_LINES = 200


@dataclass(frozen=True)
class InputRef:
    """One file, or a slice of lines [line_start, line_end) of a JSONL file (1-based)."""

    path: str
    line_start: int = 0
    line_end: int = 0


def _expand(path_or_glob: str) -> Iterator[Path]:
    path = Path(path_or_glob).expanduser()
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_SUFFIXES:
                    yield Path(root) / name
    elif path.exists():
        yield path  # named explicitly: an unsupported type is rejected with a reason, not skipped
    elif glob.has_magic(path_or_glob):
        for match in sorted(glob.glob(str(path), recursive=True)):
            yield from _expand(match)
    else:
        yield path  # does not exist: read_refs rejects it with the reason


def discover_inputs(paths: Iterable[str], slice_lines: int = JSONL_SLICE_LINES) -> Iterator[InputRef]:
    """Files under the given files, folders and globs, JSONL files split into slices; each file once."""
    seen: set[str] = set()
    for given in paths:
        for path in _expand(given):
            key = str(path.resolve())
            if key in seen:
                continue
            seen.add(key)
            if path.suffix.lower() == ".jsonl" and path.is_file():
                yield from _jsonl_slices(path, key, max(1, slice_lines))
            else:
                yield InputRef(key)


def _jsonl_slices(path: Path, key: str, slice_lines: int) -> Iterator[InputRef]:
    with path.open("rb") as handle:
        n_lines = sum(1 for _ in handle)
    for start in range(1, n_lines + 1, slice_lines):
        yield InputRef(key, start, min(start + slice_lines, n_lines + 1))
    if n_lines == 0:
        yield InputRef(key)  # read_ref rejects it as empty


def _mtime(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None).isoformat()


def read_ref(ref: InputRef) -> tuple[list[RawDocument], list[Reject]]:
    """Read one input reference; problems become Rejects of stage 'read'."""
    path = Path(ref.path)
    try:
        if not path.is_file():
            raise RejectedInput(
                "read", "no such file" if not path.exists() else "not a regular file", ref.path
            )
        size = path.stat().st_size
        if ref.line_start:
            return _read_jsonl_slice(path, ref)
        if size > MAX_FILE_BYTES:
            raise RejectedInput("read", f"file too large ({size} bytes > {MAX_FILE_BYTES})", ref.path)
        payload = path.read_bytes()
        kind = media_type_for(path.name, payload[:512])
        if kind == "jsonl":
            raise RejectedInput("read", "empty JSONL file", ref.path)
        if kind == "json":
            doc = parse_json_line(payload, ref.path)
            return [RawDocument(**{**doc.__dict__, "size": size, "mtime": _mtime(path)})], []
        return [RawDocument(ref.path, payload, kind, size=size, mtime=_mtime(path))], []
    except RejectedInput as exc:
        payload = b""
        if path.is_file() and path.stat().st_size <= MAX_FILE_BYTES:
            payload = path.read_bytes()
        return [], [Reject(ref.path, exc.stage, exc.reason, payload)]
    except OSError as exc:
        return [], [Reject(ref.path, "read", f"cannot read file: {exc.strerror or exc}", b"")]


def _read_jsonl_slice(path: Path, ref: InputRef) -> tuple[list[RawDocument], list[Reject]]:
    docs: list[RawDocument] = []
    rejects: list[Reject] = []
    mtime = _mtime(path)
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if number < ref.line_start:
                continue
            if number >= ref.line_end:
                break
            uri = f"{ref.path}#L{number}"
            if not line.strip():
                continue
            try:
                doc = parse_json_line(line, uri)
            except RejectedInput as exc:
                rejects.append(Reject(uri, exc.stage, exc.reason, line))
                continue
            docs.append(RawDocument(**{**doc.__dict__, "size": len(line), "mtime": mtime}))
    return docs, rejects


def read_refs(refs: Iterable[InputRef]) -> tuple[list[RawDocument], list[Reject]]:
    """Read a batch of input references."""
    docs: list[RawDocument] = []
    rejects: list[Reject] = []
    for ref in refs:
        d, r = read_ref(ref)
        docs.extend(d)
        rejects.extend(r)
    return docs, rejects
