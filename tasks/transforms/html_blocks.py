"""Which blocks of a cleaned page hold the article: prose density, semantic names, sibling blocks, threads (pure).

html.py cleans the tree and flattens the chosen blocks to paragraphs; this module only chooses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from statistics import median
from typing import NamedTuple

from lxml import etree

_CANDIDATE_TAGS = frozenset("div section article main td body blockquote center".split())
# Full-width sentence punctuation: prose has one every ~15-25 characters, menus and link lists almost none.
PUNCT = frozenset("，。；：！？、")
SEMANTIC_NAME = re.compile(
    r"^(content|article|artibody|article[-_]?(body|content)|main[-_]?(text|content)|trs_editor|rm_txt_con|"
    r"detail|detail[-_]?content|text|txt|post[-_]?(body|content)|entry[-_]?content|news[-_]?content|"
    r"article[-_]?text|contentmain|con_text|arti_content|story|body[-_]?text|"
    # Blog and self-publishing platforms: Sina blog (articalContent), WeChat (js_content), cnblogs, CSDN,
    # Zhihu, Jianshu, WordPress themes, NetEase (endText), and the pinyin 正文 (zhengwen).
    r"artical[-_]?(content|body|text)?|js_content|rich_media_content|cnblogs_post_body|blog[-_]?(body|content|text)|"
    r"post[-_]?richtext|richtext|show[-_]?content|entry[-_]?(body|text)|single[-_]?content|endtext|zhengwen|"
    r"news[-_]?(text|body|txt|detail)|article[-_]?detail|text[-_]?content)$",
    re.I,
)
# A time stamp as comment and forum posts show it: a date, a clock time, "3小时前", a floor number.
_POST_STAMP = re.compile(
    r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}|\d{1,2}:\d{2}"
    r"|\d+\s*(?:秒|分钟|小时|天|周|个月|年)前|刚刚|昨天|前天|\d+\s*[楼#]|楼主|沙发|板凳"
)
# Names of comment containers (English and pinyin: 评论 pinglun, 跟帖 gentie).
_COMMENT_HINT = re.compile(r"comment|repl(?:y|ies)|pinglun|gentie|\bcmt|discuss|guestbook", re.I)
# The parts of a post that carry its stamp are short (a user name, a time, a floor number).
_STAMP_ELEMENT_CHARS = 40
_THREAD_TAGS = frozenset("li div dl dd tr tbody table article section".split())
# A thread: 3+ sibling items of one kind, nearly all with a stamp (news paragraphs almost never carry one).
_THREAD_MIN_ITEMS = 3
_THREAD_STAMPED_SHARE = 0.8
# A forum's first post (the article) dwarfs the replies; a blog's comment list has no such head.
_OPENING_POST_RATIO = 3.0
_OPENING_POST_MIN_CHARS = 200
# A child holding this share of a block's sentence marks is where the article is (tuned on the tune half
# and the structure tests: 0.65 keeps two-column layouts apart, a lead paragraph returns with the sibling run).
_DOMINANT_CHILD_SHARE = 0.65
# How far up a block may climb to reach its wrapper (one wrapper per block: `div.blk > div.text`).
_MAX_CLIMB = 3


class Stats(NamedTuple):
    """Character counts of a subtree: all text, text inside links, punctuation outside links."""

    # A named tuple, not a dataclass: one is built per element of every page, and a tuple is built in C.
    chars: int
    link_chars: int
    punct: int

    @property
    def link_density(self) -> float:
        return self.link_chars / self.chars if self.chars else 0.0

    @property
    def punct_density(self) -> float:
        return self.punct / max(1, self.chars - self.link_chars)


_STRING_VALUE = etree.XPath("string()")


def text_content(el: etree._Element) -> str:
    """All text inside `el` (its tail excluded), as lxml.html's text_content() but for any element."""
    return str(_STRING_VALUE(el))


def nonspace_len(text: str) -> int:
    """Characters of `text` that are not white space."""
    return len("".join(text.split()))


_PUNCT_MARKS = tuple(PUNCT)


def count_punct(text: str) -> int:
    """Full-width sentence marks in `text` (one str.count per mark: this runs over every text node)."""
    return sum(map(text.count, _PUNCT_MARKS))


