"""The entity layer: the one place that decides what is a person, place or organization.

Candidates come from the recogniser (find_entities) and from rules confirmed by context: gazetteer places,
organizations read back from a suffix, names next to a title / speech verb / in the byline (spread to every
occurrence), and the body named before a title held by such a name (海新科技董事长杨敬辉). They are merged once,
by one sweep over the spans sorted by start (mentions.merge_mentions).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..models import Mention
from .addresses import join_addresses
from .data.adcodes import country_codes
from .data.lexicon import KNOWN_COMPANIES, ORG_SUFFIXES, SURNAMES_SINGLE, TITLE_MODIFIERS
from .document import Document
from .entities import (
    dictionary_kinds,
    find_entities,
    is_common_word,
    is_dictionary_word,
    lexicon_words,
    org_verbs,
)
from .gazetteer import find_places
from .mentions import merge_mentions, spread_names
from .organizations import MAX_ORG_LEN, find_organizations, resolve_bare_level
from .people import Blocked, find_context_people, title_matches
from .span_checks import is_cut_name, lies_inside_word, screen_spans
from .tagger import Tagger
from .titles import NOT_ORG_FIRST, TITLE_RE, chain_elements, chain_start, org_span_before

_SUFFIXES = tuple(ORG_SUFFIXES)
_COMPANY_RE = re.compile("|".join(sorted(KNOWN_COMPANIES, key=len, reverse=True)))
# A conjunction inside one body's name (工业和信息化部), and how long the field it adds before the tagger's
# organization may be (国家发展和 of 国家发展和改革委员会).
_TWO_FIELD_JOINS = frozenset("和与及")
MAX_JOINED_FIELD = 8
# What makes one surname char a person (江主席, 陈先生, 王老; 老薛, 小薛): a title or honorific after it, 老/小 before.
_HONORIFICS = ("先生", "女士", "夫人", "小姐", "同志", "老", "姥姥")
_FAMILIAR = frozenset("老小")
# Kinds whose recogniser spans must not be ordinary dictionary words. Organizations are left out: the NER gold
# marks generic bodies (委员会, 县委, 空军) as organizations, and dropping them cost 0.015 ORG F1 on MSRA test.
_PLAIN_WORD_KINDS = frozenset({"person", "location"})


def _screened(text: str, found: list[Mention]) -> list[Mention]:
    """screen_spans, keeping every mention of a name it keeps somewhere in the document: 冯强 dropped in 向冯强|打来
    (强打 is a word) is the 冯强 of 冯强躲开了."""
    kept = screen_spans(text, found)
    names = {m.surface for m in kept if m.kind == "person" and len(m.surface) > 1}
    if not names:
        return kept
    taken = {m.start for m in kept}
    again = [m for m in found if m.kind == "person" and m.surface in names and m.start not in taken]
    return sorted([*kept, *again], key=lambda m: m.start) if again else kept


def _canonical(m: Mention, places: tuple[Mention, ...]) -> Mention:
    """Give a recogniser organization the canonical name the rules would give it (places are named by find_entities);
    a recognised person that is a country's whole name is that country (马拉维, glossed X like a foreign name)."""
    if m.kind == "person" and m.surface in country_codes():
        return Mention("location", m.surface, m.surface, m.start, m.end, "country")
    if m.kind == "organization":
        return Mention(m.kind, resolve_bare_level(m.surface, m.start, places), m.surface, m.start, m.end)
    return m


def _is_org_phrase(text: str, start: int, end: int, people: list[Mention], blocked: Blocked) -> bool:
    """True for text before a title that can name a body: no person, verb or pronoun in it, not one common word."""
    if end - start > MAX_ORG_LEN or text[start] in NOT_ORG_FIRST or blocked.crosses_at(end):
        return False
    if text.startswith(TITLE_MODIFIERS, start):
        return False  # 高级市场总监: 高级 belongs to the title
    if any(p.start < end and start < p.end for p in people):
        return False  # 西南大学党委书记李旭锋、张国友: an element holding a name is a role, not a body
    words = lexicon_words(text, start, end)
    verbs = org_verbs()
    if any(text[s:e] in verbs for s, e, _ in words):
        return False  # 学习领会, 出台
    if len(words) == 1 and words[0][2] == "W" and not text[start:end].endswith(_SUFFIXES):
        return False  # 直选, 高级市场: one ordinary word is no name
    return True


def titled_organizations(
    text: str,
    blocked: Blocked,
    titles: list[re.Match[str]],
    people: list[Mention],
    known: set[tuple[int, int]],
) -> list[Mention]:
    """Bodies named in a title chain before a confirmed person (海新科技董事长杨敬辉) that no other rule found."""
    person_at = {p.start for p in people}
    found: list[Mention] = []
    for m in titles:
        if m.end() not in person_at:
            continue
        for a, _, title in chain_elements(text, chain_start(text, m.end()), m.end()):
            if title is None or title.start() == a:
                continue
            span = org_span_before(text, a, title.start())
            if span is None or span in known or blocked.crosses_at(span[0]):
                continue
            if _is_org_phrase(text, span[0], span[1], people, blocked):
                surface = text[span[0] : span[1]]
                found.append(Mention("organization", surface, surface, span[0], span[1]))
    return found


