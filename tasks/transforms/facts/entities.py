"""Person, place and organization mentions from the trained tagger, plus the lexicon the rules segment with.

`find_entities` is the one source of entity spans: the character tagger (tagger.py, data/MODEL_CARD.md) finds them,
and a place the gazetteer knows gets its canonical name and level (柳州 -> 柳州市, city; 沪 -> 上海市, 英 -> 英国);
a one-character place it cannot name is dropped. The lexicon
(data/ner_lexicon.tsv, generated from jieba's MIT dict.txt) is kept for the rules that segment words around
titles and organization suffixes (`lexicon_words`, `is_name_break`, `is_common_word`).
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import ahocorasick

from ..built_tables import inputs_key, load_or_build, package_version
from ..models import Mention
from .data.lexicon import (
    KNOWN_COMPANIES,
    ORG_ABBREVIATIONS,
    ORG_CONJUNCTIONS,
    ORG_STOP_WORDS,
    ORG_SUFFIXES,
    TITLES,
    org_verbs,
)
from .data.places import CITIES, COUNTRIES, PROVINCES
from .gazetteer import place_index, place_of_short
from .tagger import Tagger, load_tagger

LEXICON = Path(__file__).parent / "data" / "ner_lexicon.tsv"
# Words CC-CEDICT knows only as ordinary words (瓦斯, 贺信, 香水): data/build_common_words.py.
COMMON_WORDS = Path(__file__).parent / "data" / "common_words.txt"
# What CC-CEDICT says each proper noun is (P person, L place, O organization, G faith or people, X other).
PROPER_KINDS = Path(__file__).parent / "data" / "proper_kinds.tsv"
# Suffixes that make a place a government body or institution (人民政府, 委员会, 研究院): the 3+ char ones only.
# 政府 alone would cost a point of MSRA dev F1 (there 中国政府 is a place and a word); these cost 0.001.
_BODY_SUFFIXES = tuple(w for w in ORG_SUFFIXES if len(w) >= 3)
# A photo credit after a name (每经记者张蕊摄, 新华社记者才扬摄影): the tagger, trained on MSRA, sometimes keeps it.
_CREDITS = ("摄影", "摄")
_QUOTES = frozenset('“”「」『』《》"')
_TITLE_AT = re.compile("|".join(sorted((t for t in TITLES if len(t) >= 3), key=len, reverse=True)))


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    """The automaton over every lexicon word (value: tag, length); loaded once per process (built_tables.py)."""
    extra = (PROVINCES, CITIES, COUNTRIES, ORG_ABBREVIATIONS, KNOWN_COMPANIES, TITLES)
    return load_or_build(
        "automaton",
        inputs_key(LEXICON.read_bytes(), repr(extra).encode(), package_version("pyahocorasick")),
        ".pickle",
        lambda path: _checked_automaton(pickle.loads(path.read_bytes())),
        _build_automaton,
        lambda auto, path: path.write_bytes(pickle.dumps(auto, protocol=pickle.HIGHEST_PROTOCOL)),
    )


def _checked_automaton(found: object) -> ahocorasick.Automaton:
    if not isinstance(found, ahocorasick.Automaton) or found.kind != ahocorasick.AHOCORASICK:
        raise TypeError(f"not a built automaton: {type(found).__name__}")
    return found


def _build_automaton() -> ahocorasick.Automaton:
    """The automaton built from the lexicon file and the gazetteer and title lists (~0.35 s)."""
    auto = ahocorasick.Automaton()
    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue  # the header and the name-char odds rows
        word, tag = line.split("\t")
        auto.add_word(word, (tag, len(word)))
    for full, shorts in PROVINCES:
        for w in (full, *shorts):
            auto.add_word(w, ("LOC", len(w)))
    for full, _ in CITIES:
        auto.add_word(full, ("LOC", len(full)))
    for w in COUNTRIES:
        auto.add_word(w, ("LOC", len(w)))
    for w in (
        *ORG_ABBREVIATIONS,
        *KNOWN_COMPANIES,
    ):  # 政协, 东盟, 北约, 腾讯 are W, LOC or nz in jieba's dict
        auto.add_word(w, ("ORG", len(w)))
    for w in TITLES:  # 市长 must not read as 市 + 长...
        if len(w) > 1 and w not in auto:
            auto.add_word(w, ("W", len(w)))
    auto.make_automaton()
    return auto


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """The CC-CEDICT ordinary words (names never); read once per process."""
    lines = COMMON_WORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in lines if w and not w.startswith("#"))


def is_dictionary_word(word: str) -> bool:
    """True when a dictionary lists `word` only as an ordinary word, never as a name (瓦斯 gas, 智库 think tank)."""
    return word in dictionary_words()


@lru_cache(maxsize=1)
def _stem_counts() -> dict[str, int]:
    """How many ordinary words of 3+ chars each string is the stem of (枫香: 枫香树, 枫香木); built once."""
    counts: dict[str, int] = {}
    for w in dictionary_words():
        if len(w) >= 3:
            counts[w[:-1]] = counts.get(w[:-1], 0) + 1
    return counts


def common_word_stems(word: str) -> int:
    """How many ordinary dictionary words are `word` plus one char (枫香 -> 枫香树, 枫香木: 2)."""
    return _stem_counts().get(word, 0)


@lru_cache(maxsize=1)
def _proper_kinds() -> dict[str, str]:
    """The CC-CEDICT proper nouns and their kinds; read once per process."""
    rows = (line.split("\t") for line in PROPER_KINDS.read_text(encoding="utf-8").splitlines())
    return {row[0]: row[1] for row in rows if len(row) == 2 and not row[0].startswith("#")}


def dictionary_kinds(word: str) -> str:
    """What a dictionary says the proper noun `word` is: letters of P, L, O, G (faith, people), X (other); "" when
    it is not one."""
    return _proper_kinds().get(word, "")


def is_common_word(word: str) -> bool:
    """True for an ordinary (non-entity) lexicon word such as 焦虑: a surname-led word that is not a name."""
    entry = _automaton().get(word, None)
    return entry is not None and entry[0] == "W"


def lexicon_words(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Leftmost-longest lexicon words of text[start:end] as (start, end, tag); uncovered chars are ("", 1) words."""
    auto = _automaton()
    out: list[tuple[int, int, str]] = []
    pos = start
    for last, (tag, n) in auto.iter_long(text[start:end]):
        s = start + last + 1 - n
        out.extend((c, c + 1, "") for c in range(pos, s))
        out.append((s, s + n, tag))
        pos = s + n
    out.extend((c, c + 1, "") for c in range(pos, end))
    return out


