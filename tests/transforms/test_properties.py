"""Property tests (hypothesis) over decode, HTML, normalize and extract: contracts that hold for any input.

Examples are drawn from the seed article's own characters and sentences (so the extractors see Chinese news
text, ruby readings, Traditional chars, numbers) and from arbitrary Unicode and bytes. Example counts stay
modest so the suite stays fast on 2 cores.
"""

from __future__ import annotations

import codecs
import os
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks.transforms.decode import decode_bytes
from tasks.transforms.facts import extract_facts
from tasks.transforms.html import extract_page
from tasks.transforms.models import DecodedText, Page, RejectedInput
from tasks.transforms.normalize import is_han, normalize_text
from tests.conftest import SEED

# NEWSETL_PROPERTY_EXAMPLES=2000 for a longer hunt; 100 keeps `make test` fast.
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("NEWSETL_PROPERTY_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_LINES = [line for line in SEED_TEXT.splitlines() if line.strip()]
SEED_CHARS = sorted(
    set(SEED_TEXT) | set("，。、；：？！“”‘’（）《》【】…—·0123456789%.,:;!?()\n\t 　\u200b\ufeff")
)

seed_pieces = st.lists(
    st.one_of(
        st.sampled_from(SEED_LINES),
        st.sampled_from(SEED_LINES).map(lambda line: line[: len(line) // 2]),
        st.text(alphabet=SEED_CHARS, max_size=40),
    ),
    max_size=8,
)
news_text = st.one_of(
    seed_pieces.map("\n".join), st.text(max_size=200), st.text(alphabet=SEED_CHARS, max_size=300)
)
CHARSETS = [
    None,
    "utf-8",
    "gb2312",
    "gbk",
    "big5",
    "utf-16",
    "iso-8859-1",
    "euc-jp",
    "shift_jis",
    "x-nonsense",
]


# ---- decode ---------------------------------------------------------------------------------------------------


def _decode_or_reject(payload: bytes, charset: str | None) -> DecodedText | None:
    try:
        decoded = decode_bytes(payload, declared_charset=charset, source_uri="p")
    except RejectedInput as err:  # the only exceptions allowed out, with a stage and a reason
        assert err.stage == "decode" and err.reason
        return None
    assert 0.0 <= decoded.confidence <= 1.0 and decoded.errors >= 0
    return decoded


@PROPERTY_SETTINGS
@given(payload=st.binary(max_size=600), charset=st.sampled_from(CHARSETS))
def test_decode_any_bytes_returns_text_or_rejects(payload: bytes, charset: str | None) -> None:
    _decode_or_reject(payload, charset)


@PROPERTY_SETTINGS
@given(
    text=news_text,
    codec=st.sampled_from(["utf-8", "gb18030", "big5hkscs", "utf-16"]),
    bom=st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]),
    cut=st.integers(min_value=0, max_value=5),
)
def test_decode_encoded_news_text_never_raises_anything_else(
    text: str, codec: str, bom: bytes, cut: int
) -> None:
    payload = bom + text.encode(codec, errors="ignore")
    _decode_or_reject(payload[: len(payload) - cut] if cut < len(payload) else payload, None)


@PROPERTY_SETTINGS
@given(lines=st.lists(st.sampled_from(SEED_LINES), min_size=1, max_size=4))
def test_decode_utf8_chinese_round_trips(lines: list[str]) -> None:
    text = "\n".join(lines)
    decoded = decode_bytes(text.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.errors) == (text, "utf-8", 0)


# ---- html -----------------------------------------------------------------------------------------------------

TAGS = [
    "div",
    "p",
    "span",
    "a",
    "article",
    "section",
    "ul",
    "li",
    "br",
    "script",
    "ruby",
    "rt",
    "table",
    "td",
]
ATTRS = ["", ' class="content"', ' id="comments"', ' class="sidebar"', ' class="related"', ' href="/x"']


@st.composite
def html_pages(draw: st.DrawFn) -> str:
    """Random tag soup around seed sentences: unclosed, misnested and nested tags, odd attributes."""
    parts = []
    for _ in range(draw(st.integers(min_value=0, max_value=30))):
        kind = draw(st.integers(min_value=0, max_value=3))
        if kind == 0:
            parts.append(f"<{draw(st.sampled_from(TAGS))}{draw(st.sampled_from(ATTRS))}>")
        elif kind == 1:
            parts.append(f"</{draw(st.sampled_from(TAGS))}>")
        else:
            parts.append(draw(st.one_of(st.sampled_from(SEED_LINES), st.text(max_size=20))))
    return draw(st.sampled_from(["", "<html><body>", "<title>标题</title>"])) + "".join(parts)


@PROPERTY_SETTINGS
@given(
    html=st.one_of(html_pages(), st.text(max_size=300)), url=st.sampled_from([None, "https://example.com/a"])
)
def test_extract_page_returns_a_page_or_rejects(html: str, url: str | None) -> None:
    try:
        page = extract_page(html, url=url)
    except RejectedInput as err:
        assert err.stage == "html" and err.reason
        return
    assert isinstance(page, Page)
    assert all(line.strip() == line and line for line in page.text.split("\n")) or page.text == ""


# ---- normalize ------------------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(raw=news_text)
def test_normalize_is_idempotent(raw: str) -> None:
    once = normalize_text(raw).text
    assert normalize_text(once).text == once


@PROPERTY_SETTINGS
@given(raw=news_text)
def test_normalize_offsets_map_back_to_the_raw_text(raw: str) -> None:
    norm = normalize_text(raw)
    offsets = norm.offsets
    assert len(offsets) == len(norm.text) + 1 and offsets[-1] == len(raw)
    assert all(0 <= a <= b for a, b in zip(offsets, offsets[1:], strict=False))
    for i, ch in enumerate(norm.text):
        source = raw[offsets[i]]
        if is_han(ch):  # Traditional -> Simplified changes the char, never its kind
            assert is_han(source) or is_han(unicodedata.normalize("NFC", raw[offsets[i] : offsets[i] + 2])[0])
        elif ch.isascii() and ch.isalnum():
            assert unicodedata.normalize("NFKC", source) == ch or source == ch


# ---- extract --------------------------------------------------------------------------------------------------


def _spans(facts: object) -> list[tuple[str, int, int]]:
    """(layer, start, end) of every fact that points at characters."""
    found = []
    for layer in ("mentions", "roles", "metrics", "quotes", "events", "dates"):
        for fact in getattr(facts, layer):
            found.append((layer, fact.start, fact.end))
    byline = getattr(facts, "byline", None)
    if byline is not None:
        found.append(("byline", byline.start, byline.end))
    return found


@PROPERTY_SETTINGS
@given(raw=news_text, published=st.sampled_from([None, "2025-04-20", "2025-04-20T02:00:00", "nonsense"]))
def test_extract_facts_spans_lie_within_the_text(raw: str, published: str | None) -> None:
    text = normalize_text(raw).text
    facts = extract_facts(text, published_at=published)
    for layer, start, end in _spans(facts):
        assert 0 <= start <= end <= len(text), (layer, start, end, len(text))
    for mention in facts.mentions:
        assert text[mention.start : mention.end] == mention.surface
    for date in facts.dates:
        assert text[date.start : date.end] == date.surface
