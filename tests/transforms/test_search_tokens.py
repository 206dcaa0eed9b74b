"""The search tokenizer: bigrams of Han runs, Latin/digit words; queries normalized like bodies."""

from __future__ import annotations

import random

import pytest

from tasks.transforms.search_tokens import count_terms, iter_terms, parse_query, term_id, term_table, tokenize
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


def _table_counts(text: str) -> dict[str, int]:
    table = term_table(text)
    terms = list(iter_terms(table.terms, chunk_chars=5))  # chunked splitting gives every term, in order
    assert terms == (table.terms.split("\n") if table.terms else [])
    assert len(terms) == len(set(terms)) == len(table.counts)
    return dict(zip(terms, table.counts.tolist(), strict=True))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "好",
        "中国中国",
        "GDP增长5%",
        "a中b",
        "Ａ股 ｘ",
        "\n\n上海\n",
        "İstanbul上海",
        "\ud800中国",
        "𠀀丽",
    ],
)
def test_term_table_counts_what_count_terms_counts(text: str) -> None:
    assert _table_counts(text) == count_terms(text)


def test_term_table_counts_what_count_terms_counts_on_real_and_random_texts() -> None:
    rng = random.Random(3)
    alphabet = "中国人民ab1 \n，𠀀丽\uf900\u4dbf\u3400\u9fffZ"
    texts = [p.read_text("utf-8", errors="replace") for p in sorted(SAMPLES.rglob("*")) if p.is_file()]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(300)]
    for text in texts:
        assert _table_counts(text) == count_terms(text), text[:80]


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
