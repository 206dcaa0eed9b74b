"""Character classes and span helpers shared by the extractors."""

from __future__ import annotations

import re

from ..chars import HAN, is_han

__all__ = ["HAN", "is_han", "sentence_bounds", "clause_start", "alternation"]
# Characters that always end a phrase (both full- and half-width forms, since upstream text may keep either).
PHRASE_BREAKS = frozenset('，。；;：:！？!?、（）()“”‘’"《》【】[]\n\t 　—-–…,')
SENTENCE_ENDS = frozenset("。！？!?\n")
SENTENCE_END_RE = re.compile("[" + re.escape("".join(sorted(SENTENCE_ENDS))) + "]")
CLAUSE_BREAKS = frozenset("，。；;：:！？!?\n,")


def sentence_bounds(text: str, pos: int) -> tuple[int, int]:
    """Return [start, end) of the sentence holding `pos`; the end includes its terminator."""
    start = pos
    while start > 0 and text[start - 1] not in SENTENCE_ENDS:
        start -= 1
    end = pos
    while end < len(text) and text[end] not in SENTENCE_ENDS:
        end += 1
    if end < len(text) and text[end] != "\n":
        end += 1
    return start, end


def clause_start(text: str, pos: int, floor: int = 0) -> int:
    """Return the index just after the last clause break before `pos` (not before `floor`)."""
    i = pos
    while i > floor and text[i - 1] not in CLAUSE_BREAKS:
        i -= 1
    return i


def alternation(words: tuple[str, ...] | list[str] | frozenset[str]) -> str:
    """Regex alternation of literal words, longest first so the longest wins."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def starts_with_one_of(words: tuple[str, ...] | list[str] | frozenset[str]) -> str:
    """A lookahead for the words' first chars: before an alternation of them, a search skips every other char in C.

    Python's regex engine tries each branch of a long alternation at every position; this changes no match.
    """
    return "(?=[" + "".join(re.escape(ch) for ch in sorted({w[0] for w in words})) + "])"
