"""Events: a name ending in 仪式/大会/论坛... with its date, place, organizers and guiding bodies."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..models import DateMention, Event
from ._text import PHRASE_BREAKS, alternation, sentence_bounds

_EVENT_HEADS = (
    "启动仪式 开幕式 闭幕式 颁奖典礼 仪式 典礼 大会 会议 论坛 峰会 发布会 博览会 展览会 交易会 研讨会 座谈会 推介会 "
    "洽谈会 年会 庆典 活动 大赛 比赛 赛事 展会 展览"
).split()
_NAME_RE = re.compile(f".{{2,40}}(?:{alternation(_EVENT_HEADS)})")
# 在柳州举行 / 举行 / 在第二届...开幕式上
_TRIGGER_RE = re.compile(
    r"(?:在(?P<loc>[^，。；、在]{1,12}?))?(?:隆重|正式|顺利|盛大)?(?:举行|召开|开幕|举办|启动|落幕|闭幕)"
    r"(?!仪式|典礼|大会|会议|活动)"
)
_ON_RE = re.compile(r"在(?P<name>[^，。；]{4,40}?(?:" + alternation(_EVENT_HEADS) + r"))(?:上|期间|现场)")
# What opens an event's name: the last particle, preposition or conjunction before it (他和…之前的|圣餐仪式; a list
# of kinds, 节日、生日聚会以及|活动, then leaves a bare head, which names no event).
_NAME_START_CUT = re.compile(r".*(?:的|由|在|和|与|暨前|为|以及)")
_ROLE_RE = re.compile(r"(?:由)?(?P<who>[^，。；由]{2,80}?)(?P<verb>指导|主办|承办)")


def _split_orgs(s: str) -> tuple[str, ...]:
    return tuple(
        p for p in re.split(r"[、和及与]|以及", s.removeprefix("由").removeprefix("共同")) if len(p) >= 2
    )


def _orgs(before: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    guided: tuple[str, ...] = ()
    organizers: tuple[str, ...] = ()
    pos = 0
    for m in _ROLE_RE.finditer(before):
        who = before[max(pos, m.start()) : m.start("verb")].lstrip("，,由")
        who = who.removesuffix("共同").removesuffix("联合")
        if m.group("verb") == "指导":
            guided = _split_orgs(who)
        elif m.group("verb") == "主办":
            organizers = _split_orgs(who)
        pos = m.end()
    return guided, organizers


def _date_in(dates: Sequence[DateMention], start: int, end: int) -> str | None:
    inside = [d for d in dates if start <= d.start < end and len(d.iso) == 10 and d.iso[4] == "-"]
    return inside[0].iso if inside else None


def extract_events(text: str, dates: Sequence[DateMention]) -> tuple[Event, ...]:
    """Events named by a head noun and announced by 举行/召开/开幕 (or `在X上`), in the same sentence."""
    events: list[Event] = []
    for m in _TRIGGER_RE.finditer(text):
        head_end = m.start()
        start = head_end
        while start > max(0, head_end - 40) and text[start - 1] not in PHRASE_BREAKS:
            start -= 1
        if not _NAME_RE.fullmatch(text, start, head_end):
            continue
        cut = _NAME_START_CUT.match(text, start, head_end)
        start = cut.end() if cut else start
        name = text[start:head_end]
        if len(name) < 4 or not name.endswith(tuple(_EVENT_HEADS)):
            continue
        s0, s1 = sentence_bounds(text, start)
        guided, organizers = _orgs(text[s0:start])
        events.append(
            Event(name, _date_in(dates, s0, s1), m.group("loc"), organizers, guided, start, m.end())
        )
    for m in _ON_RE.finditer(text):
        if any(e.start <= m.start("name") < e.end for e in events):
            continue
        s0, s1 = sentence_bounds(text, m.start())
        cut = _NAME_START_CUT.match(text, m.start("name"), m.end("name"))
        start = cut.end() if cut else m.start("name")
        name = text[start : m.end("name")]
        if len(name) < 4:
            continue
        events.append(Event(name, _date_in(dates, s0, s1), None, (), (), start, m.end("name")))
    return tuple(sorted(events, key=lambda e: e.start))
