"""The search tokenizer: bigrams of Han runs, Latin/digit words; queries normalized like bodies."""

from __future__ import annotations

from collections import Counter

import pytest

from tasks.transforms.search_tokens import count_terms, parse_query, term_id, tokenize
from tests.conftest import SAMPLES


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


@pytest.mark.parametrize(
    "text",
    ["知识产权", "好", "GDP增长5%，A股3.5倍", "人 民", "a中b", "中", "Ａ股 ｘ", "", "\n\n上海\n"],
)
def test_counting_gives_the_terms_of_tokenize(text: str) -> None:
    assert count_terms(text) == Counter(tokenize(text))


def test_counting_gives_the_terms_of_tokenize_on_real_pages() -> None:
    texts = [p.read_text("utf-8", errors="replace") for p in sorted(SAMPLES.rglob("*")) if p.is_file()]
    assert len(texts) > 5
    for text in texts:
        assert count_terms(text) == Counter(tokenize(text))


def test_term_id_is_60_bits_of_md5() -> None:
    # md5("中国") is c13dceabcb143acd...: the first 15 hex digits, as the SQL macro reads them.
    assert term_id("中国") == 0xC13DCEABCB143AC
    assert 0 <= term_id("gdp") < 1 << 60


def test_traditional_query_is_simplified() -> None:
    assert parse_query("知識產權").terms == ("知识", "识产", "产权")


@pytest.mark.parametrize("quote", ['"{}"', "“{}”"], ids=["straight", "curly"])
def test_quoted_words_are_phrases(quote: str) -> None:
    parsed = parse_query(quote.format("知识产权") + " 柳州")
    assert parsed.phrases == ("知识产权",)
    assert parsed.terms == ("知识", "识产", "产权", "柳州")
