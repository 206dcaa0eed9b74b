"""Merge entity mentions from the rules (roles, quotes, byline, gazetteer, suffixes) and the lexicon NER.

Rule spans are confirmed by context (a title before a name, a place in the gazetteer, an organization suffix), so
they win over a lexicon span they cross; among spans that nest, the longer wins (an organization holds its place).
The result is flat: no two mentions overlap, as in the NER gold data the pipeline is measured on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..models import Mention
from .gazetteer import place_index
from .organizations import resolve_bare_level

# Tie-break between spans of equal length: rule-confirmed first, then person > organization > location.
_RULE, _LEXICON = 0, 1
_KIND_ORDER = {"person": 0, "organization": 1, "location": 2}


def person_mentions(text: str, names: Iterable[str]) -> list[Mention]:
    """Every occurrence of each known name (found by a rule somewhere in the article)."""
    found = []
    for name in names:
        i = text.find(name)
        while i != -1:
            found.append(Mention("person", name, name, i, i + len(name)))
            i = text.find(name, i + len(name))
    return found


def _crosses(a: Mention, b: Mention) -> bool:
    """True when the spans overlap without one holding the other."""
    return (
        a.start < b.end
        and b.start < a.end
        and not ((a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end))
    )


def _canonical(m: Mention, places: Sequence[Mention]) -> Mention:
    """Give a lexicon mention the canonical name (柳州 -> 柳州市, level city) the rules would give it."""
    if m.kind == "location":
        place = place_index().get(m.surface)
        if place is not None:
            return Mention("location", place.name, m.surface, m.start, m.end, place.level)
    if m.kind == "organization":
        return Mention(m.kind, resolve_bare_level(m.surface, m.start, places), m.surface, m.start, m.end)
    return m


def merge_mentions(
    rule: Sequence[Mention], lexicon: Sequence[Mention], places: Sequence[Mention]
) -> tuple[Mention, ...]:
    """Flat, non-overlapping mentions sorted by start; rule spans beat lexicon spans that cross them."""
    kept_lexicon = [m for m in lexicon if not any(_crosses(m, r) for r in rule)]
    candidates = [(m, _RULE) for m in rule] + [(m, _LEXICON) for m in kept_lexicon]
    candidates.sort(key=lambda c: (-(c[0].end - c[0].start), c[1], _KIND_ORDER[c[0].kind], c[0].start))
    taken = bytearray(max((m.end for m, _ in candidates), default=0))
    out: list[Mention] = []
    for m, source in candidates:
        if any(taken[m.start : m.end]):
            continue
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
        out.append(m if source == _RULE else _canonical(m, places))
    return tuple(sorted(out, key=lambda m: m.start))
