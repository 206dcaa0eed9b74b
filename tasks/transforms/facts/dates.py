"""Dates and periods to ISO: full dates, month-day with the article's year, quarters, halves, month ranges."""

from __future__ import annotations

import re

from ..models import DateMention
from .numbers import parse_chinese_int

_Y = r"(?P<y>\d{4}|[〇零一二三四五六七八九]{4})年"
_REL = r"(?P<rel>今年|去年|明年|前年|本年|当年)"
_M = r"(?P<m>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月"
_D = r"(?P<d>3[01]|[12]\d|0?[1-9]|[二三]?十[一二三四五六七八九]?|[一二三四五六七八九])[日号]"
_QUARTER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_REL_OFFSET = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "前年": -2, "明年": 1}

# Every date or period starts with a digit, a numeral, a relative year (今去明前本当), 第 or 上/下. The patterns open
# with an optional year and alternations that the regex engine tries at every position; this lookahead lets it
# move past any other char at once (2-4x faster on real bodies, the same matches).
_STARTS = r"(?=[\d〇零一二三四五六七八九十今去明前本当第上下])"


def _date_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(_STARTS + pattern)


# Order matters: longer forms claim their characters first.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ymd", _date_pattern(_Y + _M + _D)),
    (
        "iso",
        _date_pattern(
            r"(?<!\d)(?P<y>(?:19|20)\d\d)[-/.](?P<m>1[0-2]|0?[1-9])[-/.](?P<d>3[01]|[12]\d|0?[1-9])(?!\d)"
        ),
    ),
    (
        "range",
        _date_pattern(f"(?:{_Y}|{_REL})?" + r"(?P<m1>1[0-2]|0?[1-9])[-—–~至到](?P<m2>1[0-2]|0?[1-9])月"),
    ),
    ("quarter", _date_pattern(f"(?:{_Y}|{_REL})?" + r"(?:第)?(?P<q>[一二三四1-4])季度")),
    ("half", _date_pattern(f"(?:{_Y}|{_REL})?" + r"(?P<h>[上下])半年")),
    ("ym", _date_pattern(f"(?:{_Y}|{_REL})" + _M + r"(?![\d日号])")),
    ("md", _date_pattern(r"(?<![\d年\-—–~])" + _M + _D)),
    ("y", _date_pattern(_Y + r"(?![\d度])")),
    ("rel", re.compile(_REL)),  # a literal alternation: the engine already skips ahead
)


# A char every match of the pattern holds: a text without it skips the pattern (short texts mostly do).
_NEEDS = {
    "ymd": "年",
    "range": "月",
    "quarter": "季",
    "half": "半",
    "ym": "月",
    "md": "月",
    "y": "年",
    "rel": "年",
}
_BY_KIND = dict(_PATTERNS)


def _num(s: str) -> int:
    return int(s) if s.isdigit() else (parse_chinese_int(s) or 0)


def _valid_year(y: int) -> bool:
    return 1900 <= y <= 2100


def find_context_year(text: str, published_at: str | None = None) -> int | None:
    """The article's year: from published_at, else the first full date in the text, else its first year."""
    if published_at and re.match(r"\d{4}", published_at) and _valid_year(int(published_at[:4])):
        return int(published_at[:4])
    for kind in ("ymd", "iso", "y"):
        if _NEEDS.get(kind, "") not in text:
            continue
        for m in _BY_KIND[kind].finditer(text):
            y = _num(m.group("y"))
            if _valid_year(y):
                return y
    return None


def _year_of(m: re.Match[str], context_year: int | None) -> int | None:
    groups = m.groupdict()
    if groups.get("y"):
        y = _num(groups["y"])
        return y if _valid_year(y) else None
    if groups.get("rel") and context_year is not None:
        return context_year + _REL_OFFSET[groups["rel"]]
    return context_year


def _to_iso(kind: str, m: re.Match[str], context_year: int | None) -> str | None:
    y = _year_of(m, context_year)
    if kind in ("ymd", "iso", "md"):
        month, day = _num(m.group("m")), _num(m.group("d"))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        # Without any year the ISO 8601 truncated form --MM-DD keeps what the text says.
        return f"{y:04d}-{month:02d}-{day:02d}" if y else f"--{month:02d}-{day:02d}"
    if y is None:
        return None
    if kind == "range":
        m1, m2 = int(m.group("m1")), int(m.group("m2"))
        return f"{y:04d}-{m1:02d}/{y:04d}-{m2:02d}" if m1 < m2 else None
    if kind == "quarter":
        return f"{y:04d}-Q{_QUARTER[m.group('q')]}"
    if kind == "half":
        return f"{y:04d}-H{1 if m.group('h') == '上' else 2}"
    if kind == "ym":
        return f"{y:04d}-{_num(m.group('m')):02d}"
    return f"{y:04d}"


def extract_dates(text: str, context_year: int | None = None) -> tuple[DateMention, ...]:
    """Find dates and periods; iso is YYYY-MM-DD, YYYY-MM, YYYY, YYYY-Qn, YYYY-Hn or YYYY-MM/YYYY-MM."""
    taken = bytearray(len(text))
    found: list[DateMention] = []
    for kind, pattern in _PATTERNS:
        if _NEEDS.get(kind, "") not in text:
            continue
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(taken[start:end]):
                continue
            iso = _to_iso(kind, m, context_year)
            if iso is None:
                continue
            taken[start:end] = b"\x01" * (end - start)
            found.append(DateMention(surface=m.group(0), iso=iso, start=start, end=end))
    return tuple(sorted(found, key=lambda d: d.start))
