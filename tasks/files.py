"""Find input files and read them into RawDocuments; the only module here that touches the file system."""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, NamedTuple, TypeVar

from tasks.transforms.inputs import SUPPORTED_SUFFIXES, media_type_for, parse_json_line, readable_path
from tasks.transforms.models import RawDocument, Reject, RejectedInput

# Larger single files are not news articles; refusing them keeps one bad file from exhausting memory.
MAX_FILE_BYTES = 20 * 1024 * 1024
# JSONL files are read in slices of this many lines so that memory stays flat however big the file is.
JSONL_SLICE_LINES = 200
# Threads that read and hash a batch's files (map_in_threads): past the cores of a small machine they only queue.
IO_THREADS = min(4, os.cpu_count() or 1)
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class InputRef:
    """One file, or a slice of lines [line_start, line_end) of a JSONL file (1-based).

    path is the name as the file system has it (non-UTF-8 bytes as surrogate escapes, so the file can be
    opened); error is set for a folder that could not be read, which read_ref turns into a reject.
    """

    path: str
    line_start: int = 0
    line_end: int = 0
    error: str = ""
    byte_start: int = (
        0  # where line_start begins in the file, so a slice is read without re-reading the ones before
    )


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class _Found(NamedTuple):
    path: Path
    is_folder: bool
    is_canonical: bool  # reached from a resolved root through no symlink: the path is already its resolve()


def _walk(
    root: Path, visited: set[tuple[int, int]], max_depth: int | None = None
) -> Iterator[_Found | InputRef]:
    """What lies under root (resolved), depth first in name order; an unreadable folder comes as an error InputRef.

    Symlinked folders are followed, but each folder (device, inode) only once, so a symlink loop ends. Memory
    holds the pending folders and one folder's sorted names, never the whole tree.
    """
    stack: list[tuple[Path, int, bool]] = [(root, 0, True)]
    while stack:
        folder, depth, canonical = stack.pop()
        try:
            info = folder.stat()
            key = (info.st_dev, info.st_ino)
            if key in visited:
                continue
            visited.add(key)
            with os.scandir(folder) as scan:
                # The entry's type comes with the listing (no stat per file); a symlink is examined further.
                entries = sorted(
                    (e.name, e.is_symlink(), e.is_dir(follow_symlinks=False))
                    for e in scan
                    if e.name[0] != "."
                )
        except OSError as exc:
            yield InputRef(str(folder), error=f"cannot read folder: {_reason(exc)}")
            continue
        subfolders = []
        for name, is_link, is_folder in entries:
            path = folder / name
            if is_link:
                is_folder = path.is_dir()  # follows the link; False when it cannot be examined
            yield _Found(path, is_folder, canonical and not is_link)
            if is_folder and (max_depth is None or depth < max_depth):
                subfolders.append((path, depth + 1, canonical and not is_link))
        stack.extend(reversed(subfolders))


def _glob_regex(pattern_parts: list[str]) -> re.Pattern[str]:
    """A regex for a path relative to the glob's root: `**` spans folders, `*` and `?` stay within a name."""
    pieces = []
    for index, part in enumerate(pattern_parts):
        if part == "**":
            # Inside a pattern: zero or more folders; at its end: everything below.
            pieces.append("(?:[^/]+/)*" if index < len(pattern_parts) - 1 else ".*/")
            continue
        out, i = "", 0
        while i < len(part):
            char = part[i]
            close = part.find("]", i + 2) if char == "[" else -1
            if char == "*":
                out += "[^/]*"
            elif char == "?":
                out += "[^/]"
            elif close > 0:
                body = part[i + 1 : close]
                out += "[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]"
                i = close
            else:
                out += re.escape(char)
            i += 1
        pieces.append(out + "/")
    return re.compile("".join(pieces).removesuffix("/") + r"\Z")


def _expand_glob(pattern: str, visited: set[tuple[int, int]]) -> Iterator[_Found | InputRef]:
    parts = pattern.split(os.sep)
    magic = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    root = Path(os.sep.join(parts[:magic]) or (os.sep if pattern.startswith(os.sep) else ".")).expanduser()
    rest = parts[magic:]
    regex = _glob_regex(rest)
    max_depth = None if "**" in rest else len(rest) - 1
    if not root.is_dir():
        return  # nothing can match under a folder that does not exist
    root = root.resolve()
    # A matching folder is expanded when the walk yields it, before the walk would enter it: sharing `visited`
    # then keeps the walk from reading it a second time.
    for item in _walk(root, visited, max_depth):
        if isinstance(item, InputRef):
            yield item
        elif regex.match(item.path.relative_to(root).as_posix()):
            yield from (_expand_folder(item.path, visited) if item.is_folder else [item])


def _expand_folder(path: Path, visited: set[tuple[int, int]]) -> Iterator[_Found | InputRef]:
    for item in _walk(path, visited):
        if isinstance(item, InputRef) or (
            not item.is_folder and item.path.suffix.lower() in SUPPORTED_SUFFIXES
        ):
            yield item


def _expand(path_or_glob: str, visited: set[tuple[int, int]]) -> Iterator[_Found | InputRef]:
    path = Path(path_or_glob).expanduser()
    if path.is_dir():
        yield from _expand_folder(path.resolve(), visited)
    elif path.exists() or not glob.has_magic(path_or_glob):
        # Named explicitly (an unsupported type is rejected with a reason), or missing: rejected too.
        yield _Found(path, False, False)
    else:
        yield from _expand_glob(path_or_glob, visited)


