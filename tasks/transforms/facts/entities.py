"""Person, place and organization mentions from a lexicon (Aho-Corasick, leftmost-longest) plus a name model.

The lexicon (data/ner_lexicon.tsv, generated from jieba's MIT dict.txt) holds tagged entity words and ordinary
words; an ordinary word matched over a stretch keeps entity words from matching inside it. Stretches no word
covers are read for surname + given-name chars scored by the name-char odds from jieba's HMM tables.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import ahocorasick

from ..models import Mention
from ._text import alternation, is_han
from .data.lexicon import (
    NAME_CONFIRMERS,
    ORG_ABBREVIATIONS,
    ORG_CONJUNCTIONS,
    ORG_STOP_WORDS,
    ORG_SUFFIXES,
    SURNAMES_DOUBLE,
    SURNAMES_SINGLE,
    TITLES,
    TRANSLIT_CHARS,
    org_verbs,
)
from .data.places import CITIES, COUNTRIES, PROVINCES

LEXICON = Path(__file__).parent / "data" / "ner_lexicon.tsv"
KIND = {"PER": "person", "LOC": "location", "ORG": "organization"}
# Given-name chars need at least this log-odds (nats) of being in a name; 1.0 is the floor kept in the file.
MIN_GIVEN_ODDS = 1.5
# Longest run of tokens merged into one organization (湖北省 + 人民 + 政府): longer runs are phrases.
MAX_ORG_TOKENS = 5
MAX_ORG_LEN = 20
_ORG_SUFFIX_SET = frozenset(ORG_SUFFIXES)
_CONFIRM_AFTER_RE = re.compile(f"(?:{alternation(NAME_CONFIRMERS)}|{alternation(TITLES)})")
_TITLE_BEFORE_RE = re.compile(f"(?:{alternation(TITLES)})$")
# Length of a transliterated-name candidate (a run of TRANSLIT_CHARS): 叶利钦 is 3, 戈尔巴乔夫 5.
MIN_TRANSLIT, MAX_TRANSLIT = 2, 7
# A lone surname before one of these is the person (郑先生, 江主席, 杜氏: the gold marks 郑, 江, 杜).
_HONORIFIC_RE = re.compile("先生|女士|小姐|夫人|同志|主席|总理|总统|氏")
# One-character short names of countries and provinces: 中美 / 中日韩 / 京津 are several places, one char each.
PLACE_ABBREVIATIONS = frozenset(
    "中美日俄英法德意韩朝越印巴欧非亚澳加以伊埃墨港台京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川贵黔滇藏陕甘青宁新蒙"
)


@lru_cache(maxsize=1)
def _tables() -> tuple[ahocorasick.Automaton, dict[str, float], dict[str, float], dict[str, float]]:
    """The automaton over every lexicon word and the B/M/E name-char odds; built once per process."""
    auto = ahocorasick.Automaton()
    odds: dict[str, dict[str, float]] = {"B": {}, "M": {}, "E": {}, "G": {}}
    for line in LEXICON.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            continue
        if line.startswith("#"):
            state, ch, value = line[1:].split("\t")
            odds[state][ch] = float(value)
            continue
        word, tag = line.split("\t")
        auto.add_word(word, (tag, len(word)))
    for full, shorts in PROVINCES:
        for w in (full, *shorts):
            auto.add_word(w, ("LOC", len(w)))
    for full, _ in CITIES:
        auto.add_word(full, ("LOC", len(full)))
    for w in COUNTRIES:
        auto.add_word(w, ("LOC", len(w)))
    for w in ORG_ABBREVIATIONS:  # 政协, 东盟, 北约 are W or LOC in jieba's dict
        auto.add_word(w, ("ORG", len(w)))
    for w in TITLES:  # 市长 must not read as 市 + 长...
        if len(w) > 1 and w not in auto:
            auto.add_word(w, ("W", len(w)))
    auto.make_automaton()
    # A given-name char counts when either source says so: jieba's HMM (1990s news names, by position) or
    # ngender's given-name counts (position-free, from a large list of modern names).
    for position in ("M", "E"):
        for given_ch, given_odds in odds["G"].items():
            odds[position][given_ch] = max(odds[position].get(given_ch, 0.0), given_odds)
    return auto, odds["B"], odds["M"], odds["E"]


def is_common_word(word: str) -> bool:
    """True for an ordinary (non-entity) lexicon word such as 焦虑: a surname-led word that is not a name."""
    entry = _tables()[0].get(word, None)
    return entry is not None and entry[0] == "W"


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """Leftmost-longest lexicon words as (start, end, tag); a word led by a known name gives the name (邓小平理论)."""
    auto = _tables()[0]
    out = []
    for end, (tag, n) in auto.iter_long(text):
        start = end + 1 - n
        if tag == "W" and n >= 4:
            for k in (3, 2):
                head = auto.get(text[start : start + k], None)
                if head is not None and head[0] == "PER":
                    out.append((start, start + k, "PER"))
                    start += k
                    break
        if (
            tag == "LOC"
            and 2 <= end + 1 - start <= 3
            and all(c in PLACE_ABBREVIATIONS for c in text[start : end + 1])
        ):
            out.extend((c, c + 1, "LOC") for c in range(start, end + 1))
            continue
        out.append((start, end + 1, tag))
    return out


def lexicon_words(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Leftmost-longest lexicon words of text[start:end] as (start, end, tag); uncovered chars are ("", 1) words."""
    auto = _tables()[0]
    out: list[tuple[int, int, str]] = []
    pos = start
    for last, (tag, n) in auto.iter_long(text[start:end]):
        s = start + last + 1 - n
        out.extend((c, c + 1, "") for c in range(pos, s))
        out.append((s, s + n, tag))
        pos = s + n
    out.extend((c, c + 1, "") for c in range(pos, end))
    return out


