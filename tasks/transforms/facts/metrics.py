"""Metrics an analyst can sum: signed values in base units, with measure, subject, period and kind."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..models import Mention, Metric
from ._text import HAN, SENTENCE_ENDS, clause_start
from .dates import find_context_year
from .figures import JOINERS, Figure, iter_figures, scaled
from .metric_rules import is_not_a_metric, sums_up_named
from .periods import PERIOD_RE, Period, find_periods, resolve_surface
from .units import MULTIPLIERS

# How far back a figure's clause and sentence are read: bounds the work per figure, so the stage stays linear in
# the text length. Halving or doubling either changes no score of bench/eval_facts.py on the tuning half.
_CLAUSE_WINDOW = 40
_SENTENCE_WINDOW = 120

_DECLINE = "降息|减息|降准|下降|减少|回落|降低|下滑|下跌|下挫|回调|走低|缩减|缩小|缩水|萎缩|负增长|降幅|跌幅|收窄|减|降|跌"
_INCREASE = "加息|升息|增长|增加|提高|上升|提升|上涨|拉升|上扬|走高|攀升|扩大|增幅|增速|涨幅|增|涨|升"
_FILLER = "(?:了|为|达到|达|约|大约|近|将近|接近|近乎|超过|超|逾|高达|仅|仅为|最高|分别|是|均|都|已|却|也|共|累计|合计|至少)*"
# A change verb right before the figure (only fillers between): 同比下降25%, 回落4.6个百分点, 增幅仅约为29.2%.
_CHANGE_RE = re.compile(f"(?:(?P<down>{_DECLINE})|(?P<up>{_INCREASE})){_FILLER}$")
# What the clause measures, the nearest word winning: a 率 (增长率, 失业率), a change (增速), or a part (占, 比重).
# 降到 / 增长至 give a level, not a change; 率先 / 率队 are verbs.
_MEASURE_WORD_RE = re.compile(
    f"(?P<rate>[{HAN}]?率)(?![先领队])"
    "|(?P<growth>增长|增速|增幅|增加|降幅|涨幅|跌幅|下降|减少|回落|下滑|下跌|上升|提高|提升|上涨)(?![到至])"
    "|(?P<share>占比|比重|比例|份额|占)"
)
_MEASURE_AFTER_RE = re.compile(
    f"(?:以上|以下|左右)?的?[{HAN}]{{0,5}}?(?:(?P<rate>率)(?![先领队])|(?P<growth>增长|增速|增幅))"
)
# 从3%降至2.3%: the second figure is a level of the same measure as the first.
_LEVEL_RE = re.compile("^(?:[降升增减涨跌]|下降|上升|增长|减少|提高|回落|下滑|上涨|下跌)?了?(?:到|至)了?$")
_GROWTH_TAIL_RE = re.compile(f"(?:同比|环比)?(?:{_INCREASE}|{_DECLINE}|负增长)了?(?:为|达|达到)?$")
_VERB_TAIL_RE = re.compile(
    r"(?:分别|共|约|大约|近|超过|超|达到|达|为|是|实现|完成|突破|有|拥有|累计|合计|仅|高达|至|已|只有)+$"
)
_VERB_CUT_RE = re.compile(
    r"拥有|实现|完成|累计|共有|其中|全市|全省|全区|全国|特别是|尤其是|获批|筹建|达到|超过"
)
_COMPARE_RE = re.compile(r"^(?:比|较)(?P<p>\d{4}年|去年|上年)?(?:同期)?的?$")
_FOLLOWING_NOUN_RE = re.compile(f"“?(?P<noun>[{HAN}\\w]{{2,20}}?)”?(?=[，。；;、：:！？）)\\n和与]|$)")
# Words that end a subject: what follows them is the measure (产业|产值, 设计业|销售收入, 领域|有效专利).
# 营业收入, 就业人数, 专业: 业 in a word that is no sector.
_SUBJECT_HEAD_RE = re.compile(r"产业|行业|企业|领域|地区|(?<![营就作毕创专职学失])业(?![务绩主余额])")
_SPLIT_SUBJECTS_RE = re.compile(r"[和、及与]")
_SUBJECT_KINDS = frozenset(("organization", "location"))
# The body or place a sentence names before a figure is the figure's subject only for rates and changes (龙湖…同比
# 增长26%) and for counts of people or bodies in it (东莞587家重点企业). For a sum, a duration, a distance or a count
# of things it mostly is not (证券时报e公司讯，当升科技：9614.5万元; 人大代表…降低到18岁): of 36 such subjects
# sampled on the gold pages, 11 of the 12 of these kinds were right and 5 of the other 24, which keep none now.
_ENTITY_SUBJECT_KINDS = frozenset(("growth", "share", "rate"))
_ENTITY_SUBJECT_COUNTS = frozenset(("家", "人", "名", "位", "人次", "户", "所"))
# A period or subject is looked for back to the sentence start; a semicolon ends a list item that has its own.
_PERIOD_SCOPE_ENDS = SENTENCE_ENDS | frozenset("；;")


def _kind(figure: Figure, before: str, change: re.Match[str] | None, after: str) -> str:
    """growth, share, rate, count or amount, from the unit and the words before (else just after) the figure."""
    family = figure.unit.family if figure.unit else "money"
    words = list(_MEASURE_WORD_RE.finditer(before))
    last = words[-1] if words else None
    if last is None and not change:
        last = _MEASURE_AFTER_RE.match(after)  # 按150%拨备覆盖率计算, 100%以上的月环比增长
    if family in ("share", "points", "ratio"):
        if last is not None and last.group("rate"):
            return "rate"
        if change or family == "points" or (last is not None and last.group("growth")):
            return "growth"
        return "rate" if family == "ratio" else "share"
    if change:
        return "growth"  # 减少3亿元: a change, not a level
    return "count" if family == "count" else "amount"


def _split_subject_measure(phrase: str) -> tuple[str | None, str | None]:
    heads = list(_SUBJECT_HEAD_RE.finditer(phrase))
    if heads and heads[-1].end() < len(phrase):
        return phrase[: heads[-1].end()] or None, phrase[heads[-1].end() :]
    return None, phrase or None


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


def _sentence_start(text: str, pos: int, ends: frozenset[str] = _PERIOD_SCOPE_ENDS) -> int:
    floor = max(0, pos - _SENTENCE_WINDOW)
    i = pos
    while i > floor and text[i - 1] not in ends:
        i -= 1
    return i


def _find_period(text: str, pos: int, context_year: int | None) -> Period | None:
    """The last period in the figure's sentence part (up to a semicolon), else one that opens the sentence."""
    part = _sentence_start(text, pos)
    periods = find_periods(text, part, pos, context_year)
    if periods:
        return periods[-1]
    sentence = _sentence_start(text, part, SENTENCE_ENDS)
    opening = find_periods(text, sentence, part, context_year)[:1]  # 上半年，…；营业额385.7亿元
    return (
        opening[0]
        if opening and opening[0].start == sentence and text.startswith("，", opening[0].end)
        else None
    )


