"""Street addresses as one place: 北京市朝阳区建国门外大街1号, not 北京市 + 朝阳区 + a cut street.

A street number (路/街/大道 + number + 号) closes an address; the places written right before it (a chain of
location spans with nothing between them) open it. The whole run becomes one location span, as a reader and most
NER conventions (MSRA's 唐宁街１０号, CLUENER's address) take it. A chain of divisions with no street number after it
(云南省红河州弥勒县) stays a chain of places, each with its own code.
"""

from __future__ import annotations

import re
from collections.abc import Container

from ..models import Mention
from ._text import HAN

# A street's name (up to 8 Han chars that are no particle or conjunction), its kind and its number.
_STREET_NAME = f"(?:(?![的在和与及是或])[{HAN}]){{0,8}}?"
_STREET_KIND = "(?:大街|大道|胡同|路|街|巷|弄)"
_NUMBER = "(?:[0-9０-９]+|[一二三四五六七八九十百零〇]+)号"
_STREET_RE = re.compile(f"{_STREET_NAME}{_STREET_KIND}{_NUMBER}")
# The tail of a street span the recogniser cut before its number (天河路|208号).
_NUMBER_RE = re.compile(_NUMBER)
_STREET_END = ("大街", "大道", "胡同", "路", "街", "巷", "弄")
_ADDRESS_END_RE = re.compile(f"{_STREET_KIND}{_NUMBER}$")
_MAX_DIVISION = 12  # 红河哈尼族彝族自治州 and the longest names of divisions


def _address_end(text: str, last: Mention, next_start: int) -> int | None:
    """Where a street number closes an address that `last` (the last place of a chain) opens or holds; a street
    read across the next recognised name (英国|首相入主唐宁街10号) is none."""
    if _STREET_RE.fullmatch(last.surface):
        return last.end
    if last.surface.endswith(_STREET_END):
        number = _NUMBER_RE.match(text, last.end)
        return number.end() if number else None
    street = _STREET_RE.match(text, last.end)
    if street is None or next_start < street.end() and not text.startswith(_STREET_END, next_start):
        return None
    return street.end()


def join_addresses(text: str, mentions: tuple[Mention, ...]) -> tuple[Mention, ...]:
    """The mentions (sorted, flat) with each street address made one location span; one pass, linear."""
    if "号" not in text:
        return mentions  # no street number: most texts, at the cost of one scan
    out: list[Mention] = []
    chain_start = 0  # index in `out` where the current run of touching locations begins
    k, n = 0, len(mentions)
    while k < n:
        m = mentions[k]
        k += 1
        if m.kind != "location":
            out.append(m)
            chain_start = len(out)
            continue
        if not (out and out[-1].kind == "location" and out[-1].end == m.start):
            chain_start = len(out)
        out.append(m)
        end = _address_end(text, m, mentions[k].start if k < n else len(text))
        if end is None or (end == m.end and chain_start == len(out) - 1):
            continue  # no street number, or a lone street span that is whole already
        # Spans the street holds give way (a cut 大街1号国贸大厦); a place running on past the number ends it.
        while k < n and mentions[k].start < end:
            if mentions[k].kind == "location":
                end = max(end, mentions[k].end)
            k += 1
        start = out[chain_start].start
        del out[chain_start:]
        out.append(Mention("location", text[start:end], text[start:end], start, end))
        chain_start = len(out)
    return tuple(out)


def is_address(name: str) -> bool:
    """Whether a location's name is a street address (it ends in a street number)."""
    return _ADDRESS_END_RE.search(name) is not None


def leading_divisions(name: str, known: Container[str]) -> list[str]:
    """The names the address opens with that `known` holds, longest first at each step (上海市, 徐汇区 of
    上海市徐汇区漕溪北路88号), so the divisions keep their codes inside the address."""
    parts: list[str] = []
    pos = 0
    while pos < len(name):
        size = next(
            (k for k in range(min(_MAX_DIVISION, len(name) - pos), 1, -1) if name[pos : pos + k] in known), 0
        )
        if not size:
            break
        parts.append(name[pos : pos + size])
        pos += size
    return parts