def _veto_recognised_people(
    titles: list[re.Match[str]], people: list[Mention], lexicon: list[Mention]
) -> list[Mention]:
    """Drop recogniser names that a title next to a confirmed name rules out, at every occurrence.

    习近平主席贺信: the title went to the confirmed name before it, so the word after it is no name. 紫光展锐副总裁周晨:
    the title went to the confirmed name after it, so the word before it names the body, not a person.
    """
    starts, ends = {p.start for p in people}, {p.end for p in people}
    lexicon_end = {m.end: m for m in lexicon if m.kind == "person"}
    lexicon_start = {m.start: m for m in lexicon if m.kind == "person"}
    vetoed: set[str] = set()
    for m in titles:
        for pos in range(m.start(), m.end()):  # 荣誉 in 荣誉教授: part of a title is no name
            held = lexicon_start.get(pos)
            if held is not None and held.end <= m.end():
                vetoed.add(held.name)
        if m.start() in ends and m.end() in lexicon_start:
            vetoed.add(lexicon_start[m.end()].name)
        elif m.end() in starts and m.start() in lexicon_end:
            vetoed.add(lexicon_end[m.start()].name)  # the title went to the confirmed name after it
    vetoed -= {p.name for p in people}
    # A name the dictionary knows as a person's (霍英东 in 霍英东|秘书长田纪云, a list: the title is 田纪云's) stays.
    vetoed = {name for name in vetoed if "P" not in dictionary_kinds(name)}
    return [m for m in lexicon if not (m.kind == "person" and m.name in vetoed)]


def _is_wrong_kind(m: Mention) -> bool:
    """True when a dictionary knows the span as a proper noun of other kinds only (承德 a city read as a person)."""
    kinds = dictionary_kinds(m.surface)
    if not kinds or m.kind == "organization":
        return False
    # X (no kind in the gloss) is left alone: a bare foreign name (Picasso) or country (Argentina) is glossed so.
    if m.kind == "person":
        return not set(kinds) & {"P", "X"}  # 承德 (L), 穆斯林 (G)
    return "L" not in kinds and bool(set(kinds) & {"O", "P"})  # a place read as 阿里巴巴 (O, X), 周公 (P)


def _without_plain_words(lexicon: list[Mention], names: set[str]) -> list[Mention]:
    """Drop recogniser spans that are ordinary dictionary words (瓦斯, 香水, 智库) or proper nouns of another kind
    (承德 as a person), unless context names the person."""
    return [
        m
        for m in lexicon
        if m.kind not in _PLAIN_WORD_KINDS
        or m.name in names
        or not (is_dictionary_word(m.surface) or _is_wrong_kind(m))
    ]


def _addressed(text: str, m: Mention) -> bool:
    """True for a surname char addressed as a person: a title or honorific after it, or 老/小 before it."""
    return (
        TITLE_RE.match(text, m.end) is not None
        or text.startswith(_HONORIFICS, m.end)
        or (m.start > 0 and text[m.start - 1] in _FAMILIAR)
    )


def _named_surnames(text: str, bare: list[Mention], full: list[Mention]) -> list[Mention]:
    """Recogniser persons of one surname char (江主席, 王老, 陈先生) named by the full name of the document with that
    surname (江 -> 江泽民); with none, or a tie, the mention keeps the bare surname, and roles and quotes skip it."""
    by_surname: dict[str, Counter[str]] = {}
    for p in full:
        by_surname.setdefault(p.name[0], Counter())[p.name] += 1
    out = []
    for m in bare:
        if m.surface not in SURNAMES_SINGLE or not _addressed(text, m):
            continue  # 陈酿, 侯乘: a surname-like char with no title or honorific is no person
        top = by_surname.get(m.surface, Counter()).most_common(2)
        # the one full name, or the one named most often (陈立群 11 times, 陈水珠 once: 陈校长 is 陈立群)
        name = top[0][0] if len(top) == 1 or (top and top[0][1] > top[1][1]) else m.surface
        out.append(Mention(m.kind, name, m.surface, m.start, m.end))
    return out


def _joined_two_fields(lexicon: list[Mention], orgs: Sequence[Mention]) -> list[Mention]:
    """The tagger's spans replaced by a suffix-read name of two fields joined by a conjunction that ends where the
    tagger's organization ends: the suffix rule keeps a conjunction only between two fields of one name, and the
    tagger, trained on running text, cuts such a name at the conjunction (信息化部 of 工业和信息化部) or at a place
    before it (北京市 + 改革委员会 of 北京市发展和改革委员会). A tagger organization before the conjunction makes
    two bodies (全国人大 + 及其 + 常委会), and they stand."""
    places = {m.start: m for m in lexicon if m.kind == "location"}
    bodies = {m.end: m for m in lexicon if m.kind == "organization"}
    body_starts = {m.start for m in bodies.values()}
    dropped: set[tuple[int, int]] = set()
    joined = []
    for o in orgs:
        body = bodies.get(o.end)
        if body is None or body.start <= o.start or any(p in body_starts for p in range(o.start, body.start)):
            continue
        place = places.get(o.start)
        if place is not None and place.end > body.start:
            place = None
        fields = place.end if place is not None else o.start
        added = o.surface[fields - o.start : body.start - o.start]
        if len(added) <= MAX_JOINED_FIELD and any(c in _TWO_FIELD_JOINS for c in added):
            dropped.add((body.start, body.end))
            if place is not None:
                dropped.add((place.start, place.end))
            joined.append(o)
    if not joined:
        return lexicon
    kept = [m for m in lexicon if (m.start, m.end) not in dropped]
    return sorted([*kept, *joined], key=lambda m: m.start)


