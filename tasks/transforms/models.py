"""Data handed between stages: frozen dataclasses, no behaviour beyond small helpers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

# Longer "articles" (bytes of UTF-8 text) are dumps, logs or hostile inputs. Memory grows with the text's chars (the
# stages' copies and offset map) and with its distinct search terms (the load): 2 MB is at most ~670,000 Han chars,
# each a distinct bigram at worst, which keeps one input under 700 MB (bench/bench_memory.py); 2 M chars did not.
# Here, not in pipeline.py, so settings can name it without importing the stages.
DEFAULT_MAX_TEXT_BYTES = 2_000_000


class RejectedInput(Exception):
    """An input that a stage cannot turn into an article; the flow stores it in `rejects`."""

    def __init__(self, stage: str, reason: str, source_uri: str = "") -> None:
        super().__init__(f"{source_uri or '<input>'}: {stage}: {reason}")
        self.stage = stage
        self.reason = reason
        self.source_uri = source_uri


class DecodeError(RejectedInput):
    """Bytes that no plausible text encoding explains."""

    def __init__(self, reason: str, source_uri: str = "") -> None:
        super().__init__("decode", reason, source_uri)


@dataclass(frozen=True)
class RawDocument:
    """Bytes of one input plus what its source says about it (nothing here is trusted yet)."""

    source_uri: str  # file path, URL, or `path#L<n>` for a JSONL line
    payload: bytes
    media_type: str  # "text" | "html" | "json"
    size: int = 0
    mtime: str | None = None  # ISO-8601 UTC of the file, when read from disk
    url: str | None = None
    title: str | None = None
    published_at: str | None = None
    declared_charset: str | None = None  # from HTTP header / JSON field; verified against the bytes
    doc_id: str | None = None  # the `id` field of a JSON record, when it has one
    # What a feed item said: used only where the page itself gives no title / date ("fill gaps").
    fallback_title: str | None = None
    fallback_published_at: str | None = None


@dataclass(frozen=True)
class DecodedText:
    """Text decoded from bytes, with how it was decoded."""

    text: str
    encoding: str  # Python codec name actually used, e.g. "utf-8", "gb18030", "big5hkscs"
    confidence: float  # 0..1
    method: str  # "bom" | "declared" | "utf-8" | "detected"
    repair: str | None = None  # e.g. "utf-8 read as gbk", when mojibake was undone
    errors: int = 0  # byte sequences the codec could not decode, each replaced by one U+FFFD


@dataclass(frozen=True)
class Page:
    """Main text and metadata pulled out of an HTML page."""

    text: str  # paragraphs separated by "\n"
    title: str | None = None
    published_at: str | None = None  # ISO date or datetime string
    author: str | None = None
    url: str | None = None  # canonical / og:url when the page states one


@dataclass(frozen=True)
class NormalizedText:
    """Normalized text plus a map back to the raw text it came from."""

    text: str
    raw: str
    # offsets[i] is the index in `raw` of normalized char i; offsets[len(text)] == len(raw). An array("l") from
    # normalize_text: 8 bytes a char, where a tuple of ints took 40 (80 MB held for a 2 M-char text).
    offsets: Sequence[int]
    script_original: str  # "hant" | "hans" | "mixed" | "other"
    ruby_stripped: int = 0

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalized text to the raw text."""
        if start >= end:
            pos = self.offsets[start]
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1


@dataclass(frozen=True)
class Byline:
    agency: str | None
    bureau: str | None
    reporter: str | None
    start: int
    end: int
    photographer: str | None = None  # 摄 / 摄影 credits, never the reporter
    editor: str | None = None  # 责任编辑 / 编辑 / 责编


@dataclass(frozen=True)
class Mention:
    kind: str  # "person" | "organization" | "location"
    name: str  # canonical name (e.g. the bare 市 resolved to 柳州市)
    surface: str  # exactly text[start:end]
    start: int
    end: int
    level: str | None = None  # administrative level of a location: country/province/city/county


