"""Checks on recogniser spans that no analyst could look up: cut names, stances, generic bodies, glued places.

Each check reads only the span and the characters around it, so the entity layer applies them in one pass.
"""

from __future__ import annotations

import re

from ..models import Mention
from ._text import HAN, alternation, is_han
from .data.lexicon import (
    GENERIC_ORG_HEADS,
    ORG_ABBREVIATIONS,
    ORG_STOP_WORDS,
    ORG_SUFFIXES,
    SURNAMES_DOUBLE,
    SURNAMES_TOP100,
    TITLES,
    TRANSLIT_CHARS,
)
from .entities import (
    COUNT_NUMERALS,
    COUNTED_RE,
    common_word_stems,
    dictionary_kinds,
    dictionary_words,
    is_common_word,
    is_dictionary_word,
    lexicon_words,
)
from .gazetteer import abbreviation_index, place_index
from .titles import FIELD_AFTER_SCHOOL

# Marks that join the parts of a foreign name (侯赛因·阿斯卡里); ？ and ? stand for a middle dot lost to a wrong
# encoding (巴兹？奥尔德林), but only right after or before a transliterated name, where a real question mark is rare.
NAME_JOINERS = frozenset("·•・‧･")
GARBLED_JOINERS = frozenset("？?")
# Prefixes of a stance (亲北京阵营 "the pro-Beijing camp", 反对派): what follows them describes a camp.
STANCE_PREFIXES = frozenset("亲反")
STANCE_FIRST = "亲"  # 亲北京政团工联会; a body named 反... exists (反贪局), one named 亲... hardly
# A political camp ends in 派 (泛民主派, 建制派); a name after it is the party itself (泛民主派|人民力量). 派 before
# these is a verb or part of a suffix (派出所, 派驻).
CAMP_END = "派"
NOT_CAMP_NEXT = frozenset("出驻遣员")
_KNOWN_ORGS = frozenset(ORG_ABBREVIATIONS)
_SUFFIX_SET = frozenset(ORG_SUFFIXES)
# Suffixes that alone name no body, only a kind of one (公司 "the company", 中心, 政府); 委员会 and 县委 alone are
# left as the NER gold tags them (the body the article is about).
_BARE_KINDS = frozenset({"公司", "集团", "中心", "政府", "人民政府"})
# Chinese news names two countries' relations as 中 + a one-char short form (中美, 中拉 "China-Latin America"); other
# pairs of short forms are often one place (埃塞 Ethiopia), so only these are split.
PAIR_FIRST = "中"
# A province's name marked as an organization is usually its team or delegation (江苏队); a city's, a slip.
PLACE_LEVELS_NOT_ORGS = frozenset({"city"})
_SUFFIXES = tuple(sorted(ORG_SUFFIXES, key=len, reverse=True))
# Prepositions and conjunctions that open a phrase before a name (局长为景甜颁奖); none is a common surname.
FUNCTION_CHARS = frozenset("为与和及在对向把被从给让的了是")
# What ends the name of a place, a tribe or a line when it follows a name-like word (石磊部落, 朱比利线, 张庄村).
PLACE_AFTER_NAME = ("部落", "村", "镇", "乡", "路", "街", "线", "林", "桥", "站", "岛", "山")
TITLE_START_RE = re.compile(alternation(TITLES))
# Last chars of a place name (湾区, 新区, 开发区) that a cut place span may have left out.
PLACE_END_CHARS = frozenset("区县市省州镇乡村岛")
_PLAIN_WORD_KINDS = frozenset({"person", "location"})
# Chars that open a quantity (多维度 "multi-dimensional", 诸岛 "the islands"): what follows names a class of things.
QUANTITY_FIRST = frozenset("多诸各众几数")
# Relative positions (后山 "the hill behind"): a two-char place word opening with one is a direction, not a name.
POSITION_FIRST = frozenset("前后上下左右内外")
# What follows a faith's name (摩门教徒 "Mormons"): the word names believers, not a place.
FAITH_NEXT = frozenset("教徒")
QUESTION_WORDS = frozenset({"什么", "怎么"})
# What follows a name as a verb, a particle or a people does (胡德平|等, 余卓成|说, 叙多|时, 土家|族), not a word's end.
AFTER_NAME_CHARS = frozenset("等说称讲道时族")
# The last char of a feature's name (山, 湖, 路); a word it makes with the next char is a position (山|麓, 湖|边).
FEATURE_END_CHARS = frozenset("山河湖江海洋街路道岛峰湾溪港桥岭川")
# What stands after a feature's name as a position or a part of it (马拉维湖|边, 玉峰山|麓, 中山路|段): a word the two
# make (湖边) does not cut the name. After any other char (登船路|线) it does.
AFTER_FEATURE_CHARS = frozenset("边麓畔旁侧口上下里内外中前后东西南北头尾底顶脚腰段面区域岸沿水")
# Ordinary words a person span must be the stem of to read as a common noun (枫香树 and 枫香木 for 枫香).
MIN_STEM_WORDS = 2
# Brackets around a menu keyword (回复【美图】 "reply 'pretty pictures'"), a label not a name in running text.
KEYWORD_BRACKETS = ("【", "】")
# Words that cut a span: 3-4 chars (two-char words such as 国人 straddle correct spans: 中国|人民).
MIN_CROSSING, MAX_CROSSING = 3, 4
_MAX_HOLDING_WORD = 6  # 发展中国家
_NAME_END_CONJUNCTIONS = frozenset("和与及")
_PERSON_HONORIFICS = ("先生", "女士", "王子", "公主", "夫人", "小姐")
_LEADING_FUNCTION = frozenset("及对向在从把被和与或并而但请")


