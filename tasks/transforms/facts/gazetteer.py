"""Find place names (countries, provinces, prefecture-level cities) and give their canonical full names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..models import Mention
from ._text import alternation
from .data.places import (
    AMBIGUOUS_SHORT,
    CITIES,
    COUNTRIES,
    COUNTRY_ABBREVIATIONS,
    COUNTRY_OTHER_NAMES,
    PROVINCE_ABBREVIATIONS,
    PROVINCES,
    SHORT_BY_NEIGHBOUR,
    SHORT_ONLY_BESIDE,
)


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: canonical name, level and the province it belongs to (for cities)."""

    name: str
    level: str
    province: str | None = None


@lru_cache(maxsize=1)
def place_index() -> dict[str, Place]:
    """Every surface form (full and short) mapped to its place; built once."""
    index: dict[str, Place] = {}
    for full, shorts in PROVINCES:
        place = Place(full, "province")
        index[full] = place
        for short in shorts:
            index[short] = place
    for full, province in CITIES:
        place = Place(full, "city", province)
        index.setdefault(full, place)
        if full.endswith("市") and len(full) > 2 and full[:-1] not in AMBIGUOUS_SHORT:
            index.setdefault(full[:-1], place)
    for name in COUNTRIES:
        index[name] = Place("中国" if name == "中华人民共和国" else name, "country")
    return index


_REGIONS = frozenset({"欧洲", "亚洲", "非洲", "拉美"})


@lru_cache(maxsize=1)
def abbreviation_index() -> dict[str, Place]:
    """One-character short forms (沪, 英, 拉) and other names (中华) mapped to their place; looked up for a
    recognised mention only, never matched in running text, where 中, 美 or 日 are mostly ordinary characters."""
    index = place_index()
    out = {short: index[full] for short, full in PROVINCE_ABBREVIATIONS.items()}
    for short, name in COUNTRY_ABBREVIATIONS.items():
        out[short] = Place(name, "region" if name in _REGIONS else "country")
    for other, name in COUNTRY_OTHER_NAMES.items():
        out[other] = index[name]
    return out


@lru_cache(maxsize=1)
def _place_re() -> re.Pattern[str]:
    return re.compile(alternation(list(place_index())))


def find_places(text: str) -> tuple[Mention, ...]:
    """Location mentions; `name` is the full official name (柳州 -> 柳州市, 广西 -> 广西壮族自治区)."""
    index = place_index()
    return tuple(
        Mention("location", index[m.group(0)].name, m.group(0), m.start(), m.end(), index[m.group(0)].level)
        for m in _place_re().finditer(text)
    )


def place_of_short(text: str, start: int, end: int) -> Place | None:
    """The place a recognised short form text[start:end] names: its one place, or for 澳 the one its neighbours
    point to (港澳 Macau, 澳中 Australia), for 巴 one only beside 以 or 印; None when the gazetteer has none."""
    surface = text[start:end]
    beside = text[start - 1 : start] + text[end : end + 1]
    if surface in SHORT_ONLY_BESIDE:
        found = next((name for c, name in SHORT_ONLY_BESIDE[surface].items() if c in beside), None)
        return (place_index().get(found) or Place(found, "country")) if found else None
    rule = SHORT_BY_NEIGHBOUR.get(surface)
    if rule is None:
        return abbreviation_index().get(surface)
    neighbours, near, other = rule
    name = near if any(c in neighbours for c in beside) else other
    index = place_index()
    return index.get(name) or Place(name, "country")
