"""`newsetl parse` in batches: the same records in input order whatever the batch size; records as asdict gave."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

import pytest

from flows.parse_output import (
    article_record,
    named_file_bytes,
    parse_lines,
    parse_records,
    plain,
    record_line,
)
from tasks.transforms.models import RawDocument
from tasks.transforms.pipeline import process_documents
from tests.conftest import SAMPLES


def _corpus(tmp_path: Path) -> Path:
    """A folder with two JSONL files (one line without a word: rejected), a text file and an HTML page."""
    folder = tmp_path / "in"
    folder.mkdir()
    records = (SAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    (folder / "a.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    short = json.dumps({"id": "s", "text": "……"}, ensure_ascii=False)
    (folder / "b.jsonl").write_text("\n".join([records[0], short, *records]) + "\n", encoding="utf-8")
    shutil.copy(SAMPLES / "china_daily_2025-04-20_liuzhou_ip_week.txt", folder / "c.txt")
    shutil.copy(SAMPLES / "news_cn_2023-11-17_drug_shortage_supply.html", folder / "d.html")
    return folder


def _lines(folder: Path, batch_docs: int) -> list[str]:
    records = parse_records([str(folder)], "Asia/Shanghai", 2_000_000, None, batch_docs=batch_docs)
    return [record_line(r) for r in records]


@pytest.mark.parametrize("batch_docs", [1, 3], ids=["one-per-batch", "three-per-batch"])
def test_batches_give_the_records_of_one_batch(tmp_path: Path, batch_docs: int) -> None:
    folder = _corpus(tmp_path)
    whole = _lines(folder, 10_000)
    assert _lines(folder, batch_docs) == whole
    sources = [json.loads(line)["source_uri"] for line in whole]
    names = [Path(s.partition("#")[0]).name for s in sources]
    assert names == sorted(names)  # input order: a.jsonl's lines, b.jsonl's, then c.txt and d.html
    b_lines = [s for s in sources if "b.jsonl" in s]
    assert b_lines == sorted(b_lines, key=lambda s: int(s.rpartition("#L")[2]))
    assert sum('"rejected": true' in line for line in whole) == 1


def test_article_record_holds_asdict_without_raw_body_offsets_and_index() -> None:
    path = SAMPLES / "china_daily_2025-04-20_liuzhou_ip_week.txt"
    articles, _ = process_documents([RawDocument(str(path), path.read_bytes(), "text")])
    (article,) = articles
    expected = {"id": "x", **asdict(article)}
    del expected["offsets"], expected["body_raw"], expected["index"]
    got = article_record(article, "x")
    assert json.dumps(plain(got), ensure_ascii=False, default=str) == json.dumps(
        expected, ensure_ascii=False, default=str
    )
    assert plain(got)["facts"]["mentions"]  # the comparison covers nested facts
    # The JSON line encodes the same record: dates as ISO strings, nested dataclasses as objects.
    assert json.loads(record_line(got)) == json.loads(json.dumps(expected, ensure_ascii=False, default=str))


def test_worker_processes_give_the_records_of_one_process(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    records = (SAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    many = [json.dumps({**json.loads(records[k % 2]), "id": f"m{k}"}, ensure_ascii=False) for k in range(150)]
    (folder / "e.jsonl").write_text("\n".join(many) + "\n", encoding="utf-8")

    def lines(workers: int) -> list[str]:
        got = parse_records(
            [str(folder)],
            "Asia/Shanghai",
            2_000_000,
            None,
            batch_docs=70,
            workers=workers,
            pool_after_bytes=0,
        )
        return [record_line(r) for r in got]

    alone = lines(1)
    assert len(alone) == 2 + 4 + 1 + 1 + 150  # a.jsonl, b.jsonl (one line rejected), c.txt, d.html, e.jsonl
    assert lines(2) == alone  # batches of >= 64 documents went to the pool, in input order


def test_named_file_bytes_counts_files_named_not_folders(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    big = folder / "big.jsonl"
    big.write_bytes(b"x" * 1000)
    assert named_file_bytes([str(folder)], 10) == 0  # a folder is streamed: its size is not known up front
    assert named_file_bytes([str(big), str(tmp_path / "missing.txt")], 10_000) == 1000
    assert named_file_bytes([str(big), str(big)], 500) == 1000  # stops once `enough` is reached


@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "worker-pool"])
def test_json_lines_encoded_where_parsed_equal_the_records_lines(tmp_path: Path, workers: int) -> None:
    folder = _corpus(tmp_path)
    records = (SAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    # Read rejects too: a line that is no JSON inside a JSONL file, and a whole .json file that is no JSON.
    # e.jsonl's 70 lines make a batch big enough for the pool (MIN_PARALLEL_DOCS).
    many = [records[k % 2] for k in range(70)]
    (folder / "e.jsonl").write_text("\n".join([*many[:35], "{not json", *many[35:]]) + "\n", encoding="utf-8")
    (folder / "f.json").write_text("{not json either", encoding="utf-8")
    options = ("Asia/Shanghai", 2_000_000, None)
    expected = [record_line(r) for r in parse_records([str(folder)], *options, batch_docs=80)]
    got = list(parse_lines([str(folder)], *options, batch_docs=80, workers=workers, pool_after_bytes=0))
    assert got == expected
    rejected = [json.loads(line) for line in got if '"rejected": true' in line]
    assert [("id" in r, r["stage"]) for r in rejected] == [
        (True, "normalize"),
        (True, "read"),
        (False, "read"),
    ]