def _measure_phrase(before: str) -> tuple[str, str, bool]:
    """The words naming what a figure measures, the words after 分别, and whether 分别 spreads a list over them."""
    phrase = _VERB_TAIL_RE.sub("", _GROWTH_TAIL_RE.sub("", before))
    lead = PERIOD_RE.match(phrase)
    phrase = phrase[lead.end() :] if lead else phrase
    phrase, _, share_tail = phrase.partition("分别")
    cut = list(_VERB_CUT_RE.finditer(phrase))
    if cut:
        phrase = phrase[cut[-1].end() :]
    return phrase, _VERB_TAIL_RE.sub("", share_tail), "分别" in before


def _period_of(
    text: str, first: int, base: re.Match[str] | None, context_year: int | None
) -> tuple[str | None, str | None, str | None]:
    """The period as written and its first and last day; a comparison base (比2017年的) names its own."""
    if base and base.group("p"):
        return base.group("p"), *resolve_surface(base.group("p"), context_year)
    period = _find_period(text, first, context_year)
    return (period.surface, period.first_day, period.last_day) if period else (None, None, None)


def _with_unit(item: Figure, last: Figure) -> Figure:
    """A list item written without a unit (34.5 in 34.5、50.9和85.9亿元) takes the unit of the last item; one with
    a multiplier of its own keeps it (6万 in 6万至8万元 is 60,000 yuan)."""
    multiplier = item.multiplier or last.multiplier
    scale = MULTIPLIERS.get(multiplier, 1.0) * (last.unit.scale if last.unit else 1.0)
    written = last.unit_written or ""
    if item.multiplier and last.multiplier and written.startswith(last.multiplier):
        written = item.multiplier + written[len(last.multiplier) :]
    return Figure(
        item.start,
        item.end,
        item.number,
        item.written_value,
        scaled(item.written_value, scale),
        last.unit,
        written or None,
        multiplier,
        item.approx,
        item.is_chinese,
    )


