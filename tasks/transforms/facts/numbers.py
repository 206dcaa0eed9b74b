"""Parse Arabic and Chinese numerals (`3185`, `1.2万`, `三千一百八十五`, `两`) to floats."""

from __future__ import annotations

import re

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CN_NUMERAL_CHARS = "零〇一二两三四五六七八九十百千万亿"
# An Arabic number (with thousands commas) or a run of Chinese numerals; an optional 万/亿 multiplier follows.
NUMBER_RE = re.compile(
    r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[零〇一二两三四五六七八九十百千][零〇一二两三四五六七八九十百千万亿点]*"
)


def parse_chinese_int(s: str) -> int | None:
    """Parse a Chinese integer numeral like `三千一百八十五` or `十二`; None if it is not one."""
    if not s or any(c not in _DIGITS and c not in _SMALL_UNITS and c not in _BIG_UNITS for c in s):
        return None
    if all(c in _DIGITS for c in s) and len(s) > 1:  # digit-by-digit reading, e.g. 二〇二五
        return int("".join(str(_DIGITS[c]) for c in s))
    total, section, digit = 0, 0, 0
    for c in s:
        if c in _DIGITS:
            digit = _DIGITS[c]
        elif c in _SMALL_UNITS:
            section += (digit or 1) * _SMALL_UNITS[c]
            digit = 0
        else:
            section += digit
            total = (total + section) * _BIG_UNITS[c] if c == "亿" else total + section * _BIG_UNITS[c]
            section, digit = 0, 0
    return total + section + digit


def parse_number(s: str) -> float | None:
    """Parse `3185`, `2,519.3`, `1.2万`, `三千一百八十五`, `三点五` to a float; None if unparsable."""
    s = s.replace(",", "")
    mult = 1
    head = s
    while len(head) > 1 and head[-1] in _BIG_UNITS:
        mult *= _BIG_UNITS[head[-1]]
        head = head[:-1]
    try:
        return float(head) * mult
    except ValueError:
        mult = 1  # a Chinese numeral: 万/亿 are parsed inside it
    if "点" in s:
        whole, _, frac = s.partition("点")
        w = parse_chinese_int(whole)
        if w is None or not frac or any(c not in _DIGITS for c in frac):
            return None
        return float(f"{w}.{''.join(str(_DIGITS[c]) for c in frac)}") * mult
    n = parse_chinese_int(s)
    return None if n is None else float(n * mult)
