"""Content-quality guard: a body that is a keyword list, a link cloud or garbled text rather than prose gets no facts.

An SEO tag cloud (gne_silver njxfhn/1.html: 177,390 characters, 23,004 whitespace-separated terms) is made of
many short tokens with almost no punctuation; read as prose it floods the person and place tables. Prose, even
an encyclopedia infobox or a blog written with spaces, keeps clause punctuation or has too few such tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.transforms.decode_scoring import char_stats

# Marks that end or split a clause: prose has several per 100 characters (the 81 real pages: 0.55 to 10.4).
CLAUSE_MARKS = frozenset("。！？，；：!?,;:")
# A list item: a whitespace-separated token of at most this many characters with no clause mark in it.
MAX_ITEM_CHARS = 30
# Thresholds, tuned on ../shared/data/news_html_gold (81 pages) + samples/, with margin on both sides: the one
# tag cloud has 23,004 items, 98% of its characters in items and 0.14 marks per 100 characters; the nearest real
# pages are a lyrics blog (160 items), a Taiwanese blog (127 items, 0.55 marks) and an encyclopedia entry
# (1,124 items but 68% of characters and 1.83 marks).
MIN_ITEMS = 200
MIN_ITEM_SHARE = 0.75
MAX_MARKS_PER_100 = 0.5
# Garbled text: Han characters that are mostly rare, as random text or a wrong decoding gives, yield false names and
# places by the thousand. Share of common Hanzi (decode_scoring.COMMON_HANZI) among the Han characters of the first
# 20,000 characters, counted from MIN_HAN of them. Set between the 81 real pages of news_html_gold (0.56-0.87) and
# random Han (0.03); then checked on what it had not seen: the 7 real feeds of rss_feeds 0.68-0.85, Japanese pages
# 0.56-0.79, GBK read as Big5 -0.00, Big5 as GBK -0.28, UTF-8 as GBK -0.06 (the score subtracts impossible chars).
MIN_HAN = 200
MIN_COMMON_HAN_SCORE = 0.25
# A whole whitespace-separated token (re's \\s and str.split() agree on white space) of at most MAX_ITEM_CHARS
# characters, none of them a clause mark.
_LIST_ITEM = re.compile(
    rf"(?<!\S)[^\s{re.escape(''.join(sorted(CLAUSE_MARKS)))}]{{1,{MAX_ITEM_CHARS}}}(?!\S)"
)


@dataclass(frozen=True)
class Quality:
    """What the guard decided: `label` is "ok", "keyword_list" or "garbled"; `reason` says why when it is not ok."""

    label: str = "ok"
    reason: str | None = None


def assess_quality(text: str) -> Quality:
    """Mark a body that is mostly a keyword list or link cloud, or garbled Han text (bounded passes over the text)."""
    # Three C-level passes instead of a Python loop over tokens: the marks are counted over the whole text (no
    # mark is white space, so every one sits in a token), and the list items are found by one regex.
    chars = sum(map(len, text.split()))
    marks = sum(map(text.count, CLAUSE_MARKS))
    item_lengths = list(map(len, _LIST_ITEM.findall(text)))
    items, item_chars = len(item_lengths), sum(item_lengths)
    if not chars:
        return Quality()
    share = item_chars / chars
    per_100 = 100 * marks / chars
    if items >= MIN_ITEMS and share >= MIN_ITEM_SHARE and per_100 < MAX_MARKS_PER_100:
        return Quality(
            "keyword_list",
            f"{items} short unpunctuated tokens hold {share:.0%} of the text; "
            f"{per_100:.2f} clause marks per 100 characters",
        )
    stats = char_stats(text)
    if stats.han >= MIN_HAN and stats.zh_score < MIN_COMMON_HAN_SCORE:
        return Quality(
            "garbled",
            f"common Hanzi score {stats.zh_score:.2f} over {stats.han:,} Han characters (real news 0.56 or more): "
            "random or wrongly decoded text",
        )
    return Quality()
