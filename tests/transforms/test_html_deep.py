"""Deeply nested HTML: every character of text is kept, or the page is rejected with the reason."""

from __future__ import annotations

import pytest

from tasks.transforms.html import HtmlError, extract_page
from tasks.transforms.models import RawDocument, RejectedInput
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


def test_deeper_than_the_parser_can_go_is_rejected_with_the_reason() -> None:
    with pytest.raises(HtmlError, match="nested deeper than 2048 levels") as err:
        extract_page(nested_page(5000), url="https://example.com/deep")
    assert err.value.stage == "html" and err.value.source_uri == "https://example.com/deep"


def test_pipeline_turns_too_deep_html_into_a_reject_not_a_short_article() -> None:
    doc = RawDocument(source_uri="deep.html", payload=nested_page(5000).encode(), media_type="html")
    with pytest.raises(RejectedInput, match="nested deeper"):
        process_document(doc)
