"""Quantities with unit, measure, subject, period and kind (count/share/growth/amount)."""

from __future__ import annotations

import re

from ..models import Metric
from ._text import CLAUSE_BREAKS, HAN, alternation
from .numbers import parse_number

# Units where the 万/亿 multiplier stays in the unit, as Chinese statistics write them (2519.3亿元).
_MONEY_UNITS = (
    "亿美元",
    "万美元",
    "美元",
    "亿元",
    "万元",
    "千元",
    "元",
    "万吨",
    "吨",
    "亿千瓦时",
    "千瓦时",
    "万亩",
    "亩",
)
# Counting units: a 万/亿 before them is folded into the value (1.2万件 -> 12000 件).
_COUNT_UNITS = (
    "个百分点",
    "个",
    "件",
    "家",
    "人次",
    "人",
    "项",
    "名",
    "次",
    "台",
    "辆",
    "所",
    "座",
    "条",
    "套",
    "部",
    "块",
    "户",
    "款",
)
_SHARE_UNITS = ("%", "％", "‰")
_UNIT_RE = re.compile(f"(?P<mult>[万亿]*)(?P<unit>{alternation(_MONEY_UNITS + _COUNT_UNITS + _SHARE_UNITS)})")
_VALUE_RE = re.compile(
    r"(?<![\d.第])(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿点]*)"
)
_GROWTH_RE = re.compile(
    r"(?:同比|环比)?(?:增长|增加|提高|上升|提升|下降|减少|回落|降低|增幅|增速|下滑)了?(?:为|达|达到)?$"
)
_SHARE_RE = re.compile(r"占|比重|占比|比例|份额")
_VERB_TAIL_RE = re.compile(
    r"(?:分别|共|约|近|超过|超|达到|达|为|是|实现|完成|突破|有|拥有|累计|合计|仅|高达|至)+$"
)
_VERB_CUT_RE = re.compile(
    r"拥有|实现|完成|累计|共有|其中|全市|全省|全区|全国|特别是|尤其是|获批|筹建|达到|超过"
)
_COMPARE_RE = re.compile(r"^(?:比|较)(?P<p>\d{4}年|去年|上年)?(?:同期)?的?$")
_FOLLOWING_NOUN_RE = re.compile(f"“?(?P<noun>[{HAN}\\w]{{2,20}}?)”?(?=[，。；;、：:！？）)\\n和与]|$)")
_PERIOD_RE = re.compile(
    r"^(?:(?:\d{4}年|今年|去年|明年|上半年|下半年)?(?:\d{1,2}[-—–~至到]\d{1,2}月|[一二三四1-4]季度|第[一二三四]季度|上半年|下半年|前\d{1,2}个?月|\d{1,2}月)?)"
)
# Words that end a subject: what follows them is the measure (产业|产值, 设计业|销售收入, 领域|有效专利).
_SUBJECT_HEAD_RE = re.compile(r"产业|行业|企业|领域|地区|业(?![务绩主余额])")
_SPLIT_SUBJECTS_RE = re.compile(r"[和、及与]")


# 一个决定, 一家机构, 唯一一所: 一 before a classifier is the article "a"; 二次/二手 are words (a count says 两);
# 几十个, 数十个, 六七个, 五六千元 are estimates, not figures; 前100名 is a rank.
_APPROX_BEFORE = frozenset("几数")
_CN_DIGITS = "一二三四五六七八九"


def _is_not_a_quantity(text: str, start: int, num: str) -> bool:
    """True for a Chinese numeral that names no figure: an article, a word, or an estimate."""
    if num in ("一", "二"):
        return True
    if start > 0 and (text[start - 1] in _APPROX_BEFORE or text[start - 1] == "唯"):
        return True  # 唯一一所: 唯一 is "only"
    if start > 0 and text[start - 1] == "前" and text.startswith("名", start + len(num)):
        return True  # 前100名: a rank, not a count
    a, b = _CN_DIGITS.find(num[0]), _CN_DIGITS.find(num[1]) if len(num) > 1 else -1
    return a >= 0 and b == a + 1  # 六七个, 五六千元: two neighbouring digits are a rough range


