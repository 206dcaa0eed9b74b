"""Person names confirmed by context: a title before (市长张壮) or after (张壮市长), a speech verb (张壮表示), a byline.

These are entity-layer candidates: the relations never read names from the text themselves. A candidate is no
name when it is a common word (焦虑, 文章), a bare surname (习), or holds or crosses a place or organization (但法国).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..models import Byline, Mention
from ._text import HAN, alternation, is_han
from .data.lexicon import SPEECH_VERBS, TRANSLIT_CHARS
from .entities import dictionary_kinds, is_common_word, is_dictionary_word, lexicon_words
from .names import is_name_end, read_name
from .span_checks import FUNCTION_CHARS
from .titles import NAME_FIRST_TITLES, NOT_AFTER_NAME, TITLE_AT_END_RE, TITLE_MAX_LEN, TITLE_RE, title_base

# What may stand between a speaker and the verb: 在讲话中, 还, 对《每日经济新闻》记者, 向记者.
SPEECH_INSERT = (
    r"(?:在[^，。；“”]{0,20}?[中上时]|[对向][^，。；“”]{0,14}?记者|还|也|则|同时|进一步|又|更|此前|曾)*"
)
# A speech verb then a colon or comma (︰ U+FE30 and ∶ U+2236 are colons too) or an opening quote.
SPEECH_RE = re.compile(f'{SPEECH_INSERT}(?:{alternation(SPEECH_VERBS)})[，：:,︰∶]?(?=[“"]|(?<=[，：:,︰∶]))')

_AFTER_QUOTE_RE = re.compile('[”"]')
_CREDIT_RE = re.compile(f"》[（(]([{HAN}]{{2,4}})[）)]")
_VERB_AFTER_NAME_RE = re.compile(f"{SPEECH_INSERT}(?:{alternation(SPEECH_VERBS)})[。，,]")

# Longest transliterated-name run (a run of TRANSLIT_CHARS): 叶利钦 is 3, 戈尔巴乔夫 5, with slack.
MAX_TRANSLIT = 7


class Blocked:
    """Positions covered by places and organizations: a name may not hold or cross one."""

    def __init__(self, length: int, spans: Sequence[Mention]) -> None:
        self.covered = bytearray(length + 1)
        for m in spans:
            self.covered[m.start : m.end] = b"\x01" * (m.end - m.start)
        self.spans = {m.start: m for m in spans}

    def touches(self, start: int, end: int) -> bool:
        """True when any character of text[start:end] lies in a place or organization."""
        return any(self.covered[start:end])

    def crosses_at(self, pos: int) -> bool:
        """True when a place or organization runs across position `pos` (covers pos-1 and pos)."""
        return pos > 0 and bool(self.covered[pos - 1]) and bool(self.covered[pos]) and pos not in self.spans


def is_plausible_name(text: str, start: int, end: int, blocked: Blocked) -> bool:
    """A name candidate that is not a bare surname, a common word or part of a place/organization."""
    word = text[start:end]
    # jieba's dictionary lists transliterated names (菲利普) as words: a run of 3+ transliteration chars is kept.
    foreign = len(word) >= 3 and all(c in TRANSLIT_CHARS for c in word)
    kinds = dictionary_kinds(word)
    # 焦虑, 贺信 (a letter), 帅哥; a word CC-CEDICT lists only as a person's name (库克 Cook) is a name
    plain = (is_common_word(word) or is_dictionary_word(word)) and kinds != "P"
    other_kind = bool(kinds) and not set(kinds) & {"P", "X"}  # 扎伊尔 (a country) before 总统
    opens_phrase = len(word) >= 3 and word[0] in FUNCTION_CHARS  # 总统和夫人: 和 opens a phrase
    # 高兴地说: a word and the adverbial 地 say how someone speaks, not who
    adverbial = len(word) >= 3 and word[-1] == "地" and is_dictionary_word(word[:-1])
    return (
        len(word) >= 2
        and (foreign or not plain)
        and not other_kind
        and not opens_phrase
        and not adverbial
        and not blocked.touches(start, end)
    )


def title_matches(text: str, blocked: Blocked) -> list[re.Match[str]]:
    """Title words that are not inside a place (吉林省长春市 holds 省长, but 柳州市长 is 柳州 + 市长)."""
    return [m for m in TITLE_RE.finditer(text) if not blocked.crosses_at(m.end())]


# The longest name CC-CEDICT lists that a title or speech verb confirms (拜登, 普京, 古特雷斯, 内塔尼亚胡).
_MAX_KNOWN_NAME = 5


def known_person_end(text: str, start: int) -> int | None:
    """End of a word starting at `start` that CC-CEDICT lists only as a person's name (拜登), longest first."""
    for size in range(_MAX_KNOWN_NAME, 1, -1):
        if start + size <= len(text) and dictionary_kinds(text[start : start + size]) == "P":
            return start + size
    return None


def known_person_start(text: str, end: int) -> int | None:
    """Start of a word ending at `end` that CC-CEDICT lists only as a person's name (普京 before 表示)."""
    for size in range(_MAX_KNOWN_NAME, 1, -1):
        if end - size >= 0 and dictionary_kinds(text[end - size : end]) == "P":
            return end - size
    return None


def _transliterated_end(text: str, start: int) -> int | None:
    """End of a run of transliteration characters (菲利普, 马克龙) that a name may end after, or None."""
    end = start
    while end < len(text) and end - start < MAX_TRANSLIT and text[end] in TRANSLIT_CHARS:
        end += 1
    return end if end - start >= 2 and is_name_end(text, end) else None


