"""Figures that name no quantity: years, ranks, estimates, articles (一个决定) and list summaries."""

from __future__ import annotations

import re

from ..models import Mention
from ._text import is_han
from .figures import Figure

_YEAR_RE = re.compile(r"(?:1[89]|20)\d\d|[〇零一二三四五六七八九]{4}")
# 20年前, 19年底, 90年代, 三年级: a point in time, a decade or a grade, not a duration.
_AFTER_YEAR = (
    "前",
    "后",
    "底",
    "初",
    "末",
    "度",
    "代",
    "级",
    "月",
    "份",
    "0",
    "1",
    "2",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9",
)
_RANK_UNITS = frozenset(("名", "强", "位", "届"))
_PERIOD_UNITS = frozenset(("个月", "月", "季度", "个季度"))
_CN_DIGITS = "一二三四五六七八九"
_WEEKDAY_BEFORE = ("周", "星期", "礼拜")  # 周三, 星期五
# 十九届四中全会, 十三届全国人大: a numbered session, not a count; 三次产业 is a term (the tertiary sector).
_ORDINAL_AFTER = {
    "届": ("一", "二", "三", "四", "五", "六", "七", "八", "九", "全国", "人大", "中央"),
    "次": ("产业",),
}
# 一 is the article "a" (一个决定, 一封信) unless the words around it make it a count of one.
_ONE_BEFORE = ("只有", "仅有", "其中", "不到", "不足", "从", "仅", "只")
# A duration of one bounded by what follows or precedes it: 一个月内, 一年来, 一周以内; 满一周, 历时一天.
_SPAN_AFTER = ("内", "以内", "之内", "以来", "来", "里")
_SPAN_BEFORE = ("满", "历时", "长达", "用了", "花了", "过去")
_DEMONSTRATIVES = "这那此该"
_TITLE_REACH = 40
# The two numbers of a ticker before its percent figure, inside one bracket: (115.395 , 2.79 , 2.47%).
_TICKER_RE = re.compile(r"[（(]\s*-?[0-9.]+\s*[,，]\s*[-+]?[0-9.]+\s*[,，]\s*[-+]?$")
_TICKER_REACH = 40
_LIST_CLOSERS = "”》」』"
_NAME_JOINERS = "、和与及"


def _counts_one(text: str, fig: Figure) -> bool:
    """一 as a figure: 只有一个食堂, 其中一款, 不到一个月, 一年的时间, 约一公里, 一个月内, 已满一周."""
    if fig.approx or text.endswith(_ONE_BEFORE, max(0, fig.start - 2), fig.start):
        return True  # 约一公里, 一个多小时: an estimate is a quantity
    if fig.unit is None or fig.unit.family != "duration":
        return False
    return (
        "时间" in text[fig.end : fig.end + 4]
        or text.startswith(_SPAN_AFTER, fig.end)
        or text.endswith(_SPAN_BEFORE, max(0, fig.start - 2), fig.start)
    )


# A quoted term opening with a Chinese numeral (“三个代表”, “五位一体”, “两个维护”): a slogan's name, not a count. The
# term's words after the figure are this many Han chars at most. A quoted quantity alone (“3000万元”) and a target
# written in digits (“1.5小时交通圈”, a commuting goal) stay metrics.
_QUOTE_OPENERS = frozenset('“「『"')
_QUOTE_CLOSERS = frozenset('”」』"')
_MAX_TERM_TAIL = 4


def opens_quoted_term(text: str, fig: Figure) -> bool:
    """True for a figure that opens a short quoted term and is not all of it (“四个全面”战略布局)."""
    if not fig.is_chinese or not fig.start or text[fig.start - 1] not in _QUOTE_OPENERS:
        return False
    tail = 0
    for ch in text[fig.end : fig.end + _MAX_TERM_TAIL + 1]:
        if ch in _QUOTE_CLOSERS:
            return tail > 0
        if not is_han(ch):
            return False
        tail += 1
    return False


def _in_title(text: str, fig: Figure) -> bool:
    """True inside a book or work title (《56个民族新儿歌》): a name, not a quantity (looks TITLE_REACH chars each way)."""
    before = text[max(0, fig.start - _TITLE_REACH) : fig.start]
    opened = before.rfind("《")
    return opened > before.rfind("》") and "》" in text[fig.end : fig.end + _TITLE_REACH].split("《", 1)[0]


def is_not_a_metric(text: str, fig: Figure) -> bool:
    """True for a figure that is a year, point in time, rank, estimate, article, list summary, title or name."""
    prev = text[fig.start - 1] if fig.start else ""
    unit = fig.unit.written if fig.unit else ""
    if _in_title(text, fig) or opens_quoted_term(text, fig):
        return True
    if fig.unit is not None and fig.unit.family == "duration" and text.startswith("期", fig.end):
        if not text.startswith(("期间", "期内"), fig.end):
            return True  # 10年期国债, 3个月期: a tenor in a name
    if unit == "位" and text.startswith("数", fig.end):
        return True  # 两位数的增长: double digits
    if unit in ("%", "％") and _TICKER_RE.search(text, max(0, fig.start - _TICKER_REACH), fig.start):
        return True  # 摩根大通(115.395,2.79,2.47%): a stock ticker's price, change and change in percent
    if unit == "年" and (_YEAR_RE.fullmatch(fig.number) or text.startswith(_AFTER_YEAR, fig.end)):
        return True
    if unit in ("周", "周年") and text.startswith(("年", "岁"), fig.end):
        return True  # 70周年: an anniversary
    if prev == "前" and unit in _RANK_UNITS:
        return True  # 前100名: a rank
    if prev == "前" and unit in _PERIOD_UNITS:
        return True  # 今年前4个月, 前三季度: a reporting period, not a duration
    if text.startswith(_ORDINAL_AFTER.get(unit, ()), fig.end) or text.endswith(_WEEKDAY_BEFORE, 0, fig.start):
        return True
    if prev == " " and fig.start > 1 and text[fig.start - 2].isascii() and text[fig.start - 2].isalpha():
        return True  # iPhone 11支持: a model name
    if prev and (prev in "几数唯" or prev in _DEMONSTRATIVES or prev in _LIST_CLOSERS):
        return True  # 几十个, 唯一一所, 这两个领域, “生命科学奖”…三个奖项
    if (
        fig.written_value in (1.0, 2.0)
        and fig.number in ("一", "二")
        and not (fig.number == "一" and _counts_one(text, fig))
    ):
        return True  # 一个决定; 二次整改 (a count says 两)
    digits = fig.number.replace("两", "二")
    a = _CN_DIGITS.find(digits[0])
    b = _CN_DIGITS.find(digits[1]) if len(digits) > 1 else -1
    return a >= 0 and b == a + 1  # 六七个, 五六千元, 一两年: two neighbouring digits are a rough range


def sums_up_named(text: str, fig: Figure, by_end: dict[int, Mention]) -> bool:
    """True for a numeral that counts the names listed right before it (中美两个大国, 高通、联发科、紫光展锐三家)."""
    if not fig.is_chinese:
        return False
    named, pos = 0, fig.start
    while pos in by_end:
        named, pos = named + 1, by_end[pos].start
        if pos not in by_end and text[pos - 1 : pos] in _NAME_JOINERS:
            pos -= 1  # 高通、联发科: one joiner between two names
    return named >= 2 and fig.written_value == named