# Chars of lexicon context read on either side of a company name to tell a word from chars of other words.
_COMPANY_CONTEXT = 4


def known_companies(text: str) -> list[Mention]:
    """The known companies' short names that stand as words (腾讯; not 京东 in 北京东城区, 松下 in 放松下来)."""
    found = []
    for m in _COMPANY_RE.finditer(text):
        s, e = m.span()
        window = lexicon_words(text, max(0, s - _COMPANY_CONTEXT), min(len(text), e + _COMPANY_CONTEXT))
        glued = any(is_common_word(text[e - 1 : e + k]) for k in (1, 2) if e + k <= len(text))
        product = text[e : e + 1].isascii() and text[e : e + 1].isalnum()  # 华为Mate20: a product's name
        # 高|通量: the name's last char opens a word
        if (s, e, "ORG") in window and not glued and not product:
            found.append(Mention("organization", m.group(0), m.group(0), s, e))
    return found


def _outside(spans: list[Mention], bodies: Sequence[Mention]) -> list[Mention]:
    """The spans that no longer body holds (a sweep over both sorted by start)."""
    ordered = sorted(bodies, key=lambda b: (b.start, b.end))
    out: list[Mention] = []
    reach, k = -1, 0  # the furthest end of the bodies that start before the span
    for m in sorted(spans, key=lambda m: m.start):
        while k < len(ordered) and ordered[k].start < m.start:
            reach = max(reach, ordered[k].end)
            k += 1
        same = k
        while same < len(ordered) and ordered[same].start == m.start:
            same += 1
        if reach < m.end and (same == k or ordered[same - 1].end <= m.end):
            out.append(m)
    return out


def add_entities(doc: Document, tagger: Tagger | None = None) -> Document:
    """Places, organizations and people of the document as one flat layer (plus the gazetteer places)."""
    text = doc.text
    places = tuple(p for p in find_places(text) if not lies_inside_word(text, p))
    orgs = tuple(
        Mention(o.kind, resolve_bare_level(o.surface, o.start, places), o.surface, o.start, o.end)
        for o in screen_spans(text, list(find_organizations(text, places)))
    )
    recognised = [
        _canonical(m, places) for m in _screened(text, list(find_entities(text, tagger, doc.tagged)))
    ]
    # A bare surname (习主席, 江主席) is named after the full name it stands for, once the full names are known.
    bare = [m for m in recognised if m.kind == "person" and m.end - m.start == 1]
    lexicon = [m for m in recognised if m.kind != "person" or m.end - m.start > 1]
    blocked = Blocked(len(text), (*places, *orgs))
    titles = title_matches(text, blocked)
    names = find_context_people(text, doc.byline, blocked, lexicon, titles)
    lexicon = _without_plain_words(lexicon, names)
    people = [
        p
        for p in spread_names(text, names)
        if not blocked.touches(p.start, p.end) and not is_cut_name(text, p)
    ]
    known = {(m.start, m.end) for m in (*places, *orgs, *lexicon) if m.kind != "person"}
    lexicon = _veto_recognised_people(titles, people, lexicon)
    lexicon_people = [m for m in lexicon if m.kind == "person" and not blocked.touches(m.start, m.end)]
    titled = screen_spans(text, titled_organizations(text, blocked, titles, people + lexicon_people, known))
    before_title = {m.start() for m in titles} | {
        m.start() - 1 for m in titles if text[m.start() - 1 : m.start()] == "的"
    }
    anchored = [o for o in (*orgs, *titled) if o.end in before_title]
    weak = [o for o in (*orgs, *titled) if o.end not in before_title]
    full = people + [m for m in lexicon if m.kind == "person"]
    lexicon += _named_surnames(text, [m for m in bare if not blocked.touches(m.start, m.end)], full)
    lexicon = _joined_two_fields(lexicon, (*weak, *anchored))
    # A known company's short name wins over the tagger's person or place on it (阿里巴巴, 宁德|时代), as a
    # confirmed name does; a longer span holding it still wins (华为技术有限公司), and a body the rules found
    # around it is kept (网易农业, 华为海思品牌).
    companies = _outside(known_companies(text), (*orgs, *titled))
    merged = merge_mentions([*people, *companies], lexicon, (*weak, *places), anchored)
    entities = join_addresses(text, merged)
    return doc.with_layers(places=places, entities=entities)