def subtree_stats(body: etree._Element) -> dict[etree._Element, Stats]:
    """Stats for every element, children before parents, so the whole tree is read once."""
    stats: dict[etree._Element, Stats] = {}
    no_stats = Stats(0, 0, 0)
    links = set(body.iter("a"))  # a set look-up per element is cheaper than reading its tag
    # Index access on the tuples and no helper calls for text-free elements: this visits every element of a page.
    for el in reversed(list(body.iter(etree.Element))):
        own = el.text or ""
        chars = link_chars = punct = 0
        if len(el):
            tails = [own]
            for child in el:
                tail = child.tail
                if tail:
                    tails.append(tail)
                child_stats = stats.get(child, no_stats)
                chars += child_stats[0]
                link_chars += child_stats[1]
                punct += child_stats[2]
            if len(tails) > 1:
                own = "".join(tails)
        if own and not own.isspace():  # most elements hold no text of their own but white space
            chars += nonspace_len(own)
            punct += count_punct(own)
        if el in links:
            link_chars, punct = chars, 0
        stats[el] = Stats(chars, link_chars, punct)
    return stats


def score(s: Stats) -> float:
    """Prose mass times link-free density: Chinese punctuation, plus plain text for pages without it."""
    if s.chars == 0:
        return 0.0
    density = 1.0 - s.link_chars / s.chars
    # Squared so that a parent adding a nav bar loses to the tighter child holding the same prose.
    return (s.punct + (s.chars - s.link_chars) / 50.0) * density * density


def semantic_strength(el: etree._Element) -> int:
    """2 for article markup or a known id, 1 for a known class name, 0 otherwise."""
    if el.tag == "article":
        return 2
    if not isinstance(el.tag, str):
        return 0
    if (el.get("itemprop") or "").lower() == "articlebody" or SEMANTIC_NAME.match(el.get("id") or ""):
        return 2
    return int(any(SEMANTIC_NAME.match(name) for name in (el.get("class") or "").split()))


_DIGITS = re.compile(r"\d+")


def _is_same_kind(el: etree._Element, other: etree._Element) -> bool:
    """Same tag and the same class, or ids equal but for numbers (`page1`, `page2`); bare tags say nothing."""
    if el.tag != other.tag:
        return False
    if el.get("class") and _signature(el) == _signature(other):
        return True
    ids = (el.get("id") or "", other.get("id") or "")
    return all(ids) and ids[0] != ids[1] and _DIGITS.sub("#", ids[0]) == _DIGITS.sub("#", ids[1])


def _signature(el: etree._Element) -> tuple[str, str]:
    return str(el.tag), " ".join(sorted((el.get("class") or "").split()))


# ---- threads: comment lists and forum replies ------------------------------------------------------------
def drop_threads(
    body: etree._Element, remove: Callable[[etree._Element], None]
) -> dict[etree._Element, Stats] | None:
    """Remove comment lists and forum replies: repeated sibling items each with a stamp, or a list of
    repeated items inside a container named as comments (`#comments`, `.reply-list`, `pinglun`).

    A forum's opening post stays: it is the article (far longer than the replies, or the only prose there
    is). Threads inside article markup (`<article>`, a known content id) stay too: a live blog's timed
    updates are its text. `remove` is the caller's element remover (it keeps tails). Returns the subtree
    stats when nothing was removed (still valid for choose_blocks), else None.
    """
    stats = subtree_stats(body)
    stamped: dict[etree._Element, bool] = {}
    listed: set[etree._Element] = set()  # elements with a list of repeated items in their subtree
    threads, marked = [], []
    for el in stats:  # children before parents
        # Most elements have fewer children than a list needs: skip the call (this loop visits every element).
        items = _repeated_items(el) if len(el) >= _THREAD_MIN_ITEMS else []
        # Posts are prose (a sentence mark each, on average); a schedule or a reference list with dates is not.
        if (
            items
            and sum(stats[item].punct for item in items) >= len(items)
            and sum(_is_stamped(item, stats, stamped) for item in items) >= _THREAD_STAMPED_SHARE * len(items)
        ):
            threads.append(items)
        if items or el in listed:
            listed.add(el.getparent())
            if _COMMENT_HINT.search(f"{el.get('class', '')} {el.get('id', '')}"):
                marked.append(el)
    if not threads and not marked:
        return stats
    in_article: dict[etree._Element, bool] = {}
    threads = [items for items in threads if not _is_in_article(items[0].getparent(), body, in_article)]
    marked = [el for el in marked if not _is_in_article(el, body, in_article)]
    for el in marked:  # children before parents: a nested container goes first, then its parent
        if el.getparent() is not None:
            remove(el)
    total = stats[body].punct
    for items in threads:  # items inside a container removed above are detached: removing them is harmless
        sizes = [stats[item].chars for item in items]
        is_head = sizes[0] >= _OPENING_POST_MIN_CHARS and sizes[0] >= _OPENING_POST_RATIO * max(
            1.0, median(sizes[1:])
        )
        outside = total - sum(stats[item].punct for item in items)
        keep_first = is_head or outside < stats[items[0]].punct
        for item in items[1:] if keep_first else items:
            remove(item)
    return None


