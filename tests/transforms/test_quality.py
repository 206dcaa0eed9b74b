"""The content-quality guard on the real tag-cloud page and on every real article of ../shared (none flagged)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tasks.transforms.models import RawDocument
from tasks.transforms.pipeline import process_document
from tasks.transforms.quality import assess_quality
from tests.conftest import SAMPLES, SHARED_DATA, needs_shared

GOLD_HTML = SHARED_DATA / "news_html_gold"
SPAM_PAGES = ("gne_silver/html/njxfhn/1.html",)  # a news story followed by a 170,000-character SEO tag cloud


def _html(path: Path) -> RawDocument:
    payload = path.read_bytes()
    return RawDocument(str(path), payload, "html", size=len(payload))


def _real_pages() -> list[Path]:
    if not GOLD_HTML.is_dir():
        return []
    pages = sorted(GOLD_HTML.rglob("*.html"))
    return [p for p in pages if p.relative_to(GOLD_HTML).as_posix() not in SPAM_PAGES]


def test_prose_is_ok() -> None:
    text = (SAMPLES / "china_daily_2025-04-20_liuzhou_ip_week.txt").read_text(encoding="utf-8")
    assert assess_quality(text).label == "ok"


def test_short_keyword_line_is_not_enough() -> None:
    # A page's tag line (a few hundred characters) does not make the page a keyword list.
    assert assess_quality("热门标签 " * 50 + "今天天气很好，我们出去走走。").label == "ok"


def test_synthetic_link_cloud_is_flagged() -> None:
    cloud = "\n".join(f"第{i}期 热门 话题{i} 下载" for i in range(100))
    quality = assess_quality(cloud)
    assert quality.label == "keyword_list"
    assert quality.reason and "clause marks" in quality.reason


def _random_han(chars: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    return "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(chars))


def test_random_han_text_is_garbled_and_gets_no_facts() -> None:
    text = "，".join(_random_han(40, seed) for seed in range(50)) + "。"  # punctuated, so not a keyword list
    assert assess_quality(text).label == "garbled"
    article = process_document(RawDocument("random.txt", text.encode("utf-8"), "text"))
    assert article.quality == "garbled" and article.quality_reason and "score" in article.quality_reason
    assert article.facts.mentions == () and article.body  # stored, marked, no facts


def test_news_decoded_with_the_wrong_codec_is_garbled() -> None:
    news = (SAMPLES / "china_daily_2025-04-20_liuzhou_ip_week.txt").read_text(encoding="utf-8")
    assert assess_quality(news.encode("gb18030").decode("big5", "replace")).label == "garbled"


def test_a_few_rare_characters_are_not_enough_evidence() -> None:
    assert assess_quality(_random_han(150)).label == "ok"


@needs_shared
@pytest.mark.shared
@pytest.mark.parametrize("page", SPAM_PAGES)
def test_tag_cloud_page_is_marked_and_gets_no_facts(page: str) -> None:
    article = process_document(_html(GOLD_HTML / page))
    assert article.quality == "keyword_list"
    assert article.quality_reason
    assert article.facts.mentions == () and article.facts.roles == ()
    assert len(article.body) > 100_000  # the body is kept: nothing is lost


@needs_shared
@pytest.mark.shared
def test_no_real_article_is_flagged() -> None:
    pages = _real_pages()
    assert len(pages) >= 80
    flagged = [str(p) for p in pages if process_document(_html(p)).quality != "ok"]
    assert flagged == []