def _is_translit(text: str, start: int, end: int) -> bool:
    return end > start and all(c in TRANSLIT_CHARS for c in text[start:end])


def _joined_at(text: str, pos: int, name_start: int, name_end: int) -> bool:
    """True when the char at `pos` joins text[name_start:name_end] to more of one foreign name."""
    if pos < 0 or pos >= len(text):
        return False
    other = pos + 1 if pos >= name_end else pos - 1
    if not 0 <= other < len(text) or not is_han(text[other]):
        return False
    if text[pos] in NAME_JOINERS:
        return True
    # a garbled dot: only after (or before) a transliterated name of 2+ chars (斯蒂芬妮？席尔霍尔茨)
    return (
        text[pos] in GARBLED_JOINERS
        and name_end - name_start >= 2
        and _is_translit(text, name_start, name_end)
    )


def _is_one_word(word: str, tag: str) -> bool:
    """True when the lexicon lists `word` as one word with this tag (拉美 LOC, 新华社 ORG)."""
    words = lexicon_words(word, 0, len(word))
    return len(words) == 1 and words[0][2] == tag


def is_cut_name(text: str, m: Mention) -> bool:
    """True for a person span that is one part of a longer foreign name (戴夫 of 戴夫·汉森, 巴兹 of 巴兹？奥尔德林)."""
    return m.kind == "person" and (
        _joined_at(text, m.end, m.start, m.end) or _joined_at(text, m.start - 1, m.start, m.end)
    )


def is_inside_word(text: str, m: Mention) -> bool:
    """True when an ordinary word of 3+ chars runs across an end of the span (敬|谢不敏, 当代|大学|生): it cuts a word."""
    words, n = dictionary_words(), len(text)
    for pos in (m.start, m.end):
        for size in range(MIN_CROSSING, MAX_CROSSING + 1):
            for s in range(max(0, pos - size + 1), min(pos, n - size + 1)):
                word = text[s : s + size]
                # 财政部|长 is a body and its head's title, not one word cut (the set lookup first: it is cheaper)
                if word in words and (s < m.start or s + size > m.end) and not word.endswith(TITLES):
                    return True
    return False


def lies_inside_word(text: str, m: Mention) -> bool:
    """True for a place inside an ordinary word with chars on both sides (发展|中国|家): the chars read as that word.
    A word that only overlaps one end is no proof (一个|中国, 促进|香港 hold the words 个中, 进香)."""
    words = dictionary_words()
    size_needed = m.end - m.start + 2
    return any(
        text[s : s + size] in words
        for size in range(size_needed, _MAX_HOLDING_WORD + 1)
        for s in range(max(0, m.end + 1 - size), m.start)
    )


def starts_with_function_word(m: Mention) -> bool:
    """True for a person span opening with a preposition or conjunction no surname list holds (为景甜, 与李明)."""
    return m.kind == "person" and len(m.surface) >= 3 and m.surface[0] in FUNCTION_CHARS


def names_a_place(text: str, m: Mention, person_starts: frozenset[int] = frozenset()) -> bool:
    """True for a person span followed by what ends a place or line name (石磊|部落, 朱比利|线, 枫香|林): the name
    is part of that place, unless the next chars open a title (张壮市长), an ordinary word (路过, 线索) or another
    recognised name (范钦臣|林丽韫, a list of names)."""
    if m.kind != "person" or TITLE_START_RE.match(text, m.end) or m.end in person_starts:
        return False
    for suffix in PLACE_AFTER_NAME:
        if text.startswith(suffix, m.end):
            following = text[m.end : m.end + len(suffix) + 1]
            return len(following) == len(suffix) or not is_dictionary_word(following)
    return False


def is_known_name(surface: str) -> bool:
    """True when the gazetteer knows `surface` or CC-CEDICT lists it as a proper noun."""
    return surface in place_index() or surface in abbreviation_index() or bool(dictionary_kinds(surface))


