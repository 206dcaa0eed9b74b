"""Search terms of Chinese text: overlapping character bigrams of Han runs, whole words of Latin letters/digits.

The same rule is written in SQL as the `search_terms` macro (warehouse/views/search_macros.sql), so a query typed in
SQL finds what the index holds; tests/transforms/test_search_tokens.py keeps the two equal.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from tasks.transforms.normalize import normalize_text

# CJK Unified Ideographs, Extension A and the compatibility block: the characters of Chinese news text. The SQL
# macro spells the same class with RE2's \x{...} escapes.
_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
_PHRASE = re.compile(r'"([^"]+)"')


def tokenize(text: str) -> list[str]:
    """Search terms of `text` in order: each Han run as its bigrams (a lone character as itself), Latin/digit words."""
    terms: list[str] = []
    for run in _RUN.findall(text.lower()):
        if len(run) == 1 or not _is_han(run[0]):
            terms.append(run)
        else:
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
    return terms


def _is_han(ch: str) -> bool:
    return not ("a" <= ch <= "z" or "0" <= ch <= "9")


def searchable_text(title: str | None, body: str) -> str:
    """What the index reads: the title (when there is one) on its own line before the body."""
    return f"{title}\n{body}" if title else body


def count_terms(text: str) -> Counter[str]:
    """Term frequencies of `text` (the postings of one article; the load's are made by term_table)."""
    return Counter(tokenize(text))


_SEARCH_HAN = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))  # _RUN's Han class as code point ranges
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_SECOND = (1 << 21) - 1  # a bigram's key is its first char's code << 21 | its second's (code points < 2**21)


@dataclass(frozen=True)
class TermTable:
    """The distinct terms of a text joined by newlines (no term holds one), and their counts in the same order."""

    terms: str
    counts: np.ndarray  # int64


def term_table(text: str) -> TermTable:
    """count_terms(text) without a Python object per term: Han bigrams and lone chars are counted as integer keys
    in numpy (a text of 2 M distinct bigrams made 2 M strings and a 2 M-entry Counter, ~250 MB), Latin words by a
    Counter (few). Terms come in key order, then the Latin words."""
    low = text.lower()
    codes = np.frombuffer(low.encode("utf-32-le", "surrogatepass"), dtype="<u4").astype(np.int64)
    han = np.zeros(len(codes), dtype=bool)
    for lo, hi in _SEARCH_HAN:
        han |= (codes >= lo) & (codes <= hi)
    pair = han[:-1] & han[1:]
    alone = han & ~np.concatenate([[False], han[:-1]]) & ~np.concatenate([han[1:], [False]])
    # np.unique sorts: n log n, within the growth test's bound (bench/bench_scaling.py) up to the text cap.
    keys, counts = np.unique(
        np.concatenate([(codes[:-1][pair] << 21) | codes[1:][pair], codes[alone]]), return_counts=True
    )
    first, second = keys >> 21, keys & _SECOND
    # Each term's chars then a newline: a bigram is 3 code points, a lone char (first == 0) 2.
    width = np.where(first > 0, 3, 2)
    ends = np.cumsum(width)
    chars = np.full(int(ends[-1]) if len(ends) else 0, 10, dtype="<u4")
    starts = ends - width
    bigram = first > 0
    chars[starts[bigram]] = first[bigram]
    chars[starts[bigram] + 1] = second[bigram]
    chars[starts[~bigram]] = second[~bigram]
    han_terms = chars[:-1].tobytes().decode("utf-32-le", "surrogatepass")
    latin = Counter(_LATIN_WORD.findall(low))
    terms = "\n".join(filter(None, (han_terms, "\n".join(latin))))
    return TermTable(
        terms, np.concatenate([counts, np.fromiter(latin.values(), dtype=np.int64, count=len(latin))])
    )


def iter_terms(terms: str, chunk_chars: int = 1 << 20) -> Iterator[str]:
    """The terms of a TermTable one by one, split off ~chunk_chars chars at a time (never all as objects at once)."""
    start = 0
    while start < len(terms):
        cut = terms.find("\n", start + chunk_chars)
        end = len(terms) if cut < 0 else cut
        yield from terms[start:end].split("\n")
        start = end + 1


# Bigrams repeat across articles (75,000 distinct in 250 real pages against 325,000 per-article terms), so each
# term's MD5 is computed once per process (up to 131,072 terms, ~42 MB; half as many missed 216,000 of 325,000
# look-ups on 250 real pages instead of 75,000: +0.18 s).
@lru_cache(maxsize=1 << 17)
def term_id(term: str) -> int:
    """A term's id in the index: the first 60 bits of its MD5, as the `search_term_id` SQL macro computes it."""
    return int(hashlib.md5(term.encode("utf-8"), usedforsecurity=False).hexdigest()[:15], 16)


@dataclass(frozen=True)
class SearchQuery:
    """A query as the index reads it: its normalized text, every term required, and phrases to find contiguously."""

    text: str
    terms: tuple[str, ...]
    phrases: tuple[str, ...]

    @property
    def needles(self) -> tuple[str, ...]:
        """What to look for when quoting the hit: phrases, then the words as typed, then single terms."""
        return self.phrases + tuple(self.text.replace('"', " ").split()) + self.terms


def parse_query(query: str) -> SearchQuery:
    """Normalize a query like a body (Traditional -> Simplified, NFC) and split out its quoted phrases."""
    # Straight and curly quotes both mark a phrase; the normalize stage leaves ASCII quotes alone.
    text = normalize_text(query.replace("“", '"').replace("”", '"')).text.strip()
    terms = tuple(dict.fromkeys(tokenize(text)))
    phrases = tuple(p.strip() for p in _PHRASE.findall(text) if p.strip())
    return SearchQuery(text=text, terms=terms, phrases=phrases)