def is_name_break(word: str, next_tag: str | None) -> bool:
    """True when `word` ends an organization name standing before it: a function word, a verb, a number, or a
    conjunction followed by a new name (中共中央|和|国务院; but 国家发展和改革委员会 is one name)."""
    if word in ORG_CONJUNCTIONS:
        return next_tag in ("LOC", "ORG")
    return word in ORG_STOP_WORDS or word in org_verbs() or any(c.isdigit() for c in word)


def _names_in_gap(
    text: str, start: int, end: int, given_m: dict[str, float], given_e: dict[str, float]
) -> list[int]:
    """Spans (as flat start,end pairs) of surname+given names in text[start:end], where no lexicon word matched."""
    found: list[int] = []
    i = start
    while i < end - 1:
        s = 2 if text[i : i + 2] in SURNAMES_DOUBLE else (1 if text[i] in SURNAMES_SINGLE else 0)
        rest = end - i - s
        if not s or rest < 1 or _HONORIFIC_RE.match(text, i + s):
            i += 1  # 郑先生: the surname alone is the name (see _confirm_by_context)
            continue
        g1 = text[i + s]
        if (
            rest >= 2
            and given_m.get(g1, 0) >= MIN_GIVEN_ODDS
            and given_e.get(text[i + s + 1], 0) >= MIN_GIVEN_ODDS
        ):
            n = s + 2
        elif (
            rest <= 2 and given_e.get(g1, 0) >= MIN_GIVEN_ODDS and (rest == 1 or not is_han(text[i + s + 1]))
        ):
            n = s + 1
        else:
            i += 1
            continue
        if all(c in TRANSLIT_CHARS for c in text[i : i + n + 1]):
            i += 1  # 阿拉法 in 阿拉法特: a run of transliteration chars is one foreign name, not a surname + name
            continue
        found += [i, i + n]
        i += n
    return found


def _merge_orgs(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """A place or organization followed by adjacent words ending in an organization suffix is one organization."""
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(spans):
        s, e, tag = spans[i]
        if tag in ("LOC", "ORG"):
            j, best = i, None
            while j + 1 < len(spans) and j + 1 - i < MAX_ORG_TOKENS and spans[j + 1][0] == spans[j][1]:
                j += 1
                ns, ne, ntag = spans[j]
                if ne - s > MAX_ORG_LEN or ntag == "PER" or not is_han(text[ns]):
                    break  # a name never runs across punctuation (国家知识产权局、广西...)
                following = spans[j + 1][2] if j + 1 < len(spans) else None
                if is_name_break(text[ns:ne], following):
                    break  # 中共中央|致|中国致公党, 中国共产党|召开了...
                if ntag == "ORG" or text[ns:ne] in _ORG_SUFFIX_SET:
                    best = j
            if best is not None:
                out.append((s, spans[best][1], "ORG"))
                i = best + 1
                continue
        out.append((s, e, tag))
        i += 1
    return out


def _is_confirmed(text: str, start: int, end: int) -> bool:
    """True when a title comes right before (总理李鹏) or a title or speech word right after (克林顿总统, 李鹏说)."""
    return _CONFIRM_AFTER_RE.match(text, end) is not None or (
        _TITLE_BEFORE_RE.search(text, max(0, start - 8), start) is not None
    )


def _confirm_by_context(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Keep candidate names (PER? words, runs of uncovered transliteration chars) only where context confirms."""
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(spans):
        s, e, tag = spans[i]
        if tag == "PER?":
            out.append((s, e, "PER" if _is_confirmed(text, s, e) else "W"))
            i += 1
            continue
        if (
            tag == "W"
            and e - s == 1
            and text[s] in SURNAMES_SINGLE
            and (s == 0 or not is_han(text[s - 1]) or spans[i - 1][1] - spans[i - 1][0] > 1)
            and _HONORIFIC_RE.match(text, e)
        ):
            out.append((s, e, "PER"))
            i += 1
            continue
        j = i
        while (
            j < len(spans)
            and spans[j][2] == "W"
            and spans[j][1] - spans[j][0] == 1
            and (text[spans[j][0]] in TRANSLIT_CHARS)
        ):
            j += 1
        if MIN_TRANSLIT <= j - i <= MAX_TRANSLIT and _is_confirmed(text, s, spans[j - 1][1]):
            out.append((s, spans[j - 1][1], "PER"))
            i = j
            continue
        out.extend(spans[i : max(j, i + 1)])
        i = max(j, i + 1)
    return out


def find_entities(text: str) -> tuple[Mention, ...]:
    """Person, location and organization mentions in `text`, sorted by start; spans do not overlap."""
    _, _, given_m, given_e = _tables()
    tokens = _tokens(text)
    spans: list[tuple[int, int, str]] = []
    pos = 0
    for s, e, tag in (*tokens, (len(text), len(text), "END")):
        if s > pos:  # a stretch no word covers: single chars, and OOV names
            names = _names_in_gap(text, pos, s, given_m, given_e)
            cursor = pos
            for k in range(0, len(names), 2):
                a, b = names[k], names[k + 1]
                spans.extend((c, c + 1, "W") for c in range(cursor, a))
                spans.append((a, b, "PER"))
                cursor = b
            spans.extend((c, c + 1, "W") for c in range(cursor, s))
        if tag != "END":
            spans.append((s, e, tag))
        pos = e
    return tuple(
        Mention(KIND[tag], text[s:e], text[s:e], s, e)
        for s, e, tag in _merge_orgs(text, _confirm_by_context(text, spans))
        if tag in KIND
    )