def is_unknown_phrase(text: str, m: Mention) -> bool:
    """True for a place span no gazetteer or dictionary knows that reads as an ordinary phrase: a quantity (多维度,
    诸岛), a word ending in a function char (惠及), a doubled char (一波波), a direction (后山), a bracketed keyword."""
    if m.kind not in _PLAIN_WORD_KINDS or is_known_name(m.surface):
        return False
    s = m.surface
    bracketed = (
        text[m.start - 1 : m.start] == KEYWORD_BRACKETS[0] and text[m.end : m.end + 1] == KEYWORD_BRACKETS[1]
    )
    if m.kind == "person":
        return bracketed
    return (
        bracketed
        or s[0] in QUANTITY_FIRST
        or s[-1] in FUNCTION_CHARS
        or (len(s) == 2 and (s[0] == s[1] or s[0] in POSITION_FIRST))
    )


def starts_inside_word(text: str, m: Mention) -> bool:
    """True for a place span no dictionary knows whose first char makes an ordinary word, or the stem of two, with
    the char before it (枫|香林 of 枫香林: 枫香 as in 枫香树): the span begins inside a word. A preposition before it
    (在|地球) or a word ending there (离开|地球) opens the span; a place's last char (镇长|胜村) ends a name."""
    if m.kind != "location" or m.start == 0 or is_known_name(m.surface):
        return False
    if text[m.start - 1] in FUNCTION_CHARS or m.surface[-1] in PLACE_END_CHARS:
        return False
    if m.start >= 2 and is_dictionary_word(text[m.start - 2 : m.start]):
        return False  # 离开|地球: the char before ends a word of its own
    pair = text[m.start - 1 : m.start + 1]
    return is_dictionary_word(pair) or common_word_stems(pair) >= MIN_STEM_WORDS


def ends_inside_word(text: str, m: Mention, person_starts: frozenset[int] = frozenset()) -> bool:
    """True for a place or person span no dictionary knows whose last char makes an ordinary word with the char
    after it (南沙湾区|块 of 南沙湾区块, 石磊国|小 of 石磊国小, an elementary school): the span ends inside a word.
    Not when the chars after it make a word or name of their own (王建国|家住, 中心|中国), open a title, a body's
    suffix or another name (梁广大|尉健行), or follow a name as a verb does (胡德平|等, 叙多|时); nor after a
    feature's end (马拉维湖|边, 玉峰山|麓), a foreign name or a one-char place."""
    if m.kind not in _PLAIN_WORD_KINDS or len(m.surface) < 2 or m.end + 1 > len(text):
        return False
    nxt, last = text[m.end], m.surface[-1]
    if not is_han(nxt) or nxt in FUNCTION_CHARS or nxt in AFTER_NAME_CHARS or m.end in person_starts:
        return False
    foreign = _is_translit(text, m.start, m.end) or any(c in NAME_JOINERS for c in m.surface)
    if (last in FEATURE_END_CHARS and nxt in AFTER_FEATURE_CHARS) or foreign or is_known_name(m.surface):
        return False
    after, pair = text[m.end : m.end + 2], text[m.end - 1 : m.end + 1]
    if is_dictionary_word(after) or is_common_word(after) or is_known_name(after) or pair in _SUFFIX_SET:
        return False
    if TITLE_START_RE.match(text, m.end - 1) or TITLE_START_RE.match(text, m.end):
        return False
    return is_dictionary_word(pair)


# Surnames that are also classifiers (一张脸, 那条路, 一项研究, 一封信, 这段话): after a numeral or a demonstrative
# the char counts what follows it.
_CLASSIFIER_SURNAMES = frozenset("张条项封段把支双部门")
_COUNTING_CHARS = frozenset(COUNT_NUMERALS) | frozenset("这那每哪某整半")


def opens_with_classifier(text: str, m: Mention, person_ends: frozenset[int]) -> bool:
    """True for a person span opening with a classifier after a numeral or demonstrative (那|张脸): no name; a
    numeral that ends another name (张俊九|张彦仲) counts nothing."""
    return (
        m.kind == "person"
        and m.surface[0] in _CLASSIFIER_SURNAMES
        and text[m.start - 1 : m.start] in _COUNTING_CHARS
        and m.start not in person_ends
    )


def follows_question_word(text: str, m: Mention) -> bool:
    """True for a place or person span right after 什么 or 怎么 (是什么亚子的, slang for 样子): a name is not asked
    about so; no gold entity of MSRA or People's Daily follows one."""
    return m.kind in _PLAIN_WORD_KINDS and text[max(0, m.start - 2) : m.start] in QUESTION_WORDS


def names_a_faith(text: str, m: Mention) -> bool:
    """True for a place span that names a faith or a people (not a place) in the dictionary: 摩门 before 教/徒
    (摩门|教徒), or an unknown span that makes one with the char after it (泰雅|族)."""
    if m.kind != "location" or m.end >= len(text):
        return False
    kinds = dictionary_kinds(m.surface)
    if kinds:
        return "G" in kinds and "L" not in kinds and text[m.end] in FAITH_NEXT
    longer = dictionary_kinds(text[m.start : m.end + 1]) if not is_known_name(m.surface) else ""
    return "G" in longer and "L" not in longer