def _is_stamped(
    el: etree._Element, stats: dict[etree._Element, Stats], memo: dict[etree._Element, bool]
) -> bool:
    """Whether `el` or an element inside it is a short text with a post's stamp; each element judged once.

    Judged only for list items, top down: an element of <= _STAMP_ELEMENT_CHARS decides for its whole subtree
    (a descendant's text is a substring of its text, and _POST_STAMP has no anchors), an empty one holds no
    stamp, and a longer one is stamped when one of its children is.
    """
    stack = [el]
    while stack:
        node = stack[-1]
        if node in memo:
            stack.pop()
            continue
        chars = stats[node].chars
        if chars <= _STAMP_ELEMENT_CHARS:
            memo[node] = chars > 0 and bool(_POST_STAMP.search(text_content(node)))
            stack.pop()
            continue
        children = [child for child in node if child in stats]
        pending = [child for child in children if child not in memo]
        if pending:
            stack.extend(pending)
            continue
        memo[node] = any(memo[child] for child in children)
        stack.pop()
    return memo[el]


def _is_in_article(el: etree._Element, body: etree._Element, memo: dict[etree._Element, bool]) -> bool:
    """Whether `el` or an ancestor up to `body` is article markup; each element judged once."""
    chain = []
    node: etree._Element | None = el
    while node is not None and node not in memo:
        chain.append(node)
        node = None if node is body else node.getparent()
    inside = memo[node] if node is not None else False
    for node in reversed(chain):  # parents before children
        inside = inside or semantic_strength(node) == 2
        memo[node] = inside
    return memo[el]


def _repeated_items(parent: etree._Element) -> list[etree._Element]:
    """3+ children of one kind (tag and class) making most of `parent`: list items, posts, comment rows."""
    children = [c for c in parent if isinstance(c.tag, str)]
    if len(children) < _THREAD_MIN_ITEMS:
        return []
    groups: dict[tuple[str, str], list[etree._Element]] = {}
    for child in children:
        if child.tag in _THREAD_TAGS:
            groups.setdefault(_signature(child), []).append(child)
    if not groups:
        return []
    items = max(groups.values(), key=len)
    return items if len(items) >= _THREAD_MIN_ITEMS and len(items) >= 0.6 * len(children) else []


# ---- the article's blocks --------------------------------------------------------------------------------
def choose_blocks(
    body: etree._Element, stats: dict[etree._Element, Stats] | None = None
) -> list[etree._Element]:
    """The article's blocks in document order: the main block plus sibling blocks of the same body."""
    stats = stats if stats is not None else subtree_stats(body)
    main = _choose_main(body, stats)
    return _with_sibling_blocks(main, stats)


