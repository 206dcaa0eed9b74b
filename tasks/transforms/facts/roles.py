"""Roles from title chains around person entities: `柳州市委副书记、市人民政府市长张壮` -> two roles of 张壮.

A role's person is a person entity right after the chain (or right before an honorific title: 张壮市长); its
organization is the run of organization/place entities ending at the title, never free text.
"""

from __future__ import annotations

import re

from ..models import Mention, Role
from ._text import is_han
from .data.lexicon import ORG_SUFFIXES, PROFESSIONS
from .document import Document
from .titles import (
    NAME_FIRST_TITLES,
    NOT_AFTER_NAME,
    NOT_ORG_FIRST,
    TITLE_RE,
    TITLE_SET,
    chain_elements,
    chain_start,
    strip_qualifiers,
    title_base,
)

_BODY_KINDS = ("organization", "location")
_SUFFIX_SET = frozenset(ORG_SUFFIXES)
# A title word inside a body's name is followed by its suffix (理事会, 委员会), never by a given name.
_NOT_IN_NAMES = frozenset("的和与及或等")
_SUFFIX_FIRST_CHARS = ("会", "处", "部", "局", "团", "院", "所", "办", "厅", "室", "组")


def organization_before(doc: Document, floor: int, title_start: int) -> str | None:
    """The body holding a title that starts at `title_start`: the organization/place entities ending there."""
    covering = doc.entity_covering(title_start)
    if covering is not None and covering.kind == "location" and floor <= covering.start < title_start:
        return covering.name  # 柳州市长: the place runs into the title (柳州 + 市长)
    parts: list[Mention] = []
    pos = strip_qualifiers(doc.text, floor, title_start)  # 高通中国相关业务负责人
    while (m := doc.entity_ending_at.get(pos)) is not None and m.kind in _BODY_KINDS and m.start >= floor:
        parts.append(m)
        pos = m.start
    if not parts:
        return None
    first = parts[-1]
    if doc.text[first.start] in NOT_ORG_FIRST or (len(parts) == 1 and first.surface in _SUFFIX_SET):
        return None  # 我院党委, a bare 研究所: they name no body an analyst can find
    return first.name + doc.text[first.end : parts[0].end]  # 湖北省 + 国防科工办


def _holds_a_name(text: str, start: int, title: re.Match[str]) -> bool:
    """True for an element `TITLE NAME TITLE` (原院长佘之祥研究员): 2-4 name-like chars between two titles."""
    inner = max(TITLE_RE.finditer(text, start, title.start()), key=lambda m: m.start(), default=None)
    if inner is None:
        return False
    rest = text[inner.end() : title.start()]
    return (
        2 <= len(rest) <= 4
        and all(is_han(c) and c not in _NOT_IN_NAMES for c in rest)
        and not rest.startswith(_SUFFIX_FIRST_CHARS)
    )


# A party committee's titles; any other title after one (党工委委员、…局长; 市委副书记、市长) is held in another body,
# which the chain does not name when it names none itself.
_PARTY_TITLES = frozenset(("委员", "常委", "秘书长", "党组成员"))
_PARTY_BODY_ENDS = ("党委", "党工委", "党组", "纪委")
_DIVISION_CHARS = frozenset("省市县区州镇乡旗盟")


def _outside_party(org: str | None, title: str) -> bool:
    """True when `org` is a party committee and `title` is none of its titles (the 局长 after 党工委委员)."""
    if org is None or title.endswith("书记") or title in _PARTY_TITLES:
        return False
    return org.endswith(_PARTY_BODY_ENDS) or (org.endswith("委") and org[-2:-1] in _DIVISION_CHARS)


def _body_led(party: str | None) -> str | None:
    """The body or division a party committee leads (国家发改委党组 -> 国家发改委, 柳州市委 -> 柳州市), if named."""
    if party is None or party.endswith("纪委"):
        return None
    body = next((party.removesuffix(end) for end in _PARTY_BODY_ENDS if party.endswith(end)), party[:-1])
    body = body.removeprefix("中共")
    return body if len(body) >= 2 else None