def is_common_noun_stem(m: Mention) -> bool:
    """True for a person span no dictionary knows as a name that is the stem of two or more ordinary words (枫香:
    枫香树, 枫香木 sweetgum): a plant, a material or a thing, not a given name."""
    return (
        m.kind == "person"
        and common_word_stems(m.surface) >= MIN_STEM_WORDS
        and not is_known_name(m.surface)
        and not all(c in TRANSLIT_CHARS for c in m.surface)
    )


def is_after_stance(text: str, m: Mention) -> bool:
    """True for an organization right after a stance prefix (亲北京阵营): a camp described, not a body named."""
    return m.kind == "organization" and (
        (m.start > 0 and text[m.start - 1] in STANCE_PREFIXES) or m.surface.startswith(STANCE_FIRST)
    )


def without_camp(m: Mention) -> Mention:
    """An organization that opens with a camp (泛民主派人民力量) cut to the body after it (人民力量)."""
    cut = m.surface.find(CAMP_END)
    if (
        m.kind != "organization"
        or cut < 1
        or len(m.surface) - cut - 1 < 2
        or m.surface[cut + 1] in NOT_CAMP_NEXT
    ):
        return m
    rest = m.surface[cut + 1 :]
    start = m.start + cut + 1
    return Mention(m.kind, rest, rest, start, m.end, m.level)


def without_conjunction(text: str, m: Mention, person_starts: frozenset[int]) -> Mention:
    """A person of 3+ chars ending in a conjunction before a title and another name (赫拉维和|总理哈里里) cut back to
    the name; before a title alone the char is the name's (臧克和教授)."""
    if m.kind != "person" or len(m.surface) < 3 or m.surface[-1] not in _NAME_END_CONJUNCTIONS:
        return m
    title = TITLE_START_RE.match(text, m.end)
    if title is None or title.end() not in person_starts:
        return m
    return Mention(m.kind, m.surface[:-1], m.surface[:-1], m.start, m.end - 1, m.level)


def without_leading_function_word(text: str, m: Mention) -> Mention:
    """An organization opening with a function word (及|中央党校, 伙同|公司, 请|全国人大常务委员会: the tagger and
    the rules read across it) cut to what follows, when 2+ chars are left. Not a verb: names hold verbs (希望电脑学校,
    促进投资委员会), and not 经 or 中, which open abbreviations (经货联盟)."""
    if m.kind != "organization":
        return m
    start = m.start
    for s, e, tag in lexicon_words(text, m.start, m.end):
        word = text[s:e]
        if tag in ("LOC", "ORG") or not (
            word in _LEADING_FUNCTION or (len(word) > 1 and word in ORG_STOP_WORDS)
        ):
            break
        start = e
    if start == m.start or m.end - start < 2:
        return m
    surface = text[start : m.end]
    return Mention(m.kind, surface, surface, start, m.end, m.level)


def as_person_before_honorific(text: str, m: Mention) -> Mention:
    """A place no gazetteer or dictionary knows, followed by an honorific only a person takes (樱内义雄先生, 查尔斯
    王子), as the person it names."""
    if m.kind != "location" or not text.startswith(_PERSON_HONORIFICS, m.end) or len(m.surface) < 2:
        return m
    if m.surface in place_index() or "L" in dictionary_kinds(m.surface):
        return m
    return Mention("person", m.surface, m.surface, m.start, m.end)


def without_word_head(text: str, m: Mention) -> Mention:
    """A foreign name whose first char closes the word before it (感|谢克雷蒂安, 典礼|官亨特) cut to the name."""
    if m.kind != "person" or len(m.surface) < 3 or m.start == 0:
        return m
    if not all(c in TRANSLIT_CHARS for c in m.surface[1:]) or not is_dictionary_word(
        text[m.start - 1 : m.start + 1]
    ):
        return m
    return Mention(m.kind, m.surface[1:], m.surface[1:], m.start + 1, m.end, m.level)