def _choose_main(body: etree._Element, stats: dict[etree._Element, Stats]) -> etree._Element:
    """Pick the content block: a good semantic container if there is one, else the best-scoring block."""
    candidates = [el for el in stats if el.tag in _CANDIDATE_TAGS]
    if not candidates:
        return body
    best = max(candidates, key=lambda el: score(stats[el]))
    best_score = score(stats[best])
    # "Good": real prose (5+ sentence marks, mostly unlinked) and not dwarfed by the density peak; the
    # 0.3 and 5 come from the gold pages, where live-blog widgets classed `content` outscore short articles.
    good = [
        el
        for el, s in stats.items()
        if s.punct >= 5
        and s.link_chars <= 0.5 * s.chars
        and score(s) >= 0.3 * best_score
        and semantic_strength(el)  # last: the one test that reads the element's attributes
    ]
    if not good:
        return _tighten(best, stats)
    strongest = max(map(semantic_strength, good))
    top = max((el for el in good if semantic_strength(el) == strongest), key=lambda el: score(stats[el]))
    # A page-wide `#content` wrapper, or one that scores no higher than the block inside it (it adds only
    # links and chrome around the same prose): the tighter block is the article.
    if top in best.iterancestors() and (
        stats[top].chars > 1.5 * stats[best].chars or score(stats[best]) >= score(stats[top])
    ):
        return _tighten(best, stats)
    return top


def _tighten(block: etree._Element, stats: dict[etree._Element, Stats]) -> etree._Element:
    """Step down into the child holding most of the block's prose: the page's columns are not the article.

    A layout wrapper (article column + a sidebar of prose: a profile, a notice) outscores the article
    column itself; the article's own split blocks and loose paragraphs come back with the sibling run.
    """
    while True:
        children = [c for c in block if c.tag in _CANDIDATE_TAGS and c in stats]
        if not children:
            return block
        child = max(children, key=lambda c: stats[c].punct)
        if stats[child].punct < _DOMINANT_CHILD_SHARE * stats[block].punct or stats[child].punct < 5:
            return block
        block = child


def _with_sibling_blocks(main: etree._Element, stats: dict[etree._Element, Stats]) -> list[etree._Element]:
    """Add the blocks an article was split into (by images, ads, pagination) beside the main one.

    The main block climbs through wrappers that add no text, then takes the run of sibling blocks around it
    that are prose of the same kind: same tag and class, or as dense in punctuation and as free of links.
    The run ends at the first block of prose that does not qualify (a comment box, an author card).
    """
    anchor = main
    for _ in range(_MAX_CLIMB):
        parent = anchor.getparent()
        if parent is None or parent.tag == "body" or parent.getparent() is None:
            break
        if stats[anchor].chars - stats[anchor].link_chars < 0.9 * (
            stats[parent].chars - stats[parent].link_chars
        ):
            break
        anchor = parent
    parent = anchor.getparent()
    if parent is None:
        return [main]
    siblings = [el for el in parent if isinstance(el.tag, str) and el in stats]
    at = siblings.index(anchor)
    before = _run_of_blocks(anchor, reversed(siblings[:at]), stats)
    after = _run_of_blocks(anchor, siblings[at + 1 :], stats)
    if not before and not after:
        return [main]
    return [*reversed(before), anchor, *after]


def _run_of_blocks(
    anchor: etree._Element, siblings: Iterable[etree._Element], stats: dict[etree._Element, Stats]
) -> list[etree._Element]:
    """Sibling blocks of the article, walking away from the anchor until prose that is not the article's."""
    found = []
    mine = stats[anchor]
    # Article markup (`#artibody`, a `content` class) bounds the article itself: beside it, only blocks of the
    # same kind; unnamed blocks may also join a run of prose as dense as theirs.
    named = semantic_strength(anchor) > 0 or any(semantic_strength(el) for el in anchor.iterdescendants())
    separated = (
        False  # classed unnamed blocks join only across an image, ad or pager: why else split the text?
    )
    for el in siblings:
        s = stats[el]
        if s.punct < 2 or s.chars - s.link_chars < 20:
            separated = True  # an image, an ad, a pager: the article may go on after it
            continue
        same_kind = _is_same_kind(el, anchor) and s.link_density <= 0.5
        # A lead or closing paragraph left beside the body block (`<p class=lead>` then `<div class=text>`).
        loose_paragraph = el.tag == "p" and not separated and s.link_density <= 0.1
        as_dense = (
            not named
            # Across an image or ad; or bare blocks of one tag (a photo story's `<div><img><p>` items).
            and (separated or not (el.get("class") or anchor.get("class")))
            and el.tag == anchor.tag
            and s.link_density <= 0.1  # "recommended" summaries carry their title links
            and s.punct_density >= 0.5 * mine.punct_density
            and score(s) >= 0.1 * score(mine)
        )
        if not (same_kind or as_dense or loose_paragraph):
            break
        found.append(el)
    return found