def _split_subject_measure(phrase: str) -> tuple[str | None, str | None]:
    heads = list(_SUBJECT_HEAD_RE.finditer(phrase))
    if heads and heads[-1].end() < len(phrase):
        return phrase[: heads[-1].end()] or None, phrase[heads[-1].end() :]
    return None, phrase or None


def _kind(unit: str, before: str) -> str:
    if _GROWTH_RE.search(before):
        return "growth"
    if _SHARE_RE.search(before) or unit in _SHARE_UNITS:
        return "share"
    return "amount" if unit.endswith(("元", "美元")) else "count"


def _distribute(subject: str | None, n: int) -> list[str | None]:
    """`汽车制造和高端装备制造产业` over two values -> 汽车制造产业, 高端装备制造产业."""
    if not subject:
        return [subject] * n
    parts = [p for p in _SPLIT_SUBJECTS_RE.split(subject) if p]
    if len(parts) != n:
        return [subject] * n
    head = _SUBJECT_HEAD_RE.search(parts[-1])
    suffix = parts[-1][head.start() :] if head and head.end() == len(parts[-1]) else ""
    return [p if p.endswith(suffix) else p + suffix for p in parts]


def extract_metrics(text: str) -> tuple[Metric, ...]:
    """Numbers with a unit; years, dates, ordinals (第四) and quoted slogans (“十四五”) are not metrics."""
    metrics: list[Metric] = []
    clause_from = 0
    pending: list[tuple[float, str, int, int]] = []  # a run of values joined by 、 (68%、32%)
    last_measure: str | None = None
    last_subject: str | None = None
    pos = 0
    while True:
        m = _VALUE_RE.search(text, pos)
        if not m:
            break
        u = _UNIT_RE.match(text, m.end())
        pos = m.end()
        if not u or (m.group("num")[-1] in "万亿" and u.group("mult")):
            continue
        value = parse_number(
            m.group("num") + (u.group("mult") if u.group("unit") in _COUNT_UNITS + _SHARE_UNITS else "")
        )
        if value is None or _is_not_a_quantity(text, m.start(), m.group("num")):
            continue
        unit = (
            u.group("unit")
            if u.group("unit") in _COUNT_UNITS + _SHARE_UNITS
            else u.group("mult") + u.group("unit")
        )
        unit = "%" if unit == "％" else unit
        start, end = m.start(), u.end()
        pos = end
        pending.append((value, unit, start, end))
        if end < len(text) and text[end] == "、" and _VALUE_RE.match(text, end + 1):
            continue  # more values follow in the same list
        first = pending[0][2]
        cs = first
        while cs > 0 and text[cs - 1] not in CLAUSE_BREAKS:
            cs -= 1
        cs = max(cs, clause_from)
        before = text[cs:first]
        kind = _kind(unit, before)
        phrase = _VERB_TAIL_RE.sub("", _GROWTH_RE.sub("", before))
        period_m = _PERIOD_RE.match(phrase)
        period = (period_m.group(0) or None) if period_m else None
        phrase = phrase[len(period or "") :]
        distributive = "分别" in before
        phrase, _, share_tail = phrase.partition("分别")
        share_tail = _VERB_TAIL_RE.sub("", share_tail)
        cut = list(_VERB_CUT_RE.finditer(phrase))
        if cut:
            phrase = phrase[cut[-1].end() :]
        base = _COMPARE_RE.match(phrase)
        if base:  # 比2017年的2073.5亿元: the same measure in the base period
            subject, measure = last_subject, last_measure
            period = base.group("p") or period
        else:
            subject, measure = _split_subject_measure(phrase)
        following = _FOLLOWING_NOUN_RE.match(text, end)
        if unit in _COUNT_UNITS and following and not distributive:
            # 2个国家地理标志产品保护示范区: the counted noun follows the classifier
            subject, measure = None, following.group("noun")
        if measure and share_tail:
            measure += share_tail
        if measure is None and kind == "growth":
            subject, measure = subject or last_subject, last_measure  # 销售金额1056.2亿元，同比增长8.8%
        subjects = _distribute(subject, len(pending)) if distributive else [subject] * len(pending)
        for (v, un, s, e), subj in zip(pending, subjects, strict=True):
            metrics.append(Metric(subj, measure, v, un, period, s, e, kind))
        last_measure, last_subject = measure or last_measure, subject or last_subject
        clause_from = end
        pending = []
    return tuple(metrics)
