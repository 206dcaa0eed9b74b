"""Reporting periods (2024年, 今年一季度, 上半年, 前三季度, 1-4月) and their first and last day."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from .numbers import parse_chinese_int

_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_YEAR = r"(?:(?P<y>(?:19|20)\d\d)年|(?P<rel>今年|去年|上年|明年|前年|本年|当年))"
# A year alone, or a year (optional: the article's) with a quarter, half, month range, first-N-months or month.
PERIOD_RE = re.compile(
    f"{_YEAR}?"
    r"(?:(?:第)?(?P<q>[一二三四1-4])季度"
    r"|前(?P<qn>[一二三1-3])(?:个)?季度"
    r"|(?P<h>[上下])半年"
    f"|(?P<m1>{_MONTH})[-—–~至到](?P<m2>{_MONTH})月(?:份)?"
    f"|前(?P<mn>{_MONTH})个月"
    f"|(?P<m>{_MONTH})月(?:份)?(?![0-9一二三四五六七八九十日号])"
    r"|(?P<full>全年))?"
)
# PERIOD_RE with every part optional matches the empty string at every position: finditer would hand Python an
# empty match per character. A period starts with one of these chars (a year's 1/2 or 今去上明前本当, 第, a quarter
# or month numeral, 前, 上/下, 全), so elsewhere the search moves on in C. Same non-empty matches.
_PERIOD_START = "0-9一二三四五六七八九十今去上明前本当第下全"
_PERIOD_SEARCH = re.compile(f"(?=[{_PERIOD_START}])(?:{PERIOD_RE.pattern})")
_REL_OFFSET = {"今年": 0, "本年": 0, "当年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}


@dataclass(frozen=True)
class Period:
    """A period as written and its first and last day (ISO dates, inclusive)."""

    surface: str
    start: int
    end: int
    first_day: str | None
    last_day: str | None


def _int(s: str) -> int:
    return int(s) if s.isdigit() else (parse_chinese_int(s) or 0)


def _months(m: re.Match[str]) -> tuple[int, int] | None:
    """First and last month the match covers, or None when it names no month range."""
    g = m.groupdict()
    if g["q"]:
        q = _int(g["q"])
        return 3 * q - 2, 3 * q
    if g["qn"]:
        return 1, 3 * _int(g["qn"])
    if g["h"]:
        return (1, 6) if g["h"] == "上" else (7, 12)
    if g["m1"]:
        a, b = _int(g["m1"]), _int(g["m2"])
        return (a, b) if 1 <= a < b <= 12 else None
    if g["mn"]:
        return 1, _int(g["mn"])
    if g["m"]:
        return _int(g["m"]), _int(g["m"])
    return 1, 12


def resolve_period(m: re.Match[str], context_year: int | None) -> tuple[str | None, str | None]:
    """First and last day of a PERIOD_RE match; the year defaults to the article's (`context_year`)."""
    g = m.groupdict()
    year = int(g["y"]) if g["y"] else None
    if g["rel"] and context_year is not None:
        year = context_year + _REL_OFFSET[g["rel"]]
    year = year if year is not None else context_year
    months = _months(m)
    if year is None or months is None or not 1 <= months[0] <= months[1] <= 12:
        return None, None
    last = calendar.monthrange(year, months[1])[1]
    return f"{year:04d}-{months[0]:02d}-01", f"{year:04d}-{months[1]:02d}-{last:02d}"


def resolve_surface(surface: str, context_year: int | None) -> tuple[str | None, str | None]:
    """First and last day of a period written alone (2017年, 去年); (None, None) when it is not one."""
    m = PERIOD_RE.fullmatch(surface)
    return resolve_period(m, context_year) if m else (None, None)


def find_periods(text: str, start: int, end: int, context_year: int | None) -> list[Period]:
    """Periods written within text[start:end], in order; comparison bases (去年同期, 比2017年) are left out."""
    found = []
    for m in _PERIOD_SEARCH.finditer(text, start, end):
        if m.end() == m.start():
            continue
        if text.startswith("同期", m.end()) or (m.start() > 0 and text[m.start() - 1] in "比较"):
            continue
        first, last = resolve_period(m, context_year)
        found.append(Period(m.group(0), m.start(), m.end(), first, last))
    return found