# A book named after its subject (《张浩传奇》, 《毛泽东传》): the name is the person, the rest the kind of work.
WORK_SUFFIXES = ("传奇", "评传", "自传", "日记", "年谱", "新论", "诗选", "文集", "选集", "全集", "传")
# A service before a rank (布鲁赫|海军上将) belongs to the title, not to the name.
SERVICES = ("海军", "陆军", "空军")
RANKS = ("上将", "中将", "少将", "元帅", "上校", "中校", "少校")
# Common Japanese family names, and the chars Japanese given names end with (铃木俊|男, 根本二|郎): a tagger that
# reads Chinese names of three chars stops one short of them.
JAPANESE_SURNAMES = frozenset(
    """
    铃木 佐藤 高桥 田中 渡边 伊藤 山本 中村 小林 加藤 吉田 山田 山口 松本 井上 木村 清水 山崎 池田 桥本 阿部
    石川 山下 中岛 石井 小川 前田 冈田 藤田 后藤 近藤 村上 远藤 青木 坂本 斋藤 福田 太田 西村 藤井 冈本 藤原
    中野 三浦 原田 中川 松田 竹内 小野 田村 中山 和田 石田 森田 上田 内田 柴田 酒井 宫崎 横山 高木 安藤 宫本
    大野 小岛 谷口 今井 工藤 高田 丸山 杉山 村田 大塚 新井 小山 平野 藤本 河野 上野 野口 武田 松井 千叶 岩崎
    菅原 木下 久保 佐野 野村 松尾 市川 菊地 杉本 古川 大西 岛田 水野 高野 吉川 山内 西田 饭田 菊池 西川 小松
    北村 安田 川口 平田 中田 服部 岩田 土屋 川崎 福岛 本田 樋口 秋山 田口 永井 山中 中西 吉村 川上 石原 大桥
    松冈 星野 矢野 浅野 松下 吉冈 小池 野田 荒木 大谷 内藤 松浦 熊谷 黑田 尾崎 永田 川村 望月 田边 松村 荒井
    小渊 小泉 细川 羽田 村山 海部 宫泽 竹下 樱内 根本 鸠山 冈村 稻盛 盛田 丰田 三木 福井
    """.split()
)
JAPANESE_GIVEN_ENDS = frozenset("男郎雄夫子介彦治助树")
# Adverbs a tagger reads as a name's last char (卢铭|都有, 谢辛|又说): no common given name ends with one.
ADVERB_ENDS = frozenset("都也就又便却")
# Words before a foreign name that say which one (原|切尔诺梅尔金政府, 前|总统): none opens a transliteration.
FOREIGN_NAME_PREFIXES = frozenset("原前新")
_NAME_PLACE_LEVELS = frozenset({"province", "country"})


# A university's body with the field its professor teaches glued on (农机大学|公共卫生学教授): the field is the
# title's, not the body's.
_FIELD_TAIL_RE = re.compile(f"(.{{2,}}(?:大学|学院)){FIELD_AFTER_SCHOOL}")


def without_field_tail(m: Mention) -> Mention:
    """An organization ending in an academic field after 大学/学院 (…大学公共卫生学) cut back to the school."""
    if m.kind != "organization" or not m.surface.endswith("学") or m.surface.endswith("大学"):
        return m
    body = _FIELD_TAIL_RE.fullmatch(m.surface)
    if body is None:
        return m
    surface = body.group(1)
    return Mention(m.kind, surface, surface, m.start, m.start + len(surface), m.level)


# One-char suffixes a body's name ends in that also open its head's title (国民党|党主席, 市委|委员, 协会|会长).
_TITLE_SHARING_SUFFIXES = frozenset("党局部厅署社院会委所团处科")


def without_title_head(text: str, m: Mention) -> Mention:
    """An organization running into its head's title cut back to the body: a doubled suffix (国民党党|主席) or a
    surname plus the title's first char (新闻局姚局|长, "Director Yao")."""
    if m.kind != "organization" or len(m.surface) < 3 or m.surface[-1] not in _TITLE_SHARING_SUFFIXES:
        return m
    if m.surface[-2] == m.surface[-1]:
        cut = 1
    elif (
        text[m.end : m.end + 1] == "长"
        and m.surface[-2] in SURNAMES_TOP100
        and m.surface[:-2].endswith(ORG_SUFFIXES)
    ):
        cut = 2
    else:
        return m
    surface = m.surface[:-cut]
    return Mention(m.kind, surface, surface, m.start, m.end - cut, m.level)


# A company's legal name with its seat in brackets (腾讯科技（深圳）有限公司): the recogniser starts it inside them.
_BRACKET_NAME_RE = re.compile(f"[{HAN}A-Za-z0-9]{{2,12}}$")
_BRACKET_NAME_STOPS = frozenset("的在与由对向据")


def with_bracketed_seat(text: str, m: Mention) -> Mention:
    """An organization that opens inside brackets (深圳）有限公司) widened to the name before them (腾讯科技（深圳）
    有限公司); one whose brackets cannot be closed so is dropped by its caller's other checks."""
    if m.kind != "organization" or not has_unbalanced_bracket(m):
        return m
    opening = text.rfind("（", max(0, m.start - 2), m.start)
    if opening < 0:
        return m
    name = _BRACKET_NAME_RE.search(text, max(0, opening - 12), opening)
    if name is None:
        return m
    start = name.start()
    # The name starts after the last preposition or particle standing as a word of its own (他在|百度在线…, not
    # the 在 of 在线).
    for s, e, _ in lexicon_words(text, start, opening):
        if text[s:e] in _BRACKET_NAME_STOPS and opening - e >= 2:
            start = e
    surface = text[start : m.end]
    return Mention(m.kind, surface, surface, start, m.end, m.level)


