"""Reported speech by person entities: `X表示，...。`, `X在讲话中指出`, `“...”X说`.

The speaker is always a person entity of the document (so 文章, 记者 or a bare surname never speak). A quoted
term inside a running sentence (摆脱“外挂”方式) is a scare quote, not speech: the quote is then the sentence.
"""

from __future__ import annotations

import re

from ..models import Mention, Quote
from ._text import SENTENCE_ENDS, alternation
from .data.lexicon import SPEECH_VERBS
from .document import Document
from .people import SPEECH_INSERT, SPEECH_RE
from .titles import MAX_CHAIN, TITLE_AT_END_RE

_QUOTE_FIRST_RE = re.compile(r"“([^“”]{4,})”")
_VERB_AFTER_RE = re.compile(f"{SPEECH_INSERT}(?:{alternation(SPEECH_VERBS)})[。，]")
# A closing quote followed by one of these ends the quoted speech; anything else continues the sentence.
_SPEECH_CLOSERS = frozenset("。！？!?，,；;…\n")
# What stands before a quote that opens its clause ("" at the text's start).
_CLAUSE_OPENERS = frozenset(("", *"。！？!?，,；;：:\n 　"))
# Chars a title chain between a quote and its speaker never holds.
_CHAIN_STOPS = frozenset('。！？!?，,；;：:“”"\n')


def _sentence_end(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end] not in SENTENCE_ENDS:
        end += 1
    return end + 1 if end < len(text) and text[end] != "\n" else end


def _content(text: str, start: int) -> tuple[int, str]:
    """(end, speech) from `start`: the quoted part when it closes the clause, else the rest of the sentence."""
    if start < len(text) and text[start] in '“"':
        close = text.find("”" if text[start] == "“" else '"', start + 1)
        # The quote closes the clause, or ends its own sentence (…每小时。”她坦言): the speech is what it holds.
        if close != -1 and (
            close + 1 == len(text) or text[close + 1] in _SPEECH_CLOSERS or text[close - 1] in SENTENCE_ENDS
        ):
            return close, text[start + 1 : close]
    end = _sentence_end(text, start)
    return end, text[start:end]


def _titled_speaker(doc: Document, start: int) -> Mention | None:
    """The person after a title chain that follows a quote (“…，”该公司首席执行官王明说): the chain ends in a title
    right before the person and holds no clause break."""
    text = doc.text
    for pos in range(start + 1, min(len(text), start + MAX_CHAIN)):
        if text[pos - 1] in _CHAIN_STOPS:
            return None
        person = doc.entity_at.get(pos)
        if person is not None and person.kind == "person":
            return person if TITLE_AT_END_RE.search(text, start, pos) else None
    return None


def extract_quotes(doc: Document) -> tuple[Quote, ...]:
    """Quotes to the end of the sentence (or the closing ”) whose speaker is a person entity."""
    text = doc.text
    quotes: list[Quote] = []
    for m in SPEECH_RE.finditer(text):
        speaker = doc.entity_ending_at.get(m.start())
        if speaker is None or speaker.kind != "person" or len(speaker.name) < 2:
            continue
        end, content = _content(text, m.end())
        if content.strip('。！？ “”"'):
            quotes.append(Quote(speaker.name, content, speaker.start, end))
    for m in _QUOTE_FIRST_RE.finditer(text):  # “...”X说。 : the quote comes first
        speaker = doc.entity_at.get(m.end())
        opens_clause = text[m.start() - 1 : m.start()] in _CLAUSE_OPENERS  # not 瑞典“一带一路”研究所, a name
        if (speaker is None or speaker.kind != "person") and opens_clause:
            speaker = _titled_speaker(doc, m.end())
        if speaker is None or speaker.kind != "person" or len(speaker.name) < 2:
            continue
        after = _VERB_AFTER_RE.match(text, speaker.end)
        if after:
            quotes.append(Quote(speaker.name, m.group(1), m.start(), after.end()))
    return tuple(sorted(quotes, key=lambda q: q.start))
