"""People with titles and organizations: `柳州市委副书记、市人民政府市长张壮` -> two roles of 张壮."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..models import Mention, Role
from ._text import alternation, is_han
from .data.lexicon import CLAUSE_VERBS, PROFESSIONS, TITLE_MODIFIERS, TITLES
from .entities import is_common_word
from .names import read_name
from .organizations import resolve_bare_level

_TITLE_RE = re.compile(f"(?:{alternation(TITLE_MODIFIERS)}){{0,2}}(?:{alternation(TITLES)})")
TITLE_AT_END_RE = re.compile(f"(?:{alternation(TITLE_MODIFIERS)}){{0,2}}(?:{alternation(TITLES)})$")
# The longest text TITLE_AT_END_RE can match: searching only this far back keeps a lookup O(1) instead of O(pos).
TITLE_MAX_LEN = 2 * max(map(len, TITLE_MODIFIERS)) + max(map(len, TITLES))
# Words after which an organization inside a chain starts (的, verbs); 和/与 stay: they join names (天体物理学与行星学).
_ORG_CUT_RE = re.compile(
    alternation([v for v in CLAUSE_VERBS if v not in ("和", "与", "及", "同", "为")] + ["但", "并"])
)
# A chain element ends at 、 or 兼; the chain itself at any other punctuation.
_CHAIN_BREAKS = frozenset('，。；;：:！？!?（）()“”‘’"《》【】\n\t ,')
# Longest chain we read back from a name; longer runs are sentences, not title chains.
MAX_CHAIN = 60


def _chain_start(text: str, pos: int) -> int:
    i = pos
    while i > max(0, pos - MAX_CHAIN) and text[i - 1] not in _CHAIN_BREAKS:
        i -= 1
    return i


def _split_chain(text: str, start: int, end: int) -> list[tuple[int, int]]:
    parts, s = [], start
    for i in range(start, end):
        if text[i] in "、兼":
            parts.append((s, i))
            s = i + 1
    parts.append((s, end))
    return [(a, b) for a, b in parts if b > a]


def _clean_org(org: str) -> str | None:
    org = org.removesuffix("的")  # 未来论坛理事会的轮值主席: the org is what comes before 的
    cut = 0
    for m in _ORG_CUT_RE.finditer(org):
        cut = m.end()
    org = org[cut:]
    return org if len(org) >= 2 and all(is_han(c) or c.isalnum() for c in org) else None


def _chain_roles(
    text: str, person: str, title_end: int, name_end: int, places: Sequence[Mention]
) -> list[Role]:
    start = _chain_start(text, title_end)
    roles: list[Role] = []
    previous_org: str | None = None
    for a, b in _split_chain(text, start, title_end):
        m = TITLE_AT_END_RE.search(text, a, b)
        if not m or m.start() < a:
            previous_org = None
            continue
        title = m.group(0)
        org = _clean_org(text[a : m.start()]) if m.start() > a else None
        if org is not None:
            org = resolve_bare_level(org, a, places)
            previous_org = org
        elif title not in PROFESSIONS:
            org = previous_org  # 党组书记、局长: the 局长 of the same organization
        roles.append(Role(person, title, org, a, name_end))
    return roles


def extract_roles(text: str, places: Sequence[Mention], persons: Sequence[Mention] = ()) -> tuple[Role, ...]:
    """Roles from title chains before a name and from a title right after a name (`张壮市长`).

    `persons` are names found without context (the lexicon NER): a title next to one confirms it, so a name that
    `read_name` cannot end (杨敬辉当面告诉) is still read after 董事长.
    """
    roles: list[Role] = []
    seen: set[tuple[str, str, str | None]] = set()
    end_at = {p.start: p.end for p in persons if p.kind == "person"}
    start_at = {p.end: p.start for p in persons if p.kind == "person"}
    for m in _TITLE_RE.finditer(text):
        name_end = read_name(text, m.end())
        if name_end is not None and is_common_word(text[m.end() : name_end]):
            name_end = None  # 校长焦虑不安: 焦虑 reads as surname + name but is a word
        name_end = name_end or end_at.get(m.end())
        found: list[Role] = []
        if name_end is not None:
            person = text[m.end() : name_end]
            found = _chain_roles(text, person, m.end(), name_end, places)
        else:  # title after a name: the name must open a phrase (张壮市长, ，王强教授)
            for size in (3, 2):
                s = m.start() - size
                if (
                    s >= 0
                    and (s == 0 or not is_han(text[s - 1]))
                    and read_name(text[: m.end()], s) == m.start()
                    and not is_common_word(text[s : m.start()])
                ):
                    found = [Role(text[s : m.start()], m.group(0), None, s, m.end())]
                    break
            s = start_at.get(m.start(), -1)
            if not found and s >= 0:
                found = [Role(text[s : m.start()], m.group(0), None, s, m.end())]
        for r in found:
            key = (r.person, r.title, r.organization)
            if key not in seen:
                seen.add(key)
                roles.append(r)
    return tuple(roles)