def _chain_roles(doc: Document, person: Mention, chain_end: int) -> list[Role]:
    """Every title of the chain before `person`, back to an element that names someone else."""
    elements = list(chain_elements(doc.text, chain_start(doc.text, chain_end), chain_end))
    own: list[tuple[int, re.Match[str]]] = []
    for a, b, title in reversed(elements):
        if title is None:
            break
        if own and (
            any(m.kind == "person" for m in doc.entities_in(a, b)) or _holds_a_name(doc.text, a, title)
        ):
            break  # 李旭锋教授、...秘书长张国友: the earlier element is 李旭锋's
        own.append((a, title))
    roles: list[Role] = []
    previous_org: str | None = None
    for a, title in reversed(own):
        name = title.group(0)
        org: str | None
        covering = doc.entity_covering(title.start())
        if (
            covering is not None
            and covering.kind == "organization"
            and a <= covering.start < title.start() < covering.end < title.end()
            and title.start() - covering.start >= 2  # 局党组书记: 局 names no body
            and doc.text[covering.start] not in NOT_ORG_FIRST
        ):
            # 深圳市委|书记: the body runs into a title that repeats its suffix (市委书记); the rest is the title.
            # When the rest is no title (外交部|长), the body's last char opens the title too: 外交部 部长.
            rest = doc.text[covering.end : title.end()]
            org, name = covering.name, (rest if title_base(rest) in TITLE_SET else name)
        else:
            org = organization_before(doc, a, title.start())
        if org is not None:
            previous_org = org
        elif title.start() == a and name not in PROFESSIONS:
            # 党组书记、局长: the 局长 of the same organization; after a party committee's title, of what it leads
            org = _body_led(previous_org) if _outside_party(previous_org, name) else previous_org
        roles.append(Role(person.name, name, org, a, person.end))
    return roles


def _listed_after(doc: Document, person: Mention) -> list[Mention]:
    """Persons listed right after `person` with 、 (直选议员黄毓民、陈伟业): they share the title."""
    out = []
    while person.end < len(doc.text) and doc.text[person.end] == "、":
        nxt = doc.entity_at.get(person.end + 1)
        if nxt is None or nxt.kind != "person":
            break
        out.append(nxt)
        person = nxt
    return out


def extract_roles(doc: Document) -> tuple[Role, ...]:
    """Roles of the person entities: title chains before a name, honorific titles after one."""
    roles: list[Role] = []
    seen: set[tuple[str, str, str | None]] = set()
    # A role's end (its person's end) -> its organization, for the person listed next.
    held: dict[int, str] = {}
    for m in TITLE_RE.finditer(doc.text):
        inside = doc.entity_covering(m.end() - 1)
        if inside is not None and inside.end > m.end():
            continue  # the title is part of a longer name (吉林省长春市)
        before = doc.entity_ending_at.get(m.start())
        after = doc.entity_at.get(m.end())
        found: list[Role] = []
        # A bare surname (江主席, 陈校长) holds no role of its own: the full name's role is stated where it is written.
        after_is_person = after is not None and after.kind == "person" and len(after.surface) > 1
        if (
            before is not None
            and before.kind == "person"
            and len(before.surface) > 1
            and (not after_is_person or title_base(m.group(0)) in NAME_FIRST_TITLES)
        ):
            if m.group(0) not in NOT_AFTER_NAME:  # 习近平主席贺信: the title is 习近平's
                found = [Role(before.name, m.group(0), None, before.start, m.end())]
        elif after is not None and after_is_person:
            found = _after_listed_person(doc, _chain_roles(doc, after, m.end()), held)
            last = found[-1] if found else None
            for other in _listed_after(doc, after):
                if last is not None:
                    found.append(Role(other.name, last.title, last.organization, last.start, other.end))
        for r in found:
            if r.organization is not None:
                held[r.end] = r.organization
            key = (r.person, r.title, r.organization)
            if key not in seen:
                seen.add(key)
                roles.append(r)
    return tuple(roles)


# A board is where the chair sits, not where the next officer works (董事会主席马化腾、副总裁程武: 程武 is 腾讯公司's).
_BOARDS = ("董事会", "董事局", "监事会")


def _after_listed_person(doc: Document, roles: list[Role], held: dict[int, str]) -> list[Role]:
    """A chain that names no body, right after `、` and a person whose role did (华为公司董事长梁华、总裁任正非), is
    of that body: its leading roles take it (the body a party committee leads, for a government title)."""
    if not roles or roles[0].organization is not None:
        return roles
    start = roles[0].start
    org = held.get(start - 1) if doc.text[start - 1 : start] == "、" else None
    if org is None:
        return roles
    body = next((org.removesuffix(b) for b in _BOARDS if org.endswith(b) and len(org) > len(b) + 1), org)
    out: list[Role] = []
    for k, r in enumerate(roles):
        if r.organization is not None or any(o.organization is not None for o in roles[:k]):
            out.extend(roles[k:])
            break
        inherited = _body_led(body) if _outside_party(body, r.title) else body
        out.append(Role(r.person, r.title, inherited, r.start, r.end))
    return out
