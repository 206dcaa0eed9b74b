from __future__ import annotations

import pytest

from tasks.transforms.models import RawDocument
from tasks.transforms.pipeline import detect_language, normalize_published, process_document


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2023-05-12T10:20:00+08:00", "2023-05-12T02:20:00"),
        ("2023-05-12T02:20:00Z", "2023-05-12T02:20:00"),
        ("2023-05-12 10:20", "2023-05-12T02:20:00"),  # no offset: China Standard Time
        ("2023年5月12日 10:20", "2023-05-12T02:20:00"),
        ("2023-05-12", "2023-05-12"),
        ("2023年05月12日", "2023-05-12"),
        ("明天", None),
        ("2023-13-40", None),
        ("", None),
    ],
    ids=["offset", "zulu", "naive-cst", "chinese-time", "date", "chinese-date", "words", "invalid", "empty"],
)
def test_normalize_published(given: str, expected: str | None) -> None:
    assert normalize_published(given) == expected


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
    assert article.published_at == "2024-01-02"  # the page states no date: the feed's fills the gap


def test_language() -> None:
    assert detect_language("国家知识产权局在柳州举行活动") == "zh"
    assert detect_language("The quick brown fox jumps over the lazy dog") == "other"