# A numeral and a classifier (三家, 两所, 几个): what follows is counted, so no name runs across it (北京|三家医院).
COUNT_NUMERALS = "一二两三四五六七八九十百千几数多"
COUNTED_RE = re.compile(f"[{COUNT_NUMERALS}]+[家个所名位座条项批支间]")


def is_name_break(word: str, next_tag: str | None) -> bool:
    """True when `word` ends an organization name standing before it: a function word, a verb, a number, or a
    conjunction followed by a new name (中共中央|和|国务院; but 国家发展和改革委员会 is one name)."""
    if word in ORG_CONJUNCTIONS:
        return next_tag in ("LOC", "ORG")
    return (
        word in ORG_STOP_WORDS
        or word in org_verbs()
        or any(c.isdigit() for c in word)
        or COUNTED_RE.fullmatch(word) is not None
    )


def _joined_organizations(text: str, mentions: tuple[Mention, ...]) -> list[Mention]:
    """Government bodies kept whole and titles kept out, in one pass over the sorted spans.

    A place directly followed by an organization suffix the tagger left out is one organization (广西壮族自治区 +
    人民政府); an organization whose last chars open a title is cut before it (...监督管理局|党组书记).
    """
    out: list[Mention] = []
    for i, m in enumerate(mentions):
        if m.kind == "location":
            # One C-level startswith over the whole tuple first: most places are followed by no suffix.
            suffix = (
                next((w for w in _BODY_SUFFIXES if text.startswith(w, m.end)), None)
                if text.startswith(_BODY_SUFFIXES, m.end)
                else None
            )
            following = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
            if suffix and following >= m.end + len(suffix):
                end = m.end + len(suffix)
                out.append(Mention("organization", text[m.start : end], text[m.start : end], m.start, end))
                continue
        if m.kind == "organization":
            cut = next(
                (k for k in (2, 1) if m.end - k > m.start + 1 and _TITLE_AT.match(text, m.end - k)), None
            )
            if cut is not None and any(text.endswith(w, m.start, m.end - cut) for w in ORG_SUFFIXES):
                end = m.end - cut
                m = Mention("organization", text[m.start : end], text[m.start : end], m.start, end)
        out.append(m)
    return out


