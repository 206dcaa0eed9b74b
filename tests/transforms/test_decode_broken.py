"""Decode stage on damaged input: real pages with broken multibyte sequences, stray byte-order marks."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from tasks.transforms.decode import decode_bytes
from tasks.transforms.decode_scoring import CJK_CODECS
from tasks.transforms.models import DecodeError, RawDocument
from tasks.transforms.pipeline import process_document
from tests.conftest import SHARED_DATA, needs_shared

FIXTURES = Path(__file__).parents[1] / "fixtures" / "encoding"
SIMPLIFIED = (FIXTURES / "expected_simplified.txt").read_text(encoding="utf-8")
GOLD_HTML = SHARED_DATA / "news_html_gold"
ENCODINGS = SHARED_DATA / "encoding_detection"
XINHUA_GB = GOLD_HTML / "trafilatura_eval/html/archive.org.he.xinhuanet.com.25340717.html"
FAMILY = {"gb18030": "gb18030", "big5hkscs": "big5hkscs", "utf-8": "utf-8"}


def break_sequences(payload: bytes, codec: str, count: int) -> tuple[bytes, set[int]]:
    """Delete the last byte of `count` evenly spaced multibyte characters; return the bytes and the lines hit."""
    text = payload.decode(codec)
    sizes = [len(ch.encode(codec)) for ch in text]
    multibyte = [i for i, size in enumerate(sizes) if size > 1]
    assert len(multibyte) > count, "page too small for that many breaks"
    chosen = {multibyte[(k + 1) * len(multibyte) // (count + 1)] for k in range(count)}
    out = b"".join(ch.encode(codec)[:-1] if i in chosen else ch.encode(codec) for i, ch in enumerate(text))
    marked = "".join(ch + "\x00" * (i in chosen) for i, ch in enumerate(text)).splitlines()
    lines = {n for n, line in enumerate(marked) if "\x00" in line}
    return out, lines


PAGES = [
    ("news_html_gold/trafilatura_eval/html/archive.org.he.xinhuanet.com.25340717.html", "gb18030"),
    ("encoding_detection/chardet/GB2312/softsea.net.xml", "gb18030"),
    ("encoding_detection/chardet/GB2312/lily.blogsome.com.xml", "gb18030"),
    ("encoding_detection/chardet/Big5/upsaid.com.xml", "big5hkscs"),
    ("encoding_detection/chardet/Big5/sanwenji.blogspot.com.xml", "big5hkscs"),
    ("news_html_gold/fundus/People_2024_04_24.html", "utf-8"),
    ("news_html_gold/readability_mozilla/qq/source.html", "utf-8"),  # declares gb2312, is UTF-8
]


@needs_shared
@pytest.mark.shared
@pytest.mark.parametrize("count", [1, 4, 12])
@pytest.mark.parametrize(
    ("name", "codec"), PAGES, ids=[Path(name).parent.name + "/" + Path(name).name for name, _ in PAGES]
)
def test_broken_sequences_cost_only_their_lines(name: str, codec: str, count: int) -> None:
    payload = (SHARED_DATA / name).read_bytes()
    original = payload.decode(codec).splitlines()
    broken, hit = break_sequences(payload, codec, count)
    decoded = decode_bytes(broken, source_uri=name)
    assert decoded.encoding == FAMILY[codec]
    lines = decoded.text.splitlines()
    assert len(lines) == len(original)
    # A GB/Big5 reader that loses a trail byte pairs the next bytes wrongly up to the next ASCII byte, as
    # browsers do; every other line must come through intact.
    intact = [i for i in range(len(original)) if i not in hit]
    assert [lines[i] for i in intact] == [original[i] for i in intact]
    assert decoded.errors <= count and decoded.confidence < 1.0
    if codec == "utf-8":  # UTF-8 resynchronises at once: each broken char is exactly one U+FFFD
        assert decoded.errors == count
        assert decoded.text.count("\ufffd") == payload.decode(codec).count("\ufffd") + count


@needs_shared
@pytest.mark.shared
def test_issue_reproduction_four_trail_bytes_deleted_is_decoded_as_declared() -> None:
    broken, _ = break_sequences(XINHUA_GB.read_bytes(), "gb18030", 4)
    decoded = decode_bytes(broken, source_uri=XINHUA_GB.name)
    assert (decoded.encoding, decoded.method) == ("gb18030", "declared")
    assert "新华网" in decoded.text and 1 <= decoded.errors <= 4


@needs_shared
@pytest.mark.shared
@pytest.mark.parametrize("count", [40, 150, 400])
def test_heavily_broken_gb_page_is_never_read_as_a_single_byte_codec(count: int) -> None:
    broken, _ = break_sequences(XINHUA_GB.read_bytes(), "gb18030", count)
    try:
        decoded = decode_bytes(broken, source_uri=XINHUA_GB.name)
    except DecodeError:
        return  # too broken to read is an acceptable answer; a Cyrillic reading is not
    assert decoded.encoding in CJK_CODECS


@needs_shared
@pytest.mark.shared
def test_decode_errors_reach_the_article() -> None:
    broken, _ = break_sequences(XINHUA_GB.read_bytes(), "gb18030", 4)
    article = process_document(RawDocument(source_uri="x.html", payload=broken, media_type="html"))
    clean = process_document(
        RawDocument(source_uri="x.html", payload=XINHUA_GB.read_bytes(), media_type="html")
    )
    assert clean.decode_errors == 0 and 1 <= article.decode_errors <= 4


@pytest.mark.parametrize("codec", ["gbk", "big5", "utf-8"])
def test_committed_fixture_with_a_broken_sequence_decodes(codec: str) -> None:
    text = (
        SIMPLIFIED if codec != "big5" else (FIXTURES / "expected_traditional.txt").read_text(encoding="utf-8")
    )
    payload, _ = break_sequences(text.encode(codec), codec, 1)
    decoded = decode_bytes(payload)
    assert decoded.encoding == {"gbk": "gb18030", "big5": "big5hkscs", "utf-8": "utf-8"}[codec]
    assert decoded.errors <= 1 and decoded.confidence < 1.0


# ---- byte-order marks must agree with the bytes ------------------------------------------------------------


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE], ids=["ff-fe", "fe-ff"])
@pytest.mark.parametrize(
    "body",
    [
        SIMPLIFIED,
        "<html><head><title>新闻</title></head><body><p>" + SIMPLIFIED + "</p></body></html>",
        "plain ascii text here",
    ],
    ids=["chinese", "html", "ascii"],
)
def test_stray_utf16_bom_before_utf8_is_dropped(bom: bytes, body: str) -> None:
    decoded = decode_bytes(bom + body.encode("utf-8"))
    assert decoded.text == body and decoded.encoding == "utf-8"
    assert decoded.repair is not None and "stray" in decoded.repair and decoded.confidence < 1.0


def test_stray_utf16_bom_before_gbk_is_dropped() -> None:
    decoded = decode_bytes(codecs.BOM_UTF16_LE + SIMPLIFIED.encode("gbk"))
    assert (decoded.text, decoded.encoding) == (SIMPLIFIED, "gb18030")


def test_stray_utf8_bom_before_gbk_is_dropped() -> None:
    decoded = decode_bytes(codecs.BOM_UTF8 + SIMPLIFIED.encode("gbk"))
    assert (decoded.text, decoded.encoding) == (SIMPLIFIED, "gb18030")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_agreeing_bom_is_trusted(codec: str) -> None:
    payload = SIMPLIFIED.encode(codec)
    if codec == "utf-16-be":
        payload = codecs.BOM_UTF16_BE + payload
    decoded = decode_bytes(payload)
    assert (decoded.text, decoded.method, decoded.confidence) == (SIMPLIFIED, "bom", 1.0)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", ["你好世界", "一个", "柳州市长"])
def test_short_utf16_text_behind_its_bom_is_trusted(codec: str, text: str) -> None:
    # 你好世界 in UTF-16-LE is valid UTF-8 (60 4F 7D 59 16 4E 4C 75): only its control byte says it is not 8-bit text.
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    decoded = decode_bytes(bom + text.encode(codec))
    assert (decoded.text, decoded.method) == (text, "bom")


@pytest.mark.parametrize("bom", [codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE], ids=["ff-fe", "fe-ff"])
@pytest.mark.parametrize(
    "junk", [b"\x00\x01notes.bak", b"ab\x00cdefgh", b"\x00temporary file", b"PK\x00\x00zip"]
)
def test_ascii_junk_behind_a_utf16_bom_is_binary_not_han(bom: bytes, junk: bytes) -> None:
    # Read as UTF-16 pairs of ASCII bytes are mostly rare Hanzi: the mark alone is no evidence against the bytes.
    with pytest.raises(DecodeError, match="binary data"):
        decode_bytes(bom + junk)


def test_junk_read_as_rare_hanzi_behind_a_bom_is_binary() -> None:
    # ff fe 00 67 61 72 ... read as UTF-16-LE is 最牡慢敧, one common Hanzi in four; it was loaded as an article.
    with pytest.raises(DecodeError, match="binary data"):
        decode_bytes(codecs.BOM_UTF16_LE + b"\x00garbage")


def test_bom_alone_is_rejected() -> None:
    with pytest.raises(DecodeError, match="byte-order mark"):
        decode_bytes(codecs.BOM_UTF16_LE)


def test_decode_errors_reach_the_article_without_shared_data() -> None:
    payload, _ = break_sequences(SIMPLIFIED.encode("utf-8"), "utf-8", 2)
    article = process_document(RawDocument(source_uri="broken.txt", payload=payload, media_type="text"))
    assert article.decode_errors == 2 and article.encoding_confidence < 1.0