_LATIN_TITLE_RE = re.compile(alternation([t for t in TITLES if t.isascii()]))  # CEO, CFO...


def without_latin_title(m: Mention) -> Mention:
    """An organization read across a Latin title and the name after it (特斯拉CEO马斯克) cut back to the body."""
    if m.kind != "organization":
        return m
    title = _LATIN_TITLE_RE.search(m.surface, 2)
    if title is None or title.end() >= len(m.surface) or not is_han(m.surface[title.end()]):
        return m
    surface = m.surface[: title.start()]
    return Mention(m.kind, surface, surface, m.start, m.start + len(surface), m.level)


def has_unbalanced_bracket(m: Mention) -> bool:
    """True for a span holding a closing bracket it does not open (深圳）有限公司 left unwidened): a cut name."""
    close = m.surface.find("）")
    return close >= 0 and "（" not in m.surface[:close]


# Chars that stand before an honorific without being a name's: 老先生, 小姐 (a word), function chars (李四|向先生们
# 致谢) and verbs that take a person (说, 问, 请).
_NOT_BEFORE_HONORIFIC = FUNCTION_CHARS | frozenset("老小及、说问叫请称告谢")


def _is_name_char(char: str) -> bool:
    """True for a Han char that may end a name before an honorific (the 也 of 信原启也先生)."""
    return bool(char) and is_han(char) and char not in _NOT_BEFORE_HONORIFIC


def with_person_edges(text: str, m: Mention) -> Mention:
    """A person's span moved to the name: without a work's kind, a service, an adverb, a place or a "former"
    around it, and with the last char of a Japanese given name."""
    if m.kind != "person":
        return m
    surface, start, end = m.surface, m.start, m.end
    if text[start - 1 : start] == "《" and text[end : end + 1] == "》":
        suffix = next((w for w in WORK_SUFFIXES if surface.endswith(w) and len(surface) - len(w) >= 2), "")
        end -= len(suffix)
    elif surface.endswith(SERVICES) and text.startswith(RANKS, end) and len(surface) >= 4:
        end -= 2
    elif (
        len(surface) == 3 and surface[:2] in JAPANESE_SURNAMES and text[end : end + 1] in JAPANESE_GIVEN_ENDS
    ):
        end += 1
    elif len(surface) == 3 and surface[0] in SURNAMES_TOP100 and surface[-1] in ADVERB_ENDS:
        end -= 1
    elif len(surface) == 4 and surface[0] in SURNAMES_TOP100 and _names_big_place(surface[2:]):
        end -= 2
    elif (
        len(surface) >= 4
        and surface[0] in FOREIGN_NAME_PREFIXES
        and all(c in TRANSLIT_CHARS for c in surface[1:])
    ):
        start += 1
    elif _continues_transliteration(text, m):
        end += 1
    elif (
        2 <= len(surface) <= 3
        and _is_name_char(text[end : end + 1])
        and text.startswith(_PERSON_HONORIFICS, end + 1)
    ):
        end += 1  # 信原启|也先生: nothing but a name stands between a name and 先生
    if (start, end) == (m.start, m.end):
        return m
    return Mention(m.kind, text[start:end], text[start:end], start, end, m.level)


def _continues_transliteration(text: str, m: Mention) -> bool:
    """True for a transliterated name cut one char short (布林|肯会谈): the next char is one more sound of it and
    makes no word with its neighbours."""
    nxt = text[m.end : m.end + 1]
    return (
        len(m.surface) >= 2
        and nxt in TRANSLIT_CHARS
        and nxt not in FUNCTION_CHARS
        and nxt not in AFTER_NAME_CHARS
        and all(c in TRANSLIT_CHARS for c in m.surface)
        and not any(
            is_dictionary_word(w) or is_common_word(w) or dictionary_kinds(w)
            for w in (text[m.end : m.end + 2], text[m.end - 1 : m.end + 1])
        )  # 赛康德|博士, 马克思|列宁, 安|全
    )


def _names_big_place(word: str) -> bool:
    """Whether the word is a country's or a province-level region's name (香港, 日本)."""
    place = place_index().get(word)
    return place is not None and place.level in _NAME_PLACE_LEVELS


def without_stray_char(m: Mention) -> Mention:
    """A known body with one more char that is no suffix (联合国|会旗: the tagger took 会) cut back to the body."""
    head, last = m.surface[:-1], m.surface[-1:]
    if (
        m.kind != "organization"
        or last in _SUFFIX_SET
        or last == "党"  # 民进|党 is another party than 民进
        or head not in _KNOWN_ORGS
        or m.surface in _KNOWN_ORGS
    ):
        return m  # 中央军委, 解放军报: the longer one is a name too
    return Mention(m.kind, head, head, m.start, m.end - 1, m.level)


