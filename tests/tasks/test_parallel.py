from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import replace

from tasks.files import discover_inputs, read_refs
from tasks.parallel import (
    MIN_PARALLEL_BYTES,
    MIN_PARALLEL_DOCS,
    _chunks,
    kill_pool,
    process_alive,
    shutdown_pool,
    submit_documents,
    transform_documents,
)
from tasks.transforms.models import RawDocument
from tasks.transforms.pipeline import process_documents, process_for_load
from tests.conftest import SAMPLES


def _corpus(n: int) -> list[RawDocument]:
    docs, _ = read_refs(discover_inputs([str(SAMPLES)]))
    junk = RawDocument("junk.txt", bytes(range(256)) * 4, "text")
    base = [*docs, junk]
    return [
        replace(base[i % len(base)], source_uri=f"{base[i % len(base)].source_uri}#{i}") for i in range(n)
    ]


def test_parallel_transform_equals_serial_in_order() -> None:
    docs = _corpus(MIN_PARALLEL_DOCS + 6)
    try:
        parallel = transform_documents(docs, workers=2)
    finally:
        shutdown_pool()
    serial = process_for_load(docs)
    assert [a.source_uri for a in parallel[0]] == [a.source_uri for a in serial[0]]
    assert parallel[0] == serial[0]
    assert [(r.source_uri, r.stage, r.reason) for r in parallel[1]] == [
        (r.source_uri, r.stage, r.reason) for r in serial[1]
    ]


def test_chunks_keep_order_and_cover_everything() -> None:
    docs = _corpus(50)
    chunks = _chunks(docs, 4)
    assert 1 < len(chunks) <= 4
    assert [d for c in chunks for d in c] == docs


def test_few_large_documents_go_to_the_workers_and_few_small_ones_stay() -> None:
    small = _corpus(3)
    large = [replace(d, payload=d.payload * (MIN_PARALLEL_BYTES // 3 // len(d.payload) + 1)) for d in small]
    try:
        assert not submit_documents(small, workers=2).on_pool
        assert submit_documents(large, workers=2).on_pool
    finally:
        kill_pool()  # the large batch's result is not needed


def test_a_dead_run_not_yet_reaped_counts_as_dead() -> None:
    # A killed run whose parent has not reaped it yet (a zombie) must still stop its workers: they hold its stderr,
    # and a parent waiting for that pipe to close would wait forever.
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 30
    while process_alive(child.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        assert not process_alive(child.pid)
        assert process_alive(os.getpid())
    finally:
        child.wait()


def test_a_run_of_small_batches_gets_the_pool_once_it_is_big_as_a_whole() -> None:
    from flows.transform_runners import PoolTransforms, TransformOptions

    runner = PoolTransforms(TransformOptions(workers=2))
    batches = [_corpus(10) for _ in range(MIN_PARALLEL_DOCS // 10 + 2)]
    try:
        pending = [runner.submit(b) for b in batches]
        on_pool = [p.on_pool for p in pending]  # type: ignore[attr-defined]
        # Each batch alone is small: the first ones stay in-process, the rest go to the pool once the run is big.
        assert on_pool[0] is False
        assert on_pool[-1] is True
        assert on_pool == sorted(on_pool)
        assert [a.source_uri for p in pending for a in p.result()[0]] == [
            a.source_uri for b in batches for a in process_documents(b)[0]
        ]
    finally:
        shutdown_pool()