def _without_credit(m: Mention) -> Mention:
    """A person span that swallowed its photo credit (张蕊摄, 张蕊摄影) cut back to the name: 摄 is no name char."""
    if m.kind != "person":
        return m
    for credit in _CREDITS:
        if m.surface.endswith(credit) and len(m.surface) - len(credit) >= 2:
            end = m.end - len(credit)
            return Mention(m.kind, m.surface[: -len(credit)], m.surface[: -len(credit)], m.start, end)
    return m


# Marks no name begins or ends with (a name may hold · and a body 《》 or “” inside: 《星报》编辑部 keeps its 》).
_EDGE_MARKS = "（）()【】[]、，。；：！？,.;:!?—…"


def _trimmed(m: Mention) -> list[Mention]:
    """A tagger span without the spaces at its ends, and a person span split at inner spaces (罗博 萧海川 is two
    people): bylines put spaces around and between names, which the tagger (trained on unspaced text) runs over."""
    if not _QUOTES.isdisjoint(m.surface):
        return []  # 卡塔里”星, 和平号”空间站: a span that crosses a quotation mark is part of a name and a word
    edge = m.surface.strip(_EDGE_MARKS)
    if edge != m.surface:  # 周亮）: the tagger ran onto a bracket or a mark
        lead = m.surface.index(edge) if edge else 0
        if len(edge) < 2:
            return []
        m = Mention(m.kind, edge, edge, m.start + lead, m.start + lead + len(edge), m.level)
    parts = m.surface.split() if m.kind == "person" else [m.surface.strip()]
    out, pos = [], 0
    for part in parts:
        if not part:
            continue
        pos = m.surface.index(part, pos)
        out.append(Mention(m.kind, part, part, m.start + pos, m.start + pos + len(part), m.level))
        pos += len(part)
    if m.kind == "person" and len(out) > 1:
        out = [p for p in out if len(p.surface) >= 2]
    return out


def _in_name(text: str, pos: int) -> bool:
    """True when the char at `pos` is part of a lexicon name or organization (华为, 新京报; not 华人 or 访华)."""
    for s, e, tag in lexicon_words(text, max(0, pos - 3), min(len(text), pos + 4)):
        if s <= pos < e:
            return e - s > 1 and tag in ("PER", "PER?", "ORG")
    return False


def find_entities(
    text: str, tagger: Tagger | None = None, tagged: Sequence[Mention] | None = None
) -> tuple[Mention, ...]:
    """Person, location and organization mentions in `text`, sorted by start; spans do not overlap.

    `tagger` defaults to the model shipped with newsetl; `tagged` are its spans of `text` when a batch was tagged
    in one call (Tagger.tag_many). A location the gazetteer knows gets its canonical name.
    """
    index = place_index()
    out = []
    if tagged is None:
        tagged = (tagger or load_tagger()).tag(text)
    spans = [t for m in tagged for t in _trimmed(m)]
    # One-char places next to another (中|美 of 中美关系, a word jieba's dictionary calls an organization): the
    # tagger read a pair of places, so the word around them does not make them part of a name.
    single = {m.start for m in spans if m.kind == "location" and len(m.surface) == 1}
    for m in _joined_organizations(text, tuple(spans)):
        m = _without_credit(m)
        place = (
            (index.get(m.surface) or place_of_short(text, m.start, m.end)) if m.kind == "location" else None
        )
        paired = m.start - 1 in single or m.start + 1 in single
        if (
            m.kind == "location"
            and len(m.surface) == 1
            and (place is None or (not paired and _in_name(text, m.start)))
        ):
            continue  # 拉 or 玻 the gazetteer cannot name: no analyst can look it up; 华 of 华为 is no place
        out.append(
            m if place is None else Mention(m.kind, place.name, m.surface, m.start, m.end, place.level)
        )
    return tuple(out)
