"""`newsetl parse`: inputs read and processed in batches (bounded memory), output records in input order."""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

from flows.json_values import field_names, json_value
from tasks.files import InputRef, discover_inputs, read_refs
from tasks.transforms.inputs import record_id
from tasks.transforms.models import Article, RawDocument, Reject

if TYPE_CHECKING:  # the stages are imported when the first batch is, so `parse` can start the workers first
    from tasks.parallel import BatchWork, PendingTransform

# Documents per process_documents call: the tagger's per-call cost is paid once per batch (a JSONL slice is 200
# lines), while memory stays bounded by one batch of documents.
PARSE_BATCH_DOCS = 400
# Input bytes parsed in-process before batches go to the worker pool: starting the workers costs ~1 s (each
# imports the stages and loads the model), which ~0.5 MB of short texts takes to parse, so smaller inputs never
# pay it and larger ones do once. Files named on the command line that hold more than this go to the pool from
# the first batch (on the MSRA test x5, 3 MB of JSONL: 19.4 -> 15.3 s wall).
PARSE_POOL_AFTER_BYTES = 512 * 1024
# Article fields the parse output leaves out: the raw body, the offset map (one int per character) and the index
# entry (made for a load only).
_OMITTED = frozenset({"offsets", "body_raw", "index"})


def plain(value: Any) -> Any:
    """Dataclasses as dicts and tuples as lists, recursively: what dataclasses.asdict gives for JSON, without
    its deep copy of every leaf (it took a quarter of `parse`'s time on short texts)."""
    names = field_names(type(value))
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def article_record(article: Article, doc_id: str | None) -> dict[str, Any]:
    """The article as one output record: its id (JSONL inputs), then its fields without body_raw and offsets.

    Values stay as the article holds them (facts are dataclasses): record_line encodes them for JSON in one
    pass, plain() turns them into dicts and lists for anything else."""
    record: dict[str, Any] = {"id": doc_id}
    for name in field_names(Article) or ():
        if name not in _OMITTED:
            record[name] = getattr(article, name)
    return record


def record_line(record: dict[str, Any]) -> str:
    """One output record as a JSON line: the encoder walks tuples and dicts in C and asks json_value for the rest
    (building plain dicts first took a quarter of `parse`'s main process)."""
    return json.dumps(record, ensure_ascii=False, default=json_value)


def line_number(source_uri: str) -> int:
    """The line of a JSONL record (`file.jsonl#L12` -> 12); 0 for a whole file."""
    _, sep, line = source_uri.rpartition("#L")
    return int(line) if sep and line.isdigit() else 0


def _ref_records(
    docs: list[RawDocument], rejects: list[Reject], articles: list[Article], more: list[Reject]
) -> list[dict[str, Any]]:
    """The records of one input (a file or JSONL slice), in line order; `id` only for JSONL records."""
    ids = {d.source_uri: d.doc_id for d in docs} | {r.source_uri: record_id(r.payload) for r in rejects}
    records = [article_record(a, ids.get(a.source_uri)) for a in articles] + [
        {"id": ids.get(r.source_uri), "source_uri": r.source_uri,
         "rejected": True, "stage": r.stage, "reason": r.reason}
        for r in rejects + more
    ]  # fmt: skip
    if not any(r["source_uri"].rpartition("#L")[1] for r in records):
        for record in records:
            record.pop("id", None)
    records.sort(key=lambda rec: line_number(rec["source_uri"]))  # output lines follow input lines
    return records


def article_line(article: Article, doc_id: str | None) -> str:
    """One article's JSON line: its record with `id` only for a JSONL record (as _ref_records gives it)."""
    record = article_record(article, doc_id)
    if not article.source_uri.rpartition("#L")[1]:
        record.pop("id")  # a whole file: its input holds no JSONL record, so no record of it has an id
    return record_line(record)


def encoded_articles(
    docs: list[RawDocument], timezone: str, max_text_bytes: int, ner_model: str | None
) -> tuple[list[tuple[str, str]], list[Reject]]:
    """process_documents, with each article encoded as its JSON line where it was made: a worker sends back
    strings, which unpickle ~10x faster than the articles and their facts (`parse --json` over many texts)."""
    from tasks.transforms.pipeline import process_documents

    articles, rejects = process_documents(docs, timezone, max_text_bytes, ner_model)
    ids = {d.source_uri: d.doc_id for d in docs}
    return [(a.source_uri, article_line(a, ids.get(a.source_uri))) for a in articles], rejects


def _ref_lines(
    docs: list[RawDocument], rejects: list[Reject], lines: list[tuple[str, str]], more: list[Reject]
) -> list[str]:
    """The JSON lines of one input, in line order: its articles' (encoded already) and its rejects'."""
    rejected = _ref_records(docs, rejects, [], more)
    if any(uri.rpartition("#L")[1] for uri, _ in lines):  # the ref is JSONL: its rejects keep their ids too
        ids = {d.source_uri: d.doc_id for d in docs} | {r.source_uri: record_id(r.payload) for r in rejects}
        rejected = [{"id": ids.get(r["source_uri"]), **r} for r in rejected]
    found = [*lines, *((r["source_uri"], record_line(r)) for r in rejected)]
    found.sort(key=lambda item: line_number(item[0]))  # output lines follow input lines
    return [line for _, line in found]