def name_after_title(text: str, title_end: int, lexicon_person_end: dict[int, int]) -> int | None:
    """End of the name right after a title (市长张壮, 总理菲利普), or None."""
    end = read_name(text, title_end)
    if end is not None and is_common_word(text[title_end:end]):
        end = None  # 校长焦虑不安: 焦虑 reads as surname + name but is a word
    # Last, a name the recogniser does not know and no verb follows: 总统拜登通话.
    return (
        end
        or lexicon_person_end.get(title_end)
        or _transliterated_end(text, title_end)
        or known_person_end(text, title_end)
    )


def is_lexicon_word(word: str) -> bool:
    """True when the lexicon lists `word` as one word other than a known person's name: a place, a body, a common
    word or a doubtful name (贺信); a listed name (田纪云) is a name, so a title before it may be its."""
    words = lexicon_words(word, 0, len(word))
    return len(words) == 1 and words[0][2] not in ("", "PER")


def _is_body_word(word: str) -> bool:
    """True when the lexicon lists `word` as an organization (人民日报); places are left to the gazetteer."""
    words = lexicon_words(word, 0, len(word))
    return len(words) == 1 and words[0][2] == "ORG"


def name_before_title(text: str, title: re.Match[str]) -> int | None:
    """Start of a 2-3 char name right before an honorific title at a phrase start (，王强教授), or None."""
    if title.group(0) in NOT_AFTER_NAME:
        return None
    for size in (3, 2):
        s = title.start() - size
        if (
            s >= 0
            and (s == 0 or not is_han(text[s - 1]))
            and read_name(text[: title.end()], s) == title.start()
            and not is_common_word(text[s : title.start()])
            and not _is_body_word(text[s : title.start()])
        ):
            return s
    return None


def speaker_before(text: str, pos: int) -> int | None:
    """Start of a name ending at `pos` (before a speech verb), opening a phrase or after a title, or None."""
    for size in (3, 2, 4):
        s = pos - size
        if s < 0 or (
            s > 0 and is_han(text[s - 1]) and not TITLE_AT_END_RE.search(text, max(0, s - TITLE_MAX_LEN), s)
        ):
            continue  # inside a word, unless a title precedes the name (所长魏少军表示)
        if read_name(text[:pos], s) == pos:
            return s
    known = known_person_start(text, pos)  # 拜登说: a name with no surname the dictionary knows as a person's
    if known is not None and (
        known == 0
        or not is_han(text[known - 1])
        or text[known - 1] in FUNCTION_CHARS
        or TITLE_AT_END_RE.search(text, max(0, known - TITLE_MAX_LEN), known)
    ):
        return known
    return None


def byline_names(byline: Byline | None) -> list[str]:
    """Reporters, photographers and editors named by the byline."""
    if byline is None:
        return []
    return [n for v in (byline.reporter, byline.photographer, byline.editor) if v for n in v.split("、")]


def find_context_people(
    text: str,
    byline: Byline | None,
    blocked: Blocked,
    lexicon: Sequence[Mention],
    titles: list[re.Match[str]],
) -> set[str]:
    """Names confirmed somewhere in the text by a title, a speech verb or the byline."""
    person_end = {m.start: m.end for m in lexicon if m.kind == "person"}
    person_start = {m.end: m.start for m in lexicon if m.kind == "person"}
    # A guess from a surname char (蒙古总统: 蒙 + 古) yields to the recogniser's place or body on the same span when a
    # dictionary knows the word as no person's name (钟南山院士, a name the recogniser reads as a mountain, stays).
    other = {
        (m.start, m.end)
        for m in lexicon
        if m.kind != "person" and (kinds := dictionary_kinds(m.surface)) and "P" not in kinds
    }
    spans: list[tuple[int, int]] = []
    for m in titles:
        start = person_start.get(m.start(), name_before_title(text, m))
        if start is not None and (start, m.start()) in other:
            start = None
        if start is not None and not is_plausible_name(text, start, m.start(), blocked):
            start = None
        end = name_after_title(text, m.end(), person_end)
        if end is not None and not is_plausible_name(text, m.end(), end, blocked):
            end = None  # 克林顿总统和夫人: no name follows, so the title is 克林顿's
        # With a name on both sides, the one the dictionary lists as a word is the weaker (习近平主席贺信,
        # 华为院士艾伟); when both or neither are words, a title of address (主席, 院士) goes to the first name.
        first_wins = False
        if start is not None and end is not None:
            before_word, after_word = (
                is_lexicon_word(text[start : m.start()]),
                is_lexicon_word(text[m.end() : end]),
            )
            first_wins = (after_word and not before_word) or (
                before_word == after_word and title_base(m.group(0)) in NAME_FIRST_TITLES
            )
        if start is not None and (end is None or first_wins):
            spans.append(
                (start, m.start())
            )  # 习近平主席贺信: the title is 习近平's, it confirms nothing after it
            continue
        start = m.end()
        while end is not None:  # 议员黄毓民、陈伟业: names listed after a title share it
            spans.append((start, end))
            start = end + 1
            end = read_name(text, start) if text.startswith("、", end) else None
    for m in SPEECH_RE.finditer(text):
        start = speaker_before(text, m.start())
        if start is not None:
            spans.append((start, m.start()))
    for m in _AFTER_QUOTE_RE.finditer(text):  # “...”张伟说。
        end = read_name(text, m.end())
        if end is not None and _VERB_AFTER_NAME_RE.match(text, end):
            spans.append((m.end(), end))
    for m in _CREDIT_RE.finditer(
        text
    ):  # 《耶律楚材新论》（龚鹏程）: a work's author in brackets after its title
        spans.append(m.span(1))
    names = {text[s:e] for s, e in spans if (s, e) not in other and is_plausible_name(text, s, e, blocked)}
    return names | {n for n in byline_names(byline) if len(n) >= 2 and not is_common_word(n)}
