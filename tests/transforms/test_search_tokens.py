"""The search tokenizer: bigrams of Han runs, Latin/digit words; queries normalized like bodies."""

from __future__ import annotations

import pytest

from tasks.transforms.search_tokens import count_terms, parse_query, tokenize


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("知识产权", ["知识", "识产", "产权"]),
        ("好", ["好"]),
        ("GDP增长5%", ["gdp", "增长", "5"]),
        ("中国，日报", ["中国", "日报"]),
        ("人 民", ["人", "民"]),
        ("", []),
    ],
    ids=["bigrams", "single-char", "latin-and-digits", "punctuation-splits", "space-splits", "empty"],
)
def test_tokenize(text: str, terms: list[str]) -> None:
    assert tokenize(text) == terms


def test_counts_are_term_frequencies() -> None:
    assert count_terms("中国中国") == {"中国": 2, "国中": 1}


def test_traditional_query_is_simplified() -> None:
    assert parse_query("知識產權").terms == ("知识", "识产", "产权")


@pytest.mark.parametrize("quote", ['"{}"', "“{}”"], ids=["straight", "curly"])
def test_quoted_words_are_phrases(quote: str) -> None:
    parsed = parse_query(quote.format("知识产权") + " 柳州")
    assert parsed.phrases == ("知识产权",)
    assert parsed.terms == ("知识", "识产", "产权", "柳州")
