"""Checks on recogniser spans (span_checks) and the CC-CEDICT word lists (build_common_words), on real sentences."""

from __future__ import annotations

import pytest

from tasks.transforms.facts import extract_facts
from tasks.transforms.facts.data.build_common_words import common_words, gloss_kinds, proper_kinds
from tasks.transforms.facts.entities import dictionary_kinds, is_dictionary_word
from tasks.transforms.facts.span_checks import screen_spans
from tasks.transforms.models import Mention


def _span(text: str, kind: str, surface: str) -> Mention:
    start = text.index(surface)
    return Mention(kind, surface, surface, start, start + len(surface))


@pytest.mark.parametrize(
    ("text", "kind", "surface", "kept"),
    [
        # Source: news_html_gold readability_mozilla/gmw (光明网, alcohol in space): its middle dots came through as ？.
        pytest.param("图注：巴兹？奥尔德林(Buzz Aldrin)", "person", "巴兹", [], id="garbled-dot-fragment"),
        pytest.param("通信卫星“图帕克・卡塔里”星", "person", "图帕克", [], id="dot-fragment"),
        pytest.param("你是谁？李明说", "person", "李明", [("person", "李明")], id="real-question-mark"),
        # Source: samples/articles.jsonl#L1 (BBC, Hong Kong politics, 2012-12-10).
        pytest.param("一些亲北京阵营议员欢迎梁振英道歉", "organization", "北京阵营", [], id="stance"),
        pytest.param(
            "泛民主派人民力量的直选议员黄毓民",
            "organization",
            "泛民主派人民力量",
            [("organization", "人民力量")],
            id="camp-cut",
        ),
        pytest.param(
            "城关派出所民警", "organization", "城关派出所", [("organization", "城关派出所")], id="not-a-camp"
        ),
        pytest.param("在2014年收购的人工智能公司DeepMind", "organization", "人工智能公司", [], id="generic"),
        pytest.param(
            "全国政协委员", "organization", "全国政协", [("organization", "全国政协")], id="known-body"
        ),
        pytest.param(
            "先后在石家庄、邢台、邯郸", "organization", "邢台", [("location", "邢台市")], id="city-as-org"
        ),
        pytest.param(
            "惠及中拉人民", "location", "中拉", [("location", "中国"), ("location", "拉美")], id="pair"
        ),
        pytest.param("中华民族", "location", "中华", [("location", "中华")], id="not-a-pair"),
        pytest.param("向来对于汤圆是敬谢不敏", "person", "谢不敏", [], id="cut-idiom"),
        pytest.param("值得我们当代大学生学习", "organization", "当代大学", [], id="cut-word"),
        pytest.param(
            "法国经济和财政部长施特劳斯",
            "organization",
            "财政部",
            [("organization", "财政部")],
            id="body-title",
        ),
        pytest.param("曲局长为景甜颁奖", "person", "为景甜", [], id="preposition"),
        pytest.param("然后转朱比利线坐两站", "person", "朱比利", [], id="line-name"),
        pytest.param("张壮市长表示", "person", "张壮", [("person", "张壮")], id="name-before-title"),
        pytest.param("王刚路过这里", "person", "王刚", [("person", "王刚")], id="name-before-word"),
        pytest.param(
            "祖国五星红旗和联合国会旗的合影",
            "organization",
            "联合国会",
            [("organization", "联合国")],
            id="stray",
        ),
        pytest.param(
            "地处粤港澳大湾区的地理几何中心",
            "location",
            "粤港澳大湾",
            [("location", "粤港澳大湾区")],
            id="place-end",
        ),
        pytest.param(
            "中央军委主席", "organization", "中央军委", [("organization", "中央军委")], id="longer-known"
        ),
    ],
)
def test_screen_spans(text: str, kind: str, surface: str, kept: list[tuple[str, str]]) -> None:
    got = screen_spans(text, [_span(text, kind, surface)])
    assert [(m.kind, m.name) for m in got] == kept


CEDICT_SAMPLE = [
    "# CC-CEDICT sample lines",
    "瓦斯 瓦斯 [wa3 si1] /gas (loanword)/",
    "賀信 贺信 [he4 xin4] /congratulatory letter or message/",
    "承德 承德 [Cheng2 de2] /Chengde prefecture-level city in Hebei/also Chengde county/",
    "月球 月球 [yue4 qiu2] /the moon/",
    "太陽 太阳 [tai4 yang5] /sun/CL:個|个[ge4]/",
    "華為 华为 [Hua2 wei2] /Huawei (brand)/",
    "穆斯林 穆斯林 [Mu4 si1 lin2] /Muslim/",
    "阿里巴巴 阿里巴巴 [A1 li3 Ba1 ba1] /Ali Baba, character from The Arabian Nights/",
    "阿里巴巴 阿里巴巴 [A1 li3 ba1 ba1] /Alibaba, PRC e-commerce company/",
    "李鵬 李鹏 [Li3 Peng2] /Li Peng (1928-2019), leading PRC politician/",
    "貓 猫 [mao1] /cat/",
]


def test_common_words_keep_only_ordinary_words() -> None:
    # one char (猫) is too short; a unique referent (the moon) or a celestial body (sun) is no ordinary word
    assert common_words(CEDICT_SAMPLE) == ["瓦斯", "贺信"]


def test_proper_kinds_from_glosses() -> None:
    assert proper_kinds(CEDICT_SAMPLE) == {
        "华为": "O",
        "承德": "L",
        "李鹏": "P",
        "穆斯林": "G",
        "阿里巴巴": "OX",
    }
    assert gloss_kinds(["Soviet Union, 1922-1991"]) == "X"  # a union is a place as often as a body


def test_shipped_lists() -> None:
    assert is_dictionary_word("香水") and not is_dictionary_word("北京")
    assert dictionary_kinds("承德") == "L" and dictionary_kinds("香水") == ""


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # Source: news_html_gold readability_mozilla/gmw (光明网): 伏特加 and 空间站 are a drink and a station.
        pytest.param(
            "宇航员允许喝点干邑和伏特加。当他们发现国际空间站将严格禁止饮酒时", "伏特加", id="drink"
        ),
        pytest.param("在国际空间站上进行了大量有关酒精的实验", "空间站", id="station"),
        # Source: samples/people_2024-04-24_china_lac_space_forum.html: 贺信 is the president's letter.
        pytest.param("习近平主席的贺信阐明了当前建设高水平中拉航天合作的方向", "贺信", id="letter"),
    ],
)
def test_ordinary_words_are_no_entities(text: str, absent: str) -> None:
    assert absent not in {m.surface for m in extract_facts(text).mentions}


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # Source: samples/news_cn_2023-11-17_drug_shortage_supply.html: one ministry, two fields joined by 和.
        pytest.param(
            "工业和信息化部对临床必需易短缺药品的生产", "工业和信息化部", "信息化部", id="two-fields"
        ),
        pytest.param("审计署和国家统计局发布", "国家统计局", "审计署和国家统计局", id="two-bodies"),
    ],
)
def test_conjunction_inside_a_name(text: str, present: str, absent: str) -> None:
    names = {m.surface for m in extract_facts(text).mentions if m.kind == "organization"}
    assert present in names and absent not in names
