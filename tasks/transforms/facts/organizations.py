"""Organizations by suffix (局, 人民政府, 大学...) with a prefix bounded by punctuation, verbs or a place name."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..models import Mention
from ._text import PHRASE_BREAKS, alternation, is_han
from .data.lexicon import CLAUSE_VERBS, NOT_ORG_WORDS, ORG_SUFFIXES, TITLES

# Longest organization name we accept; the longest in the MSRA/People's Daily gold is ~20 chars for >99% of ORGs.
MAX_ORG_LEN = 22
# A single-character suffix must not be the start of a longer word (局长, 部门, 部署...).
_SUFFIX_RE = re.compile(f"(?:{alternation(ORG_SUFFIXES)})(?![长门分署件位面势])")
_VERB_RE = re.compile(alternation(CLAUSE_VERBS))
_TITLE_AT_RE = re.compile(alternation(TITLES))
# Words that may open an organization name when no place name does.
_ANCHOR_RE = re.compile(r"国家|中国|中共|中华|全国|国务院|自治区|省|市")
# Generic organs after a bare level character: 市委, 市人民政府, 省政府, 区党委.
BARE_LEVEL_RE = re.compile(
    r"^[省市区县州](?:委|人民政府|政府|人大|政协|党委|纪委|监委|委员会|[^\s]{1,8}(?:局|厅|委|办))"
)
LEVEL_OF_BARE = {"省": "province", "市": "city", "区": "province", "县": "county", "州": "city"}


def _scan_start(text: str, suffix_start: int, places: Sequence[Mention]) -> int | None:
    """Start of the organization whose suffix starts at `suffix_start`, or None when no sensible boundary exists."""
    floor = max(0, suffix_start - MAX_ORG_LEN)
    i = suffix_start
    while i > floor and text[i - 1] not in PHRASE_BREAKS and (is_han(text[i - 1]) or text[i - 1].isalnum()):
        i -= 1
    hit_limit = i == floor and floor > 0 and text[i - 1] not in PHRASE_BREAKS
    window = text[i:suffix_start]
    verb_end = 0
    for m in _VERB_RE.finditer(window):
        if m.group(0) == "和" and window[max(0, m.start() - 1) : m.start()] == "共":
            continue  # 共和国
        verb_end = m.end()
    start = i + verb_end
    if not hit_limit and any(p.start == i and p.kind == "location" for p in places):
        return i  # a phrase opening with a place name is a full name: 广西...实施工作厅际联席会议
    # Prefer a place name or 国家/中国 as the first word: it is the usual head of a full name.
    for p in places:
        if start <= p.start < suffix_start and p.kind == "location":
            return p.start if p.start == start or verb_end == 0 or hit_limit else start
    anchor = _ANCHOR_RE.search(text, start, suffix_start)
    if hit_limit and verb_end == 0:
        return anchor.start() if anchor else None
    return start


def find_organizations(text: str, places: Sequence[Mention]) -> tuple[Mention, ...]:
    """Organization mentions; `name` equals the surface here (bare 市/省 is resolved where roles need it)."""
    found: list[Mention] = []
    for m in _SUFFIX_RE.finditer(text):
        if _TITLE_AT_RE.match(text, m.start()) or text[m.start() - 1 : m.end()] in NOT_ORG_WORDS:
            continue  # 党组书记 is a title, 大局 a word
        start = _scan_start(text, m.start(), places)
        if start is None:
            continue
        surface = text[start : m.end()]
        if surface in NOT_ORG_WORDS or any(surface.endswith(w) for w in NOT_ORG_WORDS if len(w) > 2):
            continue
        if re.search(r"[0-9万亿]", surface) or surface[0] in "一该这那此某每各几多":
            continue  # 6家上市公司, 一家公司: a counted or determined noun, not a name
        head_len = m.start() - start
        if head_len < 2 and not BARE_LEVEL_RE.match(surface):
            continue
        found.append(Mention("organization", surface, surface, start, m.end()))
    # 工作厅 inside 工作厅际联席会议: keep the longest candidate among those sharing a start.
    longest: dict[int, Mention] = {}
    for o in found:
        if o.start not in longest or o.end > longest[o.start].end:
            longest[o.start] = o
    kept = sorted(longest.values(), key=lambda o: o.start)
    return tuple(
        o for o in kept if not any(k is not o and k.start <= o.start and o.end <= k.end for k in kept)
    )


def resolve_bare_level(org: str, pos: int, places: Sequence[Mention]) -> str:
    """Give a bare 市/省/区 organization (市人民政府) the nearest preceding place of that level (柳州市人民政府)."""
    if not BARE_LEVEL_RE.match(org):
        return org
    level = LEVEL_OF_BARE[org[0]]
    before = [p for p in places if p.end <= pos and p.level == level]
    if org[0] == "区":
        before = [p for p in before if p.name.endswith("自治区")]
    if not before:
        return org
    return before[-1].name + org[1:]
