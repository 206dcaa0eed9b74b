"""Reported speech: `X表示，...。`, `X在讲话中指出`, `“...”X说`; the speaker is the bare person name."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..models import Quote
from ._text import SENTENCE_ENDS, alternation, is_han
from .data.lexicon import SPEECH_VERBS
from .names import read_name
from .roles import TITLE_AT_END_RE, TITLE_MAX_LEN

# What may stand between a speaker and the verb: 在讲话中, 还, 对《每日经济新闻》记者, 向记者.
_INSERT = r"(?:在[^，。；“”]{0,20}?[中上时]|[对向][^，。；“”]{0,14}?记者|还|也|则|同时|进一步|又|更|此前|曾)*"
_SPEECH_RE = re.compile(f'{_INSERT}(?:{alternation(SPEECH_VERBS)})[，：:,]?(?=[“"]|(?<=[，：:,]))')


def _speaker_before(text: str, pos: int, known: Iterable[str]) -> tuple[int, str] | None:
    for name in known:  # longest first (extract_quotes sorts them once)
        if text.endswith(name, 0, pos):
            return pos - len(name), name
    for size in (3, 2, 4):
        s = pos - size
        if s < 0 or (
            s > 0 and is_han(text[s - 1]) and not TITLE_AT_END_RE.search(text, max(0, s - TITLE_MAX_LEN), s)
        ):
            continue  # inside a word, unless a title precedes the name (所长魏少军表示)
        if read_name(text[:pos], s) == pos:
            return s, text[s:pos]
    return None


def _content(text: str, start: int) -> tuple[int, int, str]:
    if start < len(text) and text[start] in '“"':
        close = text.find("”" if text[start] == "“" else '"', start + 1)
        if close != -1:
            return start + 1, close, text[start + 1 : close]
    end = start
    while end < len(text) and text[end] not in SENTENCE_ENDS:
        end += 1
    if end < len(text) and text[end] != "\n":
        end += 1
    return start, end, text[start:end]


def extract_quotes(text: str, known_people: Iterable[str] = ()) -> tuple[Quote, ...]:
    """Quotes to the end of the sentence (or the closing ”); speakers must be known people or surname-led names."""
    known = tuple(sorted(set(known_people), key=len, reverse=True))
    quotes: list[Quote] = []
    for m in _SPEECH_RE.finditer(text):
        speaker = _speaker_before(text, m.start(), known)
        if speaker is None:
            continue
        s, name = speaker
        _, end, content = _content(text, m.end())
        if content.strip("。！？ "):
            quotes.append(Quote(name, content, s, end))
    # “...”X说。 : the quote comes first.
    for m in re.finditer(r"“([^“”]{4,})”", text):
        pos = m.end()
        name_end = read_name(text, pos)
        if name_end is None and not any(text.startswith(k, pos) for k in known):
            continue
        name = next((k for k in known if text.startswith(k, pos)), text[pos:name_end] if name_end else "")
        after = re.match(f"{_INSERT}(?:{alternation(SPEECH_VERBS)})[。，]", text[pos + len(name) :])
        if after:
            quotes.append(Quote(name, m.group(1), m.start(), pos + len(name) + after.end()))
    return tuple(sorted(quotes, key=lambda q: q.start))
