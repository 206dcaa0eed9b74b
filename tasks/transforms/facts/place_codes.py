"""The place-code layer: each location entity gets its adcode, level and parent, or its ISO country code.

A name that one division alone carries (台江县, 柳州市 from 柳州) gets that division's code. A name several
divisions carry (朝阳区 in Beijing and in Changchun) or a short form (朝阳: a city, a county and two districts) is
resolved only by the article's other places: a full name by the division itself named, else the one candidate
whose parent, else whose province, the article names; a short form by its full name in the article, else by its
parent named in the same sentence (北京朝阳). Otherwise it keeps no code (a full name keeps its level when every
candidate has the same one): never a guess.
"""

from __future__ import annotations

import bisect

from ..models import Mention, PlaceCode
from .addresses import is_address, leading_divisions
from .data.adcodes import (
    CHINA,
    Division,
    ancestors,
    country_codes,
    display_name,
    divisions,
    divisions_by_name,
    divisions_by_short_form,
)
from .document import Document


def _place_code(d: Division) -> PlaceCode:
    parent = display_name(d.parent) if d.parent else CHINA
    return PlaceCode(display_name(d.adcode), d.level, d.adcode, parent, "CN")


def _pick(candidates: tuple[Division, ...], named: set[str], context: set[str]) -> Division | None:
    """The one candidate the article's places point at: named itself, else by its parent, else by its province."""
    for supported in (
        [d for d in candidates if d.adcode in named],
        [d for d in candidates if d.parent in context],
        [d for d in candidates if d.adcode[:2] + "0000" in context and d.level != "province"],
    ):
        if len(supported) == 1:
            return supported[0]
        if supported:
            return None  # two candidates fit the article equally: no guess
    return None


def _pick_short(
    candidates: tuple[Division, ...], named: set[str], sentences: set[int], named_in: dict[str, set[int]]
) -> Division | None:
    """The one division a short form names: written in full in the article, else its parent in the same sentence.

    A province elsewhere in the article is not enough: a weather report naming 广西 and 湖北 says 江南 and 江汉 for
    regions, not for 南宁's 江南区 or 武汉's 江汉区.
    """
    for supported in (
        [d for d in candidates if d.adcode in named],
        [d for d in candidates if d.parent is not None and sentences & named_in.get(d.parent, set())],
    ):
        if len(supported) == 1:
            return supported[0]
        if supported:
            return None
    return None


def resolve_places(mentions: list[tuple[str, int]]) -> dict[str, PlaceCode]:
    """Codes of an article's location names, given as (name, sentence number) per mention; names without one are
    left out."""
    by_name, by_short, countries = divisions_by_name(), divisions_by_short_form(), country_codes()
    sentences: dict[str, set[int]] = {}
    for name, sentence in mentions:
        sentences.setdefault(name, set()).add(sentence)
    out: dict[str, PlaceCode] = {}
    shared: list[tuple[str, tuple[Division, ...]]] = []
    found: list[Division] = []
    for name in sentences:
        full = by_name.get(name, ())
        if len(full) == 1:
            found.append(full[0])
            out[name] = _place_code(full[0])
        elif name in countries:
            out[name] = PlaceCode(name, "country", None, None, countries[name])
        elif full or name in by_short:
            shared.append((name, full or by_short[name]))
    named = {d.adcode for d in found}
    named_in: dict[str, set[int]] = {}
    for d in found:
        named_in.setdefault(d.adcode, set()).update(sentences[d.name])
    context = named | {a.adcode for d in found for a in ancestors(d)}
    for name, candidates in shared:
        if name in by_name:
            chosen = _pick(candidates, named, context)
        else:
            chosen = _pick_short(candidates, named, sentences[name], named_in)
        if chosen is not None:
            out[name] = _place_code(chosen)
        elif name in by_name and len({d.level for d in candidates}) == 1:
            out[name] = PlaceCode(name, candidates[0].level)  # 朝阳区: a district, but whose is unknown
    return out


def with_ancestors(places: dict[str, PlaceCode]) -> tuple[PlaceCode, ...]:
    """The places and every place above them (so each parent is an entity too), each once, China last."""
    out = {p.name: p for p in places.values()}
    for p in places.values():
        if p.adcode is None:
            continue
        for d in ancestors(divisions()[p.adcode]):
            out.setdefault(display_name(d.adcode), _place_code(d))
    if any(p.country_code == "CN" for p in out.values()):
        out.setdefault(CHINA, PlaceCode(CHINA, "country", None, None, "CN"))
    return tuple(out.values())


def add_place_codes(doc: Document) -> Document:
    """Location entities renamed to their canonical place (北京市朝阳区) with its level; `places` holds their codes."""
    starts = [s.start for s in doc.sentences]
    named = [(m.name, bisect.bisect_right(starts, m.start)) for m in doc.entities if m.kind == "location"]
    by_name = divisions_by_name()
    # The divisions an address opens with (上海市徐汇区漕溪北路88号) are coded as if named apart.
    named += [(part, k) for name, k in named if is_address(name) for part in leading_divisions(name, by_name)]
    resolved = resolve_places(named)
    entities = tuple(
        _renamed(m, resolved[m.name]) if m.kind == "location" and m.name in resolved else m
        for m in doc.entities
    )
    return doc.with_layers(entities=entities, place_codes=with_ancestors(resolved))


def _renamed(m: Mention, place: PlaceCode) -> Mention:
    return Mention(m.kind, place.name, m.surface, m.start, m.end, place.level or m.level)
