"""Reported speech by person entities: `X表示，...。`, `X在讲话中指出`, `“...”X说`.

The speaker is always a person entity of the document (so 文章, 记者 or a bare surname never speak). A quoted
term inside a running sentence (摆脱“外挂”方式) is a scare quote, not speech: the quote is then the sentence.
"""

from __future__ import annotations

import re

from ..models import Quote
from ._text import SENTENCE_ENDS, alternation
from .data.lexicon import SPEECH_VERBS
from .document import Document
from .people import SPEECH_INSERT, SPEECH_RE

_QUOTE_FIRST_RE = re.compile(r"“([^“”]{4,})”")
_VERB_AFTER_RE = re.compile(f"{SPEECH_INSERT}(?:{alternation(SPEECH_VERBS)})[。，]")
# A closing quote followed by one of these ends the quoted speech; anything else continues the sentence.
_SPEECH_CLOSERS = frozenset("。！？!?，,；;…\n")


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
        if speaker is None or speaker.kind != "person" or len(speaker.name) < 2:
            continue
        after = _VERB_AFTER_RE.match(text, speaker.end)
        if after:
            quotes.append(Quote(speaker.name, m.group(1), m.start(), after.end()))
    return tuple(sorted(quotes, key=lambda q: q.start))
