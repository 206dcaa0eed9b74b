"""The alias layer: other names of an entity within one article, linked to the entity they name.

- short_form: an organization named by the end of a longer name written before it (邮政局 after 国家邮政局,
  金银潭医院 after 武汉金银潭医院), a place by its short form after its full form (台江 after 台江县, resolved by
  the place-code layer), and a person's surname before a title after the full name (习主席 after 习近平). The
  surname is an alias where the tagger read no person there (else the entity layer names that mention after the
  full name). A short form two earlier names end with links to none.
- official_name: a government written without 人民 (长春市政府, 市政府) is the 人民政府 of that place.
- place_name: a place written in short (柳州, 沪) names its canonical place (柳州市, 上海市).

Every occurrence is recorded with its position; organizations are renamed in the entity layer, so the mention
points at the full name's entity.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..models import Alias, Mention
from .data.lexicon import ORG_HEAD_ANCHORS, SURNAMES_SINGLE, TITLES
from .document import Document
from .entities import lexicon_words
from .organizations import MAX_ORG_LEN

# A government named by its place and 政府 (长春市政府): the official name inserts 人民.
_GOVERNMENT = re.compile(r"(.*[省市县区州旗])政府$")
_MIN_SHORT = 2  # 局 or 院 alone names nothing


@lru_cache(maxsize=1)
def _surname_title() -> re.Pattern[str]:
    titles = "|".join(re.escape(t) for t in TITLES if len(t) >= 2)
    return re.compile(f"[{''.join(sorted(SURNAMES_SINGLE))}](?=(?:副)?(?:{titles}))")


def official_name(name: str) -> str:
    """A government's official name: 长春市政府 -> 长春市人民政府; any other name as it is."""
    m = _GOVERNMENT.match(name)
    return f"{m.group(1)}人民政府" if m and not name.endswith("人民政府") else name


def _is_name_head(prefix: str) -> bool:
    """True when what a short form leaves off is places, bodies or 国家/全国/中央 (国家|邮政局, 武汉|金银潭医院),
    not an ordinary word or a symbol the recogniser ran over (所以|数据公司, 粤港澳+|东盟)."""
    words = lexicon_words(prefix, 0, len(prefix))
    return all(tag in ("LOC", "ORG") or prefix[s:e] in ORG_HEAD_ANCHORS for s, e, tag in words)


def _linked_organizations(entities: tuple[Mention, ...]) -> tuple[tuple[Mention, ...], list[Alias]]:
    """Organizations renamed to the longer name they shorten or to their official name, in one sweep by start."""
    ends_of: dict[str, set[str]] = {}  # suffix -> earlier full names ending with it
    out, aliases = [], []
    for m in entities:
        if m.kind != "organization":
            out.append(m)
            continue
        name = official_name(m.name)
        fulls = {f for f in ends_of.get(name, set()) - {name} if _is_name_head(f[: -len(name)])}
        if len(fulls) == 1:
            name = official_name(next(iter(fulls)))
        if name != m.surface:
            # 长春市政府 and 市政府 standing for it name the body by a name it does not officially bear.
            unofficial = official_name(m.surface) != m.surface and official_name(m.surface) == name
            rule = "official_name" if unofficial else "short_form"
            aliases.append(Alias(m.kind, m.surface, name, rule, m.start, m.end))
            m = Mention(m.kind, name, m.surface, m.start, m.end, m.level)
        # Suffixes are bounded by MAX_ORG_LEN: the sweep stays linear in the text.
        for k in range(max(1, len(m.name) - MAX_ORG_LEN), len(m.name) - _MIN_SHORT + 1):
            ends_of.setdefault(m.name[k:], set()).add(m.name)
        out.append(m)
    return tuple(out), aliases


def _surname_aliases(text: str, entities: tuple[Mention, ...]) -> list[Alias]:
    """习 of 习主席 after 习近平: a surname before a title names the one person of the article with that surname."""
    first_seen: dict[str, dict[str, int]] = {}
    for m in entities:
        if m.kind == "person" and 2 <= len(m.name) <= 3 and m.name[0] in SURNAMES_SINGLE:
            first_seen.setdefault(m.name[0], {}).setdefault(m.name, m.end)
    if not first_seen:
        return []
    covered = {i for m in entities for i in range(m.start, m.end) if m.kind == "person"}
    out = []
    for hit in _surname_title().finditer(text):
        pos = hit.start()
        people = first_seen.get(text[pos], {})
        if len(people) != 1 or pos in covered:
            continue
        ((name, seen_end),) = people.items()
        if seen_end > pos:
            continue  # the short form comes after the full name
        word = next((w for w in lexicon_words(text, max(0, pos - 3), pos + 1) if w[0] <= pos < w[1]), None)
        if word is not None and word[1] - word[0] > 1:
            continue  # 习 of 学习主席团: part of a word
        out.append(Alias("person", text[pos], name, "short_form", pos, pos + 1))
    return out


def _place_aliases(entities: tuple[Mention, ...]) -> list[Alias]:
    """Places written other than their canonical name; short_form when the full name is written in the article."""
    written = {m.surface for m in entities if m.kind == "location"}
    return [
        Alias(m.kind, m.surface, m.name, "short_form" if m.name in written else "place_name", m.start, m.end)
        for m in entities
        if m.kind == "location" and m.surface != m.name
    ]


def _governments(text: str, entities: tuple[Mention, ...]) -> tuple[Mention, ...]:
    """A Chinese division directly followed by 政府 (长春市|政府) is that division's 人民政府, an organization.

    The entity layer leaves 政府 out of names (中国政府 is a place and a word in its training data); a division
    with a level names exactly one government.
    """
    out = []
    for i, m in enumerate(entities):
        following = entities[i + 1].start if i + 1 < len(entities) else len(text)
        if (
            m.kind == "location"
            and m.level in ("province", "city", "county")
            and text.startswith("政府", m.end)
            and following >= m.end + 2
        ):
            m = Mention(
                "organization", official_name(m.name + "政府"), text[m.start : m.end + 2], m.start, m.end + 2
            )
        out.append(m)
    return tuple(out)


def add_aliases(doc: Document) -> Document:
    """The alias layer, with organizations renamed to the entity their short or unofficial name stands for."""
    entities, org_aliases = _linked_organizations(_governments(doc.text, doc.entities))
    aliases = [*org_aliases, *_surname_aliases(doc.text, entities), *_place_aliases(entities)]
    return doc.with_layers(entities=entities, aliases=tuple(sorted(aliases, key=lambda a: a.start)))
