from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tasks.transforms.models import RawDocument, RejectedInput
from tasks.transforms.pipeline import detect_language, process_document


def test_feed_metadata_only_fills_gaps() -> None:
    html = (
        "<html><head><title>页面标题</title></head><body><article><p>"
        + "正文内容，" * 20
        + "</p></article></body></html>"
    )
    doc = RawDocument(
        "https://example.cn/a",
        html.encode(),
        "html",
        fallback_title="订阅标题",
        fallback_published_at="2024-01-02",
    )
    article = process_document(doc)
    assert article.title == "页面标题"
    # The page states no date: the feed's fills the gap (a bare date: that day's start in Asia/Shanghai).
    assert article.published_date == date(2024, 1, 2)
    assert article.published_at == datetime(2024, 1, 1, 16, 0, tzinfo=UTC)


def test_language() -> None:
    assert detect_language("国家知识产权局在柳州举行活动") == "zh"
    assert detect_language("The quick brown fox jumps over the lazy dog") == "other"


def test_a_short_text_keeps_its_facts_and_a_text_without_words_is_rejected() -> None:
    # A user's sentence is not a navigation stub: parse --json on one-line sentences must give their entities.
    article = process_document(RawDocument("s.txt", "李鹏在北京会见外宾。".encode(), "text"))
    assert {m.surface for m in article.facts.mentions} >= {"李鹏", "北京"}
    with pytest.raises(RejectedInput, match="no letter or digit"):
        process_document(RawDocument("e.txt", "……\n——".encode(), "text"))


def test_an_html_page_with_a_short_main_text_is_rejected() -> None:
    html = "<html><body><article><p>返回首页。</p></article></body></html>"
    with pytest.raises(RejectedInput, match="no main text"):
        process_document(RawDocument("https://example.cn/s", html.encode(), "html"))