def with_place_end(text: str, m: Mention) -> Mention:
    """A place cut one char before the end of a place word (粤港澳大湾|区: 湾区 is one word) taken to that end."""
    if m.kind != "location" or m.end >= len(text) or text[m.end] not in PLACE_END_CHARS:
        return m
    if not _is_one_word(text[m.end - 1 : m.end + 1], "LOC"):
        return m
    surface = text[m.start : m.end + 1]
    return Mention(m.kind, surface, surface, m.start, m.end + 1)


# Words that count or quantify the bodies after them (众多航空公司, 40余家公司, 这部影片): no body is named.
QUANTITY_OPENERS = ("众多", "诸多", "许多", "若干", "一些", "各家", "多家", "余家", "数家", "几家")
CLASSIFIER_DEMONSTRATIVES = frozenset("这那此该每")


def is_generic_body(m: Mention) -> bool:
    """True for an organization that is a generic head plus a suffix (人工智能公司, 行业协会), a quantity of bodies
    (众多航空公司, 40余家公司) or a demonstrative and classifier (接下这部): a kind of body or none."""
    if m.kind != "organization" or m.surface in _KNOWN_ORGS:
        return False  # 全国政协 is a name
    if m.surface in _BARE_KINDS or m.surface.startswith(QUANTITY_OPENERS):
        return True
    if m.surface.endswith("部") and len(m.surface) >= 2 and m.surface[-2] in CLASSIFIER_DEMONSTRATIVES:
        return True
    if _is_one_word(m.surface, "ORG"):
        return False
    suffix = next((s for s in _SUFFIXES if m.surface.endswith(s)), None)
    if suffix is None:
        return False
    head = m.surface[: -len(suffix)]
    # 科技有限公司: every word of the head is generic (科技, 有限), as 股份有限 or 国有|独资 are
    return head in GENERIC_ORG_HEADS or (
        bool(head)
        and all(m.surface[s:e] in GENERIC_ORG_HEADS for s, e, _ in lexicon_words(m.surface, 0, len(head)))
    )


def as_place(m: Mention) -> Mention:
    """An organization span that is exactly a city the gazetteer knows (邢台 in a list of cities) as that place."""
    place = place_index().get(m.surface) if m.kind == "organization" else None
    if place is None or place.level not in PLACE_LEVELS_NOT_ORGS:
        return m
    return Mention("location", place.name, m.surface, m.start, m.end, place.level)


def split_two_names(text: str, m: Mention) -> list[Mention]:
    """A 5- or 6-char Han person with a common surname at its 1st and 4th chars as the two names it holds (王炳奎田岚:
    Chinese names have 2-3 chars, so such a run is two people written back to back)."""
    if m.kind != "person" or len(m.surface) not in (5, 6) or not all(is_han(c) for c in m.surface):
        return [m]
    if (
        not (m.surface[0] in SURNAMES_TOP100 and m.surface[3] in SURNAMES_TOP100)
        or m.surface[:2] in SURNAMES_DOUBLE
    ):
        return [m]
    if all(c in TRANSLIT_CHARS for c in m.surface):
        return [m]  # a transliterated name (阿拉法特...)
    cut = m.start + 3
    return [
        Mention("person", text[m.start : cut], text[m.start : cut], m.start, cut),
        Mention("person", text[cut : m.end], text[cut : m.end], cut, m.end),
    ]


def split_pair(m: Mention) -> list[Mention]:
    """A two-char place of China and a one-char short form (中拉, 中美) as the two places it names; else the span."""
    short = abbreviation_index()
    if m.kind != "location" or len(m.surface) != 2 or m.surface in place_index():
        return [m]
    first, second = short.get(m.surface[0]), short.get(m.surface[1])
    if m.surface[0] != PAIR_FIRST or second is None or first is None or first.name == second.name:
        return [m]  # 中华 is China twice; 埃塞 is Ethiopia, not Egypt + Serbia
    if second.level == "region" and _is_one_word(m.surface, "LOC"):
        return [m]  # 中亚, 中东欧: a part of a region the lexicon lists as one place (中拉 it does not list)
    return [
        Mention("location", first.name, m.surface[0], m.start, m.start + 1, first.level),
        Mention("location", second.name, m.surface[1], m.start + 1, m.end, second.level),
    ]


def _in_pair(m: Mention, single: frozenset[int]) -> bool:
    """True for a one-char place next to another one-char place (中|美 of 中美关系)."""
    return m.end - m.start == 1 and m.start in single and (m.start - 1 in single or m.end in single)


# Rooms and buildings every airport, station or office has: a span ending in one names a place only when what
# stands before it is a known place or name (北京音乐厅 yes; 候乘大厅, 母港航站楼 "the home port's terminal" no).
GENERIC_FACILITIES = ("大厅", "大堂", "航站楼", "候机楼", "候车室", "会议室", "办公室")


