"""An article's index entry: its search postings and story signature, made by the transform for the load."""

from __future__ import annotations

from collections import Counter

import numpy as np

from tasks.files import discover_inputs, read_refs
from tasks.transforms.index_entry import index_entry
from tasks.transforms.models import IndexEntry
from tasks.transforms.pipeline import process_documents, process_for_load
from tasks.transforms.search_tokens import searchable_text, term_id, tokenize
from tasks.transforms.stories import story_signature
from tests.conftest import SAMPLES


def _postings(entry: IndexEntry) -> tuple[list[int], list[int]]:
    ids = np.frombuffer(entry.term_ids, dtype="<i8").tolist()
    return ids, np.frombuffer(entry.term_counts, dtype="<i4").tolist()


def test_entry_holds_each_term_id_once_with_its_count() -> None:
    entry = index_entry("柳州 GDP", "知识产权，知识产权。")
    ids, counts = _postings(entry)
    expected = {term_id(t): n for t, n in Counter(tokenize("柳州 GDP\n知识产权，知识产权。")).items()}
    assert dict(zip(ids, counts, strict=True)) == expected
    assert len(set(ids)) == len(ids) == 5  # 柳州, gdp, 知识, 识产, 产权: each once, counted twice
    signature = story_signature("知识产权，知识产权。")
    assert (entry.signature, entry.band_keys) == (signature.values, signature.band_keys)


def test_an_entry_without_terms_is_empty() -> None:
    assert _postings(index_entry(None, "，。！")) == ([], [])


def test_articles_for_a_load_carry_their_entry_and_parse_articles_do_not() -> None:
    docs, _ = read_refs(discover_inputs([str(SAMPLES)]))
    loaded, _ = process_for_load(docs[:4])
    parsed, _ = process_documents(docs[:4])
    assert loaded and all(a.index == index_entry(a.title, a.body) for a in loaded)
    assert all(a.index is None for a in parsed)
    terms = Counter(tokenize(searchable_text(loaded[0].title, loaded[0].body)))
    assert sum(_postings(loaded[0].index)[1]) == sum(terms.values()) > 100