def _batches(
    refs: Iterable[InputRef], batch_docs: int
) -> Iterator[list[tuple[list[RawDocument], list[Reject]]]]:
    """Inputs read one by one and grouped until a group holds `batch_docs` documents."""
    group: list[tuple[list[RawDocument], list[Reject]]] = []
    size = 0
    for ref in refs:
        group.append(read_refs([ref]))
        size += len(group[-1][0])
        if size >= batch_docs:
            yield group
            group, size = [], 0
    if group:
        yield group


def named_file_bytes(paths: list[str], enough: int) -> int:
    """Bytes of the regular files among `paths` (folders and globs count 0), summed until `enough` is reached."""
    total = 0
    for path in paths:
        if total >= enough:
            break
        try:
            total += os.path.getsize(path) if os.path.isfile(path) else 0
        except OSError:
            continue  # read_refs reports it
    return total


def parse_records(
    paths: list[str],
    timezone: str,
    max_text_bytes: int,
    ner_model: str | None,
    batch_docs: int = PARSE_BATCH_DOCS,
    workers: int = 1,
    pool_after_bytes: int = PARSE_POOL_AFTER_BYTES,
) -> Iterator[dict[str, Any]]:
    """Every input's output records, in input order; documents processed `batch_docs` at a time.

    With `workers` > 1, once `pool_after_bytes` of input were parsed (or at once when the named files hold that
    much), batches go to the transform process pool (as `ingest`'s do), one batch ahead of the one written out."""
    options = (timezone, max_text_bytes, ner_model, batch_docs, workers, pool_after_bytes)
    from tasks.transforms.pipeline import process_documents

    return _per_ref(_transformed(paths, *options, work=process_documents), _ref_records)


def parse_lines(
    paths: list[str],
    timezone: str,
    max_text_bytes: int,
    ner_model: str | None,
    batch_docs: int = PARSE_BATCH_DOCS,
    workers: int = 1,
    pool_after_bytes: int = PARSE_POOL_AFTER_BYTES,
) -> Iterator[str]:
    """What parse_records gives, as JSON lines (record_line), the articles' encoded where they were processed."""
    options = (timezone, max_text_bytes, ner_model, batch_docs, workers, pool_after_bytes)
    return _per_ref(_transformed(paths, *options, work=encoded_articles), _ref_lines)


_Group = list[tuple[list[RawDocument], list[Reject]]]
T = TypeVar("T")


def _transformed(
    paths: list[str],
    timezone: str,
    max_text_bytes: int,
    ner_model: str | None,
    batch_docs: int,
    workers: int,
    pool_after_bytes: int,
    work: BatchWork,
) -> Iterator[tuple[_Group, tuple[list[Any], list[Reject]]]]:
    """Each group of inputs with what `work` gave for its documents, in input order, one group ahead."""
    from tasks.parallel import submit_documents

    pending: deque[tuple[_Group, PendingTransform[Any]]] = deque()
    read = named_file_bytes(paths, pool_after_bytes)
    for group in _batches(discover_inputs(paths), batch_docs):
        docs = [d for ref_docs, _ in group for d in ref_docs]
        processes = workers if read >= pool_after_bytes else 1
        read += sum(len(d.payload) for d in docs)
        pending.append((group, submit_documents(docs, processes, timezone, max_text_bytes, ner_model, work)))
        if len(pending) > 1:
            done, transform = pending.popleft()
            yield done, transform.result()
    while pending:
        done, transform = pending.popleft()
        yield done, transform.result()


def _per_ref(
    transformed: Iterator[tuple[_Group, tuple[list[Any], list[Reject]]]],
    outputs_of: Callable[[list[RawDocument], list[Reject], list[Any], list[Reject]], list[T]],
) -> Iterator[T]:
    """What `outputs_of` makes of each input's documents, read rejects, outputs and processing rejects, in order."""
    for group, (outputs, more) in transformed:
        for (ref_docs, rejects), (ref_outputs, ref_more) in zip(
            group, _by_ref(group, outputs, more), strict=True
        ):
            yield from outputs_of(ref_docs, rejects, ref_outputs, ref_more)


def _by_ref(group: _Group, outputs: list[Any], more: list[Reject]) -> list[tuple[list[Any], list[Reject]]]:
    """A group's outputs (articles, or (source_uri, line) pairs) and rejects split by the input they came from."""
    owner = {d.source_uri: k for k, (ref_docs, _) in enumerate(group) for d in ref_docs}
    by_ref: list[tuple[list[Any], list[Reject]]] = [([], []) for _ in group]
    for out in outputs:
        by_ref[owner[out.source_uri if isinstance(out, Article) else out[0]]][0].append(out)
    for r in more:
        by_ref[owner[r.source_uri]][1].append(r)
    return by_ref
