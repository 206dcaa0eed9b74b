"""Stories: copies of one real page share a story_id, across batches and runs; different pages stay apart."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tasks.files import discover_inputs, read_refs
from tasks.transforms.pipeline import process_documents
from tasks.transforms.rows import to_rows
from tests.conftest import SAMPLES
from warehouse import repository
from warehouse.connection import connect
from warehouse.migrate import migrate

BOILERPLATE = "\n本文来源：新华网 责任编辑：王某 未经授权不得转载。"


@pytest.fixture(scope="module")
def articles() -> list:
    docs, _ = read_refs(discover_inputs([str(SAMPLES)]))
    found, _ = process_documents(docs)
    return [a for a in found if len(a.body) > 500]


@pytest.fixture
def conn(tmp_path: Path):
    with connect(tmp_path / "w.duckdb") as c:
        migrate(c)
        repository.start_run(c, "run1", None)
        yield c


def _copy(article, source: str, body: str | None = None):
    return replace(article, source_uri=source, url=None, body=body or article.body, content_sha256=source)


def _trimmed(body: str) -> str:
    """A syndicated copy: last paragraph dropped, a credit line added."""
    paragraphs = body.split("\n")
    return "\n".join(paragraphs[:-1]) + BOILERPLATE


def _stories(conn) -> dict[str, str]:
    return dict(conn.execute("SELECT source_uri, story_id FROM articles").fetchall())


def test_every_article_has_a_story_and_distinct_pages_are_singletons(conn, articles: list) -> None:
    repository.upsert_articles(conn, [to_rows(a) for a in articles], "run1")
    stories = _stories(conn)
    assert len(set(stories.values())) == len(articles)
    rows = conn.execute("SELECT count(*), min(n_articles), max(n_articles) FROM stories").fetchone()
    assert rows == (len(articles), 1, 1)


def test_identical_and_trimmed_copies_join_in_one_batch(conn, articles: list) -> None:
    original = articles[0]
    batch = [
        original,
        _copy(original, "copy1"),
        _copy(original, "copy2", _trimmed(original.body)),
        *articles[1:],
    ]
    repository.upsert_articles(conn, [to_rows(a) for a in batch], "run1")
    stories = _stories(conn)
    assert stories["copy1"] == stories["copy2"] == stories[original.source_uri]
    assert len(set(stories.values())) == len(articles)


def test_a_copy_in_a_later_run_joins_the_stored_story(conn, articles: list) -> None:
    repository.upsert_articles(conn, [to_rows(a) for a in articles], "run1")
    original = articles[1]
    repository.start_run(conn, "run2", None)
    repository.upsert_articles(conn, [to_rows(_copy(original, "later", _trimmed(original.body)))], "run2")
    stories = _stories(conn)
    assert stories["later"] == stories[original.source_uri]
    story = conn.execute(
        "SELECT n_articles, len(sources) FROM stories WHERE story_id = ?", [stories["later"]]
    )
    assert story.fetchone() == (2, 2)


def test_story_counts_count_a_syndicated_story_once(conn, articles: list) -> None:
    original = next(a for a in articles if a.facts.mentions)
    copies = [_copy(original, f"copy{i}") for i in range(3)]
    repository.upsert_articles(conn, [to_rows(a) for a in [original, *copies]], "run1")
    n_articles, n_stories = conn.execute(
        "SELECT max(n_articles), max(n_stories) FROM entity_counts"
    ).fetchone()
    assert (n_articles, n_stories) == (4, 1)
