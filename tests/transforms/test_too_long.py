"""An input whose text is longer than any article is rejected early, with its reason."""

from __future__ import annotations

import pytest

from tasks.transforms.models import RawDocument, RejectedInput
from tasks.transforms.pipeline import process_document, process_documents
from tests.conftest import SEED

PROSE = "国家知识产权局批准柳州螺蛳粉地理标志产品保护，当地产业产值增长明显。"


@pytest.mark.parametrize(
    ("media_type", "payload", "stage"),
    [
        ("text", (PROSE * 20).encode(), "normalize"),
        ("html", f"<html><body><article><p>{PROSE * 20}</p></article></body></html>".encode(), "html"),
    ],
    ids=["text", "html"],
)
def test_text_over_the_cap_is_rejected(media_type: str, payload: bytes, stage: str) -> None:
    doc = RawDocument("long.in", payload, media_type)
    with pytest.raises(RejectedInput) as caught:
        process_document(doc, max_text_bytes=len(PROSE.encode()) * 10)
    assert caught.value.stage == stage
    assert caught.value.reason.startswith("too long for an article")
    assert process_document(
        doc, max_text_bytes=len(PROSE.encode()) * 21
    ).body  # under the cap it is an article


def test_reject_keeps_the_bytes() -> None:
    payload = SEED.read_bytes()
    articles, rejects = process_documents([RawDocument("seed.txt", payload, "text")], max_text_bytes=100)
    assert articles == [] and rejects[0].payload == payload and rejects[0].stage == "normalize"


def test_the_cap_counts_bytes_of_utf8() -> None:
    han = "国家知识产权局批准" * 40  # 360 chars, 1080 bytes
    latin = "Liuzhou IP" * 36  # 360 chars, 360 bytes
    for text, kept in ((han, False), (latin, True)):
        doc = RawDocument("t.txt", text.encode(), "text")
        articles, rejects = process_documents([doc], max_text_bytes=1000)
        assert bool(articles) == kept, text[:10]
        if not kept:
            assert rejects[0].reason == "too long for an article: 1080 bytes of text > max_text_bytes 1000"
