"""Figures in text: a number, its multiplier and unit, scaled to base units, with approximation marks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from .numbers import parse_number
from .units import MULTIPLIERS, UNITS, Unit, match_multiplier, match_unit

# A figure starts with Arabic digits (full-width too, thousands commas), a Chinese numeral, or 半 (半天).
# 百/千 lead a numeral only before 余/多 (百余名); otherwise 千万 is "by all means" and 千亿 is a name.
_NUMBER_RE = re.compile(
    # A number starts with a digit, a numeral, 百/千 or 半: the lookahead lets the scan skip other chars in C
    # (4x faster on real bodies, the same matches).
    r"(?=[0-9０-９〇零一二两三四五六七八九十百千半])"
    r"(?<![0-9０-９.．A-Za-z第])"
    # At most 16 digits before and 8 after the point, and 24 numeral characters: longer runs are IDs, not figures.
    r"(?:(?P<ar>(?:[0-9０-９]{1,3}(?:,[0-9]{3}){1,5}|[0-9０-９]{1,16})(?:[.．][0-9０-９]{1,8})?)(?![0-9０-９])"
    r"|(?<![〇零一二两三四五六七八九十百千万亿])"  # never from the middle of a numeral: 第十三条 is no 三条
    # 两 goes on a numeral only after a power of ten (三万两千): 李四两人 is 四 then 两人, never 42.
    r"(?P<cn>[〇零一二两三四五六七八九十](?:[〇零一二三四五六七八九十百千万亿点]|(?<=[十百千万亿])两){0,23}"
    r"(?![〇零一二三四五六七八九十百千万亿点])"
    r"|[百千](?=[余多]))"
    r"|(?<![上下])(?P<half>半))"  # 上半年 is a period
)
_APPROX_AFTER_NUMBER = "多余"
_APPROX_AFTER_UNIT = ("左右", "以上", "上下", "出头", "不到", "多", "余")
_APPROX_BEFORE = (
    "约合人民币",
    "人民币约",
    "大约",
    "将近",
    "接近",
    "近乎",
    "超过",
    "约合",
    "不到",
    "不足",
    "大概",
    "约",
    "近",
    "超",
    "逾",
)
_HALF_UNITS = ("小时", "钟头", "月")  # 一个半小时 = 1.5 小时, 一个半月
_INNER_APPROX = ("个多", "分多")
_INNER_UNIT_LEN = 3  # 个小时, 个星期: the longest duration read across an inner 多
# Between the items of a list (34.5、50.9和85.9亿元) or the ends of a range (五到六成, 39%至41%).
JOINERS = ("以及", "、", "和", "及", "与", "或", "到", "至", "~", "～", "-", "—", "–")
_NUMBER_START = frozenset("0123456789０１２３４５６７８９〇零一二两三四五六七八九十百千")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


@dataclass(frozen=True)
class Figure:
    """One number as written: [start, end) covers the number, multiplier, unit and approximation marks."""

    start: int
    end: int
    number: str  # the numeral as written (3185, 三千一百八十五, 2,519.3)
    written_value: float  # the number as written, before any multiplier or unit scale
    value: float  # scaled to the base unit, unsigned
    unit: Unit | None  # None for a bare 2000亿
    unit_written: str | None  # 亿元, 个小时, 亿
    multiplier: str  # 万 / 亿 / 千 written after an Arabic number, or ""
    approx: bool
    is_chinese: bool


def scaled(number: float, scale: float) -> float:
    """number * scale in decimal arithmetic: 2519.3 * 1e8 is 251930000000.00003 in binary floats."""
    return float(Decimal(repr(number)) * Decimal(repr(scale)))


def _read_number(m: re.Match[str]) -> tuple[float | None, str]:
    """The number and, for a Chinese numeral, the 万/亿 that ends it (五万元 -> 5, 万)."""
    if m.group("half"):
        return 0.5, ""
    cn = m.group("cn")
    if cn is None:
        return parse_number(m.group("ar").translate(_FULL_WIDTH)), ""
    mult = next((x for x in ("万亿", "亿", "万") if cn.endswith(x) and len(cn) > len(x)), "")
    if mult and any(c in "万亿" for c in cn[: len(cn) - len(mult)]):
        mult = ""  # 一亿三千万: the multipliers are inside the numeral
    return parse_number(cn[: len(cn) - len(mult)]), mult


def _unit_after(text: str, pos: int, arabic: bool) -> tuple[str, Unit | None, int, bool]:
    """(multiplier, unit, end, approx) of what follows a number at `pos`."""
    if text.startswith(_INNER_APPROX, pos):
        # 一个多小时, 8分多钟: 多 inside a duration marks an approximation; the unit reads without it (个小时, 分钟).
        inner = match_unit(text[pos] + text[pos + 2 : pos + 2 + _INNER_UNIT_LEN], 0)
        if inner is not None and inner.family == "duration" and len(inner.written) > 1:
            return "", inner, pos + len(inner.written) + 1, True
    approx = False
    unit = match_unit(text, pos)  # 千瓦 and 百分点 are units, not 千 / 百 multipliers
    mult = ""
    if unit is None:
        if pos < len(text) and text[pos] in _APPROX_AFTER_NUMBER:
            pos, approx = pos + 1, True
        mult = match_multiplier(text, pos, small=arabic)
        pos += len(mult)
        if mult and pos < len(text) and text[pos] in _APPROX_AFTER_NUMBER:
            pos, approx = pos + 1, True
        unit = match_unit(text, pos)
    return mult, unit, pos + (len(unit.written) if unit else 0), approx


# A duration written like a clock (2小时17分, 1小时20分钟, 2分35秒, 1小时20分30秒): one figure in its smallest unit.
_CLOCK_RE = re.compile(
    r"(?:(?P<h>\d{1,3})(?:个)?小时)?(?:(?P<m>\d{1,3})分(?:钟)?)?(?:(?P<s>\d{1,3}(?:\.\d+)?)秒(?:钟)?)?"
)
_CLOCK_NEXT = frozenset("小个分")  # what follows the first number of a clock-like duration


def _clock_duration(text: str, m: re.Match[str]) -> Figure | None:
    """The clock-like duration starting at the number `m` when it has two parts or more (2分35秒), else None."""
    c = _CLOCK_RE.match(text, m.start())
    # One part alone (5分, a score or a cent; 3小时) is read as any other figure.
    if c is None or sum(c.group(g) is not None for g in ("h", "m", "s")) < 2:
        return None
    minutes = float(c.group("h") or 0) * 60 + float(c.group("m") or 0)
    unit = (
        UNITS["分钟"] if c.group("s") is None else UNITS["秒"]
    )  # two parts: minutes, or seconds when written
    value = minutes if c.group("s") is None else minutes * 60 + float(c.group("s"))
    return Figure(c.start(), c.end(), c.group(0), value, value, unit, unit.written, "", False, False)


def iter_figures(text: str) -> Iterator[Figure]:
    """Every number with a unit or a 万/亿 multiplier, in text order (one left-to-right pass)."""
    last_end = 0
    for m in _NUMBER_RE.finditer(text):
        if m.start() < last_end:
            continue  # the 半 of 一个半小时 belongs to the figure before
        if (
            m.group("ar") is not None
            and text[m.end() : m.end() + 1] in _CLOCK_NEXT
            and (clock := _clock_duration(text, m)) is not None
        ):
            last_end = clock.end
            yield clock
            continue
        number, cn_mult = _read_number(m)
        if number is None:
            continue
        pos, half = m.end(), 0.0
        if text.startswith("个半", pos) and text.startswith(_HALF_UNITS, pos + 2):
            pos, half = pos + 2, 0.5  # 一个半小时
        if cn_mult:
            mult, unit, end, approx = cn_mult, match_unit(text, pos), pos, False
            end += len(unit.written) if unit else 0
        else:
            mult, unit, end, approx = _unit_after(text, pos, arabic=m.group("ar") is not None)
        if half and unit is None:
            continue
        if half and unit is not None:
            unit = UNITS.get("个" + unit.written, unit)
        bare = unit is None and mult in ("万", "亿", "万亿")
        if unit is None and not bare:
            if not mult and _joins_next(text, m.end()):  # a list item that takes the unit of the last one
                yield Figure(
                    m.start(),
                    m.end(),
                    m.group(0),
                    number,
                    number,
                    None,
                    None,
                    "",
                    False,
                    m.group("ar") is None,
                )
            continue
        if m.group("half") and (unit is None or unit.family != "duration"):
            continue
        if unit is not None and unit.family == "duration" and text.startswith("半", end):
            end, half = end + 1, 0.5  # 两年半
        tail = next((a for a in _APPROX_AFTER_UNIT if text.startswith(a, end)), "")
        approx = approx or bool(tail) or text.endswith(_APPROX_BEFORE, max(0, m.start() - 5), m.start())
        scale = MULTIPLIERS.get(mult, 1.0) * (unit.scale if unit else 1.0)
        written = (mult + unit.written) if unit else mult
        last_end = end + len(tail)
        yield Figure(
            start=m.start(),
            end=end + len(tail),
            number=m.group(0),
            written_value=number + half,
            value=scaled(number + half, scale),
            unit=unit,
            unit_written=written,
            multiplier=mult,
            approx=approx,
            is_chinese=m.group("ar") is None,
        )


def _joins_next(text: str, pos: int) -> bool:
    """True when a joiner and then another number follow `pos`."""
    joiner = next((j for j in JOINERS if text.startswith(j, pos)), "")
    nxt = pos + len(joiner)
    return bool(joiner) and nxt < len(text) and text[nxt] in _NUMBER_START
