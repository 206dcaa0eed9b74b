"""Deeply nested HTML: every character of text is kept, past libxml2's 2048-level limit too."""

from __future__ import annotations

import pytest

from tasks.transforms.html import extract_page
from tasks.transforms.models import RawDocument
from tasks.transforms.pipeline import process_document

DEEP_TEXT = "深处的正文写在第一千层，这是文章最重要的一段话。记者在现场看到了很多细节。"
SHALLOW_TEXT = "浅处的正文紧随其后，也是文章的一部分，同样不能丢。"


def nested_page(depth: int, tag: str = "div") -> str:
    """A page whose main paragraph sits `depth` elements deep, followed by a shallow one."""
    return (
        "<html><head><title>深层页面</title></head><body>"
        + f"<{tag}>" * depth
        + f"<p>{DEEP_TEXT}</p>"
        + f"</{tag}>" * depth
        + f"<p>{SHALLOW_TEXT}</p></body></html>"
    )


@pytest.mark.parametrize("depth", [255, 256, 300, 1000, 2000])
def test_deep_text_is_kept(depth: int) -> None:
    text = extract_page(nested_page(depth)).text
    assert DEEP_TEXT in text and SHALLOW_TEXT in text


@pytest.mark.parametrize("tag", ["div", "span", "font"])
def test_thousand_deep_page_keeps_every_paragraph(tag: str) -> None:
    assert extract_page(nested_page(1000, tag)).text.split("\n") == [DEEP_TEXT, SHALLOW_TEXT]


@pytest.mark.parametrize("depth", [3000, 20000])
def test_deeper_than_libxml2_goes_keeps_every_paragraph(depth: int) -> None:
    # libxml2 stops at 2048 levels even with huge_tree; the capped builder takes over and keeps all text.
    page = extract_page(nested_page(depth))
    assert page.text.split("\n") == [DEEP_TEXT, SHALLOW_TEXT] and page.title == "深层页面"


def test_paragraphs_past_the_cap_stay_separate_lines() -> None:
    deep = "".join(f"<p>第{i}段正文，内容完整，不能合并。</p>" for i in range(3))
    html = "<html><body>" + "<font>" * 4000 + deep + "</body></html>"
    assert extract_page(html).text.split("\n") == [f"第{i}段正文，内容完整，不能合并。" for i in range(3)]


def test_pipeline_keeps_the_text_of_a_very_deep_page() -> None:
    doc = RawDocument(source_uri="deep.html", payload=nested_page(5000).encode(), media_type="html")
    article = process_document(doc)
    assert DEEP_TEXT in article.body and SHALLOW_TEXT in article.body


def test_odd_markup_past_the_cap_is_read() -> None:
    odd = '<a"b x=1 "y"=2>名字怪的标签里的字</a"b><br/><img src=x><p>实体 &amp; &#x4e2d;文，结束。<script>var a = \'<p>\';</script>'
    page = extract_page("<html><head><title>怪页面</title></head><body>" + "<div>" * 3000 + odd)
    assert (
        "名字怪的标签里的字" in page.text and "实体 & 中文，结束。" in page.text and "var a" not in page.text
    )