def _flush(run: list[Figure]) -> list[Figure]:
    """The items of one list or range, each with a unit; items without one (34.5, or a bare 6万) take the unit
    of the next item that has one. A bare 6万 with none after it stays as it is; a bare number is no metric."""
    items: list[Figure] = []
    waiting: list[Figure] = []
    for fig in run:
        if fig.unit is None:
            waiting.append(fig)
            continue
        items += [_with_unit(w, fig) for w in waiting] + [fig]
        waiting = []
    return items + [w for w in waiting if w.unit_written is not None]


def _groups(text: str) -> list[list[Figure]]:
    """Figures grouped into lists and ranges (items joined by 、, 和, 及, 与, 到, 至)."""
    groups: list[list[Figure]] = []
    run: list[Figure] = []
    for fig in iter_figures(text):
        if run and text[run[-1].end : fig.start] not in JOINERS:
            groups.append(_flush(run))
            run = []
        run.append(fig)
    groups.append(_flush(run))
    return [g for g in groups if g]


def extract_metrics(
    text: str, published_at: str | None = None, entities: Sequence[Mention] = ()
) -> tuple[Metric, ...]:
    """Figures with a unit as metrics; years, dates, ordinals, ranks and estimates are not metrics."""
    context_year = find_context_year(text, published_at)
    subjects = sorted((e for e in entities if e.kind in _SUBJECT_KINDS), key=lambda e: e.end)
    next_entity = 0
    metrics: list[Metric] = []
    clause_from = 0
    last_measure: str | None = None
    last_subject: str | None = None
    last_kind = ""
    by_end = {e.end: e for e in entities}
    for group in _groups(text):
        group = [f for f in group if not is_not_a_metric(text, f) and not sums_up_named(text, f, by_end)]
        if not group:
            continue
        first, end = group[0].start, group[-1].end
        cs = clause_start(text, first, max(clause_from, first - _CLAUSE_WINDOW))
        before = text[cs:first]
        change = _CHANGE_RE.search(before)
        sign = -1.0 if change and change.group("down") else 1.0
        phrase, share_tail, distributive = _measure_phrase(before)
        base = _COMPARE_RE.match(phrase)
        # 比2017年的2073.5亿元 is the base period's value; 比上年增加178亿斤 is this period's change over it.
        period_base = None if change else base
        period_surface, period_first, period_last = _period_of(text, first, period_base, context_year)
        if base:  # 比2017年的2073.5亿元: the same measure in the base period
            subject, measure = last_subject, last_measure
        else:
            subject, measure = _split_subject_measure(phrase)
        following = _FOLLOWING_NOUN_RE.match(text, end)
        if group[-1].unit and group[-1].unit.family == "count" and following and not distributive:
            # 2个国家地理标志产品保护示范区: the counted noun follows the classifier
            subject, measure = None, following.group("noun")
        if measure and share_tail:
            measure += share_tail
        after = text[end : end + 12]
        if last_kind and cs == clause_from and _LEVEL_RE.match(before):
            kinds = [last_kind] * len(group)
        else:
            kinds = [_kind(f, before, change, after) for f in group]
        if measure is None and kinds[-1] == "growth":
            subject, measure = subject or last_subject, last_measure  # 销售金额1056.2亿元，同比增长8.8%
        sentence_from = _sentence_start(text, first)
        while next_entity < len(subjects) and subjects[next_entity].end <= first:
            next_entity += 1
        if (
            subject is None
            and next_entity
            and subjects[next_entity - 1].start >= sentence_from
            and (kinds[-1] in _ENTITY_SUBJECT_KINDS or group[-1].unit_written in _ENTITY_SUBJECT_COUNTS)
        ):
            subject = subjects[next_entity - 1].name  # the organization or place the sentence names before it
        names = _distribute(subject, len(group)) if distributive else [subject] * len(group)
        for fig, name, kind in zip(group, names, kinds, strict=True):
            metrics.append(
                Metric(
                    subject=name,
                    measure=measure,
                    value=(sign if kind == "growth" else 1.0) * fig.value,
                    unit=fig.unit.base if fig.unit else None,
                    period=period_surface,
                    start=fig.start,
                    end=fig.end,
                    kind=kind,
                    unit_written=fig.unit_written,
                    approx=fig.approx,
                    period_start=period_first,
                    period_end=period_last,
                )
            )
        last_measure, last_subject = measure or last_measure, subject or last_subject
        last_kind = kinds[-1]
        clause_from = end
    return tuple(metrics)