@dataclass(frozen=True)
class PlaceCode:
    """A place entity's codes: adcode (Chinese divisions), ISO 3166-1 alpha-2, and the place it belongs to."""

    name: str  # canonical entity name (北京市朝阳区 when 朝阳区 alone names two districts)
    level: str | None  # country | province | city | county
    adcode: str | None = None  # 6 digits, e.g. 450200
    parent: str | None = None  # canonical name of the enclosing place (柳州市 -> 广西壮族自治区 -> 中国)
    country_code: str | None = None


@dataclass(frozen=True)
class Alias:
    """Another name of an entity in one article: text[start:end] names the entity called `name`."""

    kind: str  # the entity's kind
    alias: str  # as written
    name: str  # canonical name of the entity it names
    rule: str  # short_form (习 after 习近平) | official_name (市政府 -> 市人民政府) | place_name (柳州 -> 柳州市)
    start: int
    end: int


@dataclass(frozen=True)
class Role:
    person: str
    title: str
    organization: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Metric:
    subject: str | None
    measure: str | None
    value: float
    unit: str | None
    period: str | None
    start: int
    end: int
    kind: str = "count"  # "count" | "share" | "growth" | "amount" | "rate"
    unit_written: str | None = (
        None  # the unit as the text writes it (亿元); `value`/`unit` are in base units (元)
    )
    approx: bool = False  # 多 / 余 / 近 / 约 / 左右: the figure is approximate
    period_start: str | None = None  # ISO date: the period resolved against the article's date
    period_end: str | None = None  # ISO date, inclusive


@dataclass(frozen=True)
class Quote:
    speaker: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class DateMention:
    surface: str
    iso: str  # YYYY-MM-DD (or YYYY-MM / YYYY when that is all the text says)
    start: int
    end: int


@dataclass(frozen=True)
class Event:
    name: str
    event_date: str | None
    location: str | None
    organizers: tuple[str, ...]
    guided_by: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Facts:
    byline: Byline | None = None
    mentions: tuple[Mention, ...] = ()
    roles: tuple[Role, ...] = ()
    metrics: tuple[Metric, ...] = ()
    quotes: tuple[Quote, ...] = ()
    events: tuple[Event, ...] = ()
    dates: tuple[DateMention, ...] = ()
    places: tuple[PlaceCode, ...] = ()  # every place the mentions name, with its ancestors
    aliases: tuple[Alias, ...] = ()


@dataclass(frozen=True)
class IndexEntry:
    """What search and story matching store of an article, made where its facts are (not by the single writer):
    the ids of its distinct search terms with their counts, and its body's MinHash signature with its LSH band keys."""

    # Compact, since an article's distinct terms run to ~1 per char of a long text (2 M chars of random Han: 2 M
    # terms, 250 MB as Python tuples, 24 MB so): their ids as little-endian int64 and their counts as int32, in the
    # same order. The terms themselves are not kept: a query finds postings by the same hash (0009).
    term_ids: bytes = b""
    term_counts: bytes = b""
    signature: tuple[int, ...] = ()
    band_keys: tuple[int, ...] = ()


@dataclass(frozen=True)
class Article:
    """One input after every stage: what the warehouse loads."""

    source_uri: str
    url: str | None
    title: str | None
    published_at: datetime | None  # aware, UTC (tasks.transforms.datetimes)
    language: str
    script_original: str
    encoding_detected: str
    encoding_confidence: float
    body_raw: str
    body: str
    content_sha256: str
    facts: Facts = field(default_factory=Facts)
    offsets: Sequence[int] = ()  # NormalizedText.offsets
    quality: str = "ok"  # "ok" | "keyword_list" | "garbled": bodies that are not prose get no facts
    quality_reason: str | None = None
    decode_errors: int = 0  # byte sequences replaced while decoding
    published_date: date | None = None  # the publication's calendar date in the source's time zone
    index: IndexEntry | None = None  # set for a load (process_for_load); None: the load computes it


@dataclass(frozen=True)
class Reject:
    """An input that ended as rejected, with the stage and the reason."""

    source_uri: str
    stage: str
    reason: str
    payload: bytes