def names_a_room(m: Mention) -> bool:
    """True for a place span that is a room or building of no known place (侯乘大厅, 母港航站楼)."""
    if m.kind != "location":
        return False
    room = next((f for f in GENERIC_FACILITIES if m.surface.endswith(f)), None)
    return room is not None and not is_known_name(m.surface[: -len(room)])


def opens_other_proper_noun(text: str, m: Mention, single: frozenset[int]) -> bool:
    """True for a one-char place that opens a proper noun of 3+ chars of another kind (奥 of 奥运会, 法 of 法西斯),
    unless a one-char place follows it (中日关系, 港澳台: places side by side)."""
    if m.kind != "location" or m.end - m.start != 1 or m.end in single:
        return False
    for size in range(3, 5):
        kinds = dictionary_kinds(text[m.start : m.start + size])
        if kinds and "L" not in kinds:
            return True
    return False


def ends_a_name(m: Mention, person_ends: frozenset[int]) -> bool:
    """True for a one-char place glued to the end of a person span (卢比|奥 of 卢比奥): the name's last char."""
    return m.kind == "location" and m.end - m.start == 1 and m.start in person_ends


def names_a_people(m: Mention) -> bool:
    """True for an organization span the dictionary knows only as a faith or a people (穆斯林)."""
    kinds = dictionary_kinds(m.surface) if m.kind == "organization" else ""
    return "G" in kinds and "O" not in kinds


# A model number after a name (骁龙865, 麒麟 990, 伊尔９６型): the name is a product's; a year (2019年) is no model
# number.
_MODEL_NUMBER_RE = re.compile(r"[ \u00a0]?(?:[0-9０-９]{3,}(?![0-9０-９]*[年月日号])|[0-9０-９]+型)")


def counts_things(text: str, m: Mention) -> bool:
    """True for a place or body span holding a numeral and classifier (北京|三家|医院): a count of bodies, no name;
    an ordinal (第一支队) is part of a name."""
    if m.kind == "person" or not any(c in COUNT_NUMERALS for c in m.surface):
        return False
    return any(
        COUNTED_RE.fullmatch(text, s, e) is not None and text[s - 1 : s] != "第"
        for s, e, _ in lexicon_words(text, m.start, m.end)
    )


def names_a_product(text: str, m: Mention) -> bool:
    """True for a person span followed by a model number of 3+ digits (骁龙865): a chip or phone, not a person."""
    return m.kind == "person" and _MODEL_NUMBER_RE.match(text, m.end) is not None


def cuts_latin_phrase(text: str, m: Mention) -> bool:
    """True for a Han span that ends in Latin letters running on into more (美国The of 美国The Next Web)."""
    if not ("a" <= m.surface[-1].lower() <= "z") or not any(is_han(c) for c in m.surface):
        return False
    after = text[m.end : m.end + 2]
    return bool(after) and (
        after[0].isascii() and after[0].isalpha() or (after[0] == " " and after[1:].isalpha())
    )


def screen_spans(text: str, spans: list[Mention]) -> list[Mention]:
    """The spans without cut names, stances and generic bodies; camps cut off, glued places split, places named."""
    out: list[Mention] = []
    person_starts = frozenset(m.start for m in spans if m.kind == "person")
    person_ends = frozenset(m.end for m in spans if m.kind == "person")
    # One-char places side by side (发展|中美关系) are a pair of places, whatever word the first char could close.
    single = frozenset(m.start for m in spans if m.kind == "location" and m.end - m.start == 1)
    for m in spans:
        # the checks judge the name that is left
        m = without_latin_title(with_bracketed_seat(text, without_leading_function_word(text, m)))
        if (
            is_cut_name(text, m)
            or has_unbalanced_bracket(m)
            or starts_with_function_word(m)
            or names_a_place(text, m, person_starts)
            or is_after_stance(text, m)
            or is_generic_body(m)
            or is_unknown_phrase(text, m)
            or names_a_faith(text, m)
            or is_common_noun_stem(m)
            or starts_inside_word(text, m)
            or ends_inside_word(text, m, person_starts)
            or follows_question_word(text, m)
            or opens_with_classifier(text, m, person_ends)
            or opens_other_proper_noun(text, m, single)
            or names_a_people(m)
            or names_a_room(m)
            or names_a_product(text, m)
            or counts_things(text, m)
            or cuts_latin_phrase(text, m)
            or ends_a_name(m, person_ends)
            or (is_inside_word(text, m) and not _in_pair(m, single))
        ):
            continue
        m = without_conjunction(text, without_stray_char(without_camp(m)), person_starts)
        m = as_person_before_honorific(text, with_person_edges(text, without_word_head(text, m)))
        m = without_title_head(text, without_field_tail(m))
        for part in split_two_names(text, m):
            out.extend(split_pair(as_place(with_place_end(text, part))))
    return out