def discover_inputs(paths: Iterable[str], slice_lines: int = JSONL_SLICE_LINES) -> Iterator[InputRef]:
    """Files under the given files, folders and globs, JSONL files split into slices; each file once.

    Streams: a folder is visited once per input. Files already yielded are remembered only when several inputs
    are given (one may contain another) or when reached through a symlink, so memory stays flat over one tree.
    """
    given = list(paths)
    seen: set[str] = set()
    for one in given:
        # Folders visited per input: two globs over one tree each see all of it; `seen` drops the repeats.
        for item in _expand(one, set()):
            if isinstance(item, InputRef):
                yield item
                continue
            key = str(item.path) if item.is_canonical else str(item.path.resolve())
            if len(given) > 1 or not item.is_canonical:
                if key in seen:
                    continue
                seen.add(key)
            if item.path.suffix.lower() == ".jsonl" and item.path.is_file():
                yield from _jsonl_slices(item.path, key, max(1, slice_lines))
            else:
                yield InputRef(key)


def _jsonl_slices(path: Path, key: str, slice_lines: int) -> Iterator[InputRef]:
    starts: list[int] = []  # byte offset of each slice's first line
    n_lines = offset = 0
    try:
        with path.open("rb") as handle:
            for line in handle:
                if n_lines % slice_lines == 0:
                    starts.append(offset)
                n_lines += 1
                offset += len(line)
    except OSError:
        yield InputRef(key)  # read_ref rejects it with the reason
        return
    for k, start in enumerate(range(1, n_lines + 1, slice_lines)):
        yield InputRef(key, start, min(start + slice_lines, n_lines + 1), byte_start=starts[k])
    if n_lines == 0:
        yield InputRef(key)  # read_ref rejects it as empty


def _mtime(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None).isoformat()


def read_ref(ref: InputRef) -> tuple[list[RawDocument], list[Reject]]:
    """Read one input reference; problems become Rejects of stage 'read'."""
    path = Path(ref.path)
    uri = readable_path(ref.path)  # stored form of the name; ref.path still opens the file
    if ref.error:
        return [], [Reject(uri, "read", ref.error, b"")]
    try:
        if not path.is_file():
            raise RejectedInput("read", "no such file" if not path.exists() else "not a regular file", uri)
        size = path.stat().st_size
        if ref.line_start:
            return _read_jsonl_slice(path, ref, uri)
        if size > MAX_FILE_BYTES:
            raise RejectedInput("read", f"file too large ({size} bytes > {MAX_FILE_BYTES})", uri)
        payload = path.read_bytes()
        kind = media_type_for(uri, payload[:512])
        if kind == "jsonl":
            raise RejectedInput("read", "empty JSONL file", uri)
        if kind == "json":
            doc = parse_json_line(payload, uri)
            return [RawDocument(**{**doc.__dict__, "size": size, "mtime": _mtime(path)})], []
        return [RawDocument(uri, payload, kind, size=size, mtime=_mtime(path))], []
    except RejectedInput as exc:
        payload = b""
        if path.is_file() and path.stat().st_size <= MAX_FILE_BYTES:
            payload = path.read_bytes()
        return [], [Reject(uri, exc.stage, exc.reason, payload)]
    except OSError as exc:
        return [], [Reject(uri, "read", f"cannot read file: {_reason(exc)}", b"")]


def _read_jsonl_slice(path: Path, ref: InputRef, name: str) -> tuple[list[RawDocument], list[Reject]]:
    docs: list[RawDocument] = []
    rejects: list[Reject] = []
    mtime = _mtime(path)
    with path.open("rb") as handle:
        first = 1
        if ref.byte_start and _starts_line(handle, ref.byte_start):
            first = ref.line_start  # the slice's own bytes only: reading a big file stays linear in its size
        else:
            handle.seek(0)  # no offset, or the file changed since it was sliced: count lines from the top
        for number, line in enumerate(handle, start=first):
            if number < ref.line_start:
                continue
            if number >= ref.line_end:
                break
            uri = f"{name}#L{number}"
            if not line.strip():
                continue
            try:
                doc = parse_json_line(line, uri)
            except RejectedInput as exc:
                rejects.append(Reject(uri, exc.stage, exc.reason, line))
                continue
            docs.append(RawDocument(**{**doc.__dict__, "size": len(line), "mtime": mtime}))
    return docs, rejects


def _starts_line(handle: BinaryIO, offset: int) -> bool:
    """Whether a line begins at `offset` (the byte before it is a newline); leaves the handle there if so."""
    handle.seek(offset - 1)
    return handle.read(1) == b"\n"


def map_in_threads(fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """fn over items in order, on IO_THREADS threads when there are several: file reads and hashlib's digests of
    more than 2 KiB release the GIL, so a batch's reading and hashing use every core (a re-run over unchanged
    inputs does little else)."""
    if len(items) < 2 or IO_THREADS < 2:
        return [fn(item) for item in items]
    # One contiguous slice per thread: a pool task per item costs more than reading a small file.
    step = -(-len(items) // IO_THREADS)
    with ThreadPoolExecutor(max_workers=IO_THREADS) as pool:
        slices = pool.map(lambda at: [fn(item) for item in items[at : at + step]], range(0, len(items), step))
        return [out for part in slices for out in part]


def _read_ref_safely(ref: InputRef) -> tuple[list[RawDocument], list[Reject]]:
    try:
        return read_ref(ref)
    except Exception as exc:  # noqa: BLE001 - a bug on one input must not lose the rest of its batch
        reason = f"internal error: {type(exc).__name__}: {exc}"
        return [], [Reject(readable_path(ref.path), "internal", reason, b"")]


def read_refs(refs: Iterable[InputRef]) -> tuple[list[RawDocument], list[Reject]]:
    """Read a batch of input references (in order; several files at once)."""
    docs: list[RawDocument] = []
    rejects: list[Reject] = []
    for d, r in map_in_threads(_read_ref_safely, list(refs)):
        docs.extend(d)
        rejects.extend(r)
    return docs, rejects
