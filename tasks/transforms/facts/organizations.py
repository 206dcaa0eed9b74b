"""Organizations by suffix (局, 人民政府, 大学...), their name read back from the suffix over lexicon words.

The name starts after the last word that cannot be inside one (a verb, a function word, a number: 东京出席|会议,
两国|政府, 经过|两国政府), at a clause boundary, or at a known organization word it holds (美国著名学府|哈佛大学).
A generic suffix (政府, 中心) needs a place or a known organization in front; a generic head (地方政府, 上市公司)
is no name; a top-level body after a complete name starts a new one (中共中央办公厅|国务院办公厅).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from ..models import Mention
from ._text import PHRASE_BREAKS, alternation, is_han
from .data.lexicon import (
    GENERIC_ORG_HEADS,
    NOT_ORG_WORDS,
    ORG_ABBREVIATIONS,
    ORG_CONJUNCTIONS,
    ORG_HEAD_ANCHORS,
    ORG_SUFFIXES,
    TITLES,
    WEAK_ORG_SUFFIXES,
)
from .entities import is_dictionary_word, is_name_break, lexicon_words, org_verbs
from .titles import TITLE_SET

# Longest organization name we accept: 20 chars holds >99% of the ORG spans in the MSRA/People's Daily gold.
MAX_ORG_LEN = 20
# How many places before an organization a bare 市/省/区 looks back over for its place (an article names a few).
MAX_PLACES_BACK = 200
# A single-character suffix must not be the start of a longer word (局长, 部门, 部署, 部队, 省部级, 部落...).
_SUFFIX_RE = re.compile(f"(?:{alternation(ORG_SUFFIXES)})(?![长门分署件位面势队级落])")
_TITLE_AT_RE = re.compile(alternation(TITLES))
_SUFFIX_SET = frozenset(ORG_SUFFIXES)
_NUMBER_CHARS = frozenset("0123456789０１２３４５６７８９〇零一二两三四五六七八九十百千万几数多余")
_CLASSIFIERS = frozenset("个家所名位座条项批支间部台辆艘架届")
_SUFFIXES = tuple(ORG_SUFFIXES)
_ABBREVIATION_PREFIXES = tuple(ORG_ABBREVIATIONS)
# Generic organs after a bare level character: 市委, 市人民政府, 省政府, 区党委.
BARE_LEVEL_RE = re.compile(
    r"^[省市区县州](?:委|人民政府|政府|人大|政协|党委|纪委|监委|委员会|[^\s]{1,8}(?:局|厅|委|办))"
)
LEVEL_OF_BARE = {"省": "province", "市": "city", "区": "province", "县": "county", "州": "city"}


def _is_name_head(word: str, tag: str, at_place: bool) -> bool:
    """True for a word that may open a name: a place, a known or suffixed organization (教育部), 国家/中国/中央...."""
    return (
        at_place
        or tag in ("LOC", "ORG")
        or word.startswith(ORG_HEAD_ANCHORS)
        or (len(word) > 1 and word.endswith(_SUFFIXES) and word not in NOT_ORG_WORDS)
    )


# A level before the fields (街道|经济和科技促进局, 市|发展和改革委员会): the body's own level, not another phrase.
_LEVEL_WORDS = frozenset(("省", "市", "区", "县", "州", "镇", "乡", "街道", "国家"))
# Suffixes only a government body takes: the fields before them name its remit, never a kind of company.
_GOVERNMENT_SUFFIXES = frozenset(("局", "部", "厅", "委员会", "委", "办公室", "办", "署"))


def _joins_two_fields(surfaces: list[str], words: list[tuple[int, int, str]], conj: int, k: int) -> bool:
    """True when the conjunction at `conj` joins two fields of one name: an ordinary word of 2+ chars opening the
    phrase before it, and after it words up to the suffix that hold no name and open with no generic head (保险公司
    is a kind of body)."""
    field = surfaces[conj - 1] if conj >= 1 else ""
    if len(field) < 2 or words[conj - 1][2] != "W" or field.endswith(_SUFFIXES) or field in TITLE_SET:
        return False  # 法院及|高等法院, 法官或|高等法院: a body or a person before the conjunction
    if (
        conj > 1
        and not is_name_break(surfaces[conj - 2], words[conj - 1][2])
        and words[conj - 2][2] != "LOC"
        and surfaces[conj - 2] not in _LEVEL_WORDS
    ):
        return False  # 当地警方和|景区执法局: the field word must open the phrase (。工业和信息化部, 广州市|住房和...)
    after = surfaces[conj + 1 : k]
    # A field word that is generic for a company (科技公司) is a field of a government body (经济和科技促进局).
    generic = after[0] in GENERIC_ORG_HEADS if after else False
    return (
        bool(after)
        and (not generic or surfaces[k] in _GOVERNMENT_SUFFIXES)
        and all(words[n][2] == "W" for n in range(conj + 1, k))
        and not is_name_break(surfaces[conj - 1], words[conj][2])
    )


def _name_start(text: str, suffix_start: int, suffix_end: int, place_starts: frozenset[int]) -> int | None:
    """Start of the organization whose suffix is text[suffix_start:suffix_end], or None when it is no name."""
    floor = max(0, suffix_start - MAX_ORG_LEN)
    i = suffix_start
    while i > floor and text[i - 1] not in PHRASE_BREAKS and (is_han(text[i - 1]) or text[i - 1].isalnum()):
        i -= 1
    hit_limit = i == floor and floor > 0 and text[i - 1] not in PHRASE_BREAKS
    words = lexicon_words(text, i, suffix_end)
    k = next(n for n, (_, e, _) in enumerate(words) if e > suffix_start)
    if words[k][0] < suffix_start and words[k][1] != suffix_end:
        if words[k][2] not in ("LOC", "ORG") and suffix_end - suffix_start < 3:
            return None  # the suffix starts inside a word: 成年人|大 is no 人大
        # 中国日报|社, 柳州市|委: read the head on its own and the suffix as one word.
        words = [*lexicon_words(text, i, suffix_start), (suffix_start, suffix_end, "")]
        k = len(words) - 1
    surfaces = [text[s:e] for s, e, _ in words]
    is_head = [
        _is_name_head(w, tag, s in place_starts) for w, (s, _, tag) in zip(surfaces, words, strict=True)
    ]
    # A name that opens with a place right after a clause boundary may hold verbs (广西知识产权战略实施工作厅际联席会议,
    # 北京市促进中小企业发展工作领导小组办公室); elsewhere a verb ends what stands before it (东京出席|会议).
    lead = next((n for n in range(k) if not is_name_break(surfaces[n], words[n + 1][2])), k)
    place_led = words[lead][0] in place_starts and (lead > 0 or i == 0 or text[i - 1] in PHRASE_BREAKS)
    first = 0
    for n in range(k + 1):
        if (
            n < k
            and is_name_break(surfaces[n], words[n + 1][2])
            and not (place_led and n > lead and surfaces[n] in org_verbs())
        ):
            first = n + 1
        elif (
            surfaces[n].startswith(_ABBREVIATION_PREFIXES)
            and n > first
            and surfaces[n - 1].endswith(_SUFFIXES)
        ):
            first = n  # 中共中央办公厅|国务院办公厅: a second top-level body starts a second name
    conjunctions = [n for n in range(first, k) if surfaces[n] in ORG_CONJUNCTIONS]
    # 党委和|政府: a whole body before the conjunction makes two bodies, not one name
    joins_bodies = (
        bool(conjunctions) and conjunctions[-1] > first and surfaces[conjunctions[-1] - 1].endswith(_SUFFIXES)
    )
    if conjunctions and (conjunctions[0] == first or not is_head[first] or joins_bodies):
        first = (
            conjunctions[-1] + 1
        )  # 养老基金和|保险公司: only a name joins two fields (国家发展和改革委员会)
        if _joins_two_fields(surfaces, words, first - 1, k):
            first -= 2  # 工业和信息化部: two fields and no generic word after 和 make one ministry's name
    if first > k or (first == k and words[k][0] == suffix_start):
        return None  # nothing left before the suffix: 希望|政府, 出席|会议
    if hit_limit and first == 0:
        heads = [n for n in range(k + 1) if is_head[n]]
        if not heads:
            return None  # 20 chars with no boundary and no name in them are a phrase
        first = heads[0]
    known = next(
        (n for n in range(first, k + 1) if words[n][2] == "ORG" and surfaces[n] not in _SUFFIX_SET), None
    )
    # Two fields joined inside the name (工业和信息化部, and place-led: 广州市住房和城乡建设局)
    two_fields = any(first < c and _joins_two_fields(surfaces, words, c, k) for c in conjunctions)
    # 住房和城乡建设部 is one ministry, not 建设部 with words in front
    if known is not None and not two_fields:
        if not all(is_head[n] or surfaces[n] in LEVEL_OF_BARE for n in range(first, known)):
            first = known  # 美国著名学府|哈佛大学, 选|中国科学院: a known name with a modifier in front
    return words[first][0]


def _is_generic_head(text: str, start: int, end: int) -> bool:
    """True when the words before the suffix are generic modifiers only (上市, 国有|独资, 股份有限): a kind of body."""
    head = text[start:end]
    return head in GENERIC_ORG_HEADS or all(
        text[s:e] in GENERIC_ORG_HEADS for s, e, _ in lexicon_words(text, start, end)
    )


def _counts_before(text: str, pos: int) -> bool:
    """True when a number ends at `pos` (36, 五, 万余), not an ordinal (第五局 is a bureau's name)."""
    k = pos
    while k > 0 and text[k - 1] in _NUMBER_CHARS:
        k -= 1
    return k < pos and text[k - 1 : k] != "第"


def _opens_longer_word(text: str, start: int, end: int) -> bool:
    """True when the longest lexicon word at `start` runs past the suffix text[start:end] (局|部 of 局部战争)."""
    first = lexicon_words(text, start, min(len(text), end + 4))[0]
    return first[1] > end and first[2] != ""


def find_organizations(text: str, places: Sequence[Mention]) -> tuple[Mention, ...]:
    """Organization mentions; `name` equals the surface here (bare 市/省 is resolved where roles need it)."""
    place_starts = frozenset(p.start for p in places if p.kind == "location")
    found: list[Mention] = []
    for m in _SUFFIX_RE.finditer(text):
        title = _TITLE_AT_RE.match(text, m.start())
        if (title and title.end() >= m.end()) or text[m.start() - 1 : m.end()] in NOT_ORG_WORDS:
            continue  # 党组书记 is a title, 大局 a word (but 委员会 is no 委员)
        if _opens_longer_word(text, m.start(), m.end()):
            continue  # 局部, 党组织: the suffix is the head of another word
        if len(m.group(0)) == 1 and _counts_before(text, m.start()):
            continue  # 战罢五局, 3万余部: a numeral makes the suffix a classifier
        start = _name_start(text, m.start(), m.end(), place_starts)
        if start is None or (text[start] in _CLASSIFIERS and _counts_before(text, start)):
            continue  # 36名|镇局, 64座|视听型语言实验室: the name would open with a counted noun's classifier
        surface, head = text[start : m.end()], text[start : m.start()]
        if surface in NOT_ORG_WORDS or any(surface.endswith(w) for w in NOT_ORG_WORDS if len(w) > 2):
            continue
        if _is_generic_head(text, start, m.start()) or surface[0] in "一两该这那此某每各几多":
            continue  # 地方政府, 上市公司, 国有独资公司, 一家公司: a common noun, not a name
        bare = BARE_LEVEL_RE.match(surface) is not None
        if bare and start > 0 and is_dictionary_word(text[start - 1 : start + 1]):
            continue  # 各地|区党委: the level char closes a word (地区, 社区), so no bare 区党委 follows
        if len(head) < 2 and not bare:
            continue
        if m.group(0) in WEAK_ORG_SUFFIXES and not bare:
            opening = lexicon_words(text, start, m.start())[0]
            if not _is_name_head(text[opening[0] : opening[1]], opening[2], start in place_starts):
                continue  # 技术中心, 配合政府: a 中心/政府 is named by a place or a known body
        found.append(Mention("organization", surface, surface, start, m.end()))
    # 工作厅 inside 工作厅际联席会议: keep the longest candidate among those sharing a start.
    longest: dict[int, Mention] = {}
    for o in found:
        if o.start not in longest or o.end > longest[o.start].end:
            longest[o.start] = o
    # Starts are unique now, so a candidate lies inside another exactly when an earlier one reaches its end:
    # one sweep with the furthest end so far (a check against every other candidate was quadratic).
    out: list[Mention] = []
    reach = -1
    for o in sorted(longest.values(), key=lambda o: o.start):
        if o.end > reach:
            out.append(o)
        reach = max(reach, o.end)
    return tuple(out)


def resolve_bare_level(org: str, pos: int, places: Sequence[Mention]) -> str:
    """Give a bare 市/省/区 organization (市人民政府) the nearest preceding place of that level (柳州市人民政府)."""
    if not BARE_LEVEL_RE.match(org):
        return org
    level = LEVEL_OF_BARE[org[0]]
    # `places` are sorted by start: find the last one starting before `pos`, then look back over a bounded
    # number of places (a scan of all of them per organization grew with the square of the text).
    i = bisect.bisect_right(places, pos, key=lambda p: p.start)
    for p in reversed(places[max(0, i - MAX_PLACES_BACK) : i]):
        if p.end <= pos and p.level == level and (org[0] != "区" or p.name.endswith("自治区")):
            return p.name + org[1:]
    return org
