"""Entity spans (find_entities: the trained tagger) on real sentences, and floors on the ner_gold / facts_gold
evaluations."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.transforms.facts import extract_facts
from tasks.transforms.facts.data.lexicon import KNOWN_COMPANIES
from tasks.transforms.facts.entities import find_entities

SHARED = Path(__file__).parents[3] / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is absent")
# Measured 2026-12-04 (stop 20) with the shipped tagger (bench/results/eval_ner.json; People's Daily on its sentences
# not in the MSRA training split), rounded down: a regression fails the floor. extract_facts (= parse --json): MSRA
# 0.899, People's Daily 0.961; tagger alone 0.895 / 0.977 (the gap on People's Daily is mostly bare surnames, 江 / 陈,
# which the entity layer drops).
MSRA_TAGGER, PD_TAGGER, MSRA_FACTS, PD_FACTS = 0.89, 0.97, 0.89, 0.96
ROLES_P, ROLES_R = 0.95, 0.92  # issue 8 targets; measured 2026-12-04: P 1.000, R 0.950
# Issue 8's metric targets on the 10-article gold (complete lists since review 3); measured 2026-12-04: P 0.981, R 0.987.
METRICS_P, METRICS_R = 0.95, 0.85


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Source: news_html_gold gne_silver tests/guancha/2.html (观察者网, 2019-09-07)
        # The institute is one organization, and 少军 reads as a given name from context.
        pytest.param(
            "清华大学微电子所所长魏少军表示",
            {("organization", "清华大学微电子所"), ("person", "魏少军")},
            id="guancha",
        ),
        # A known name at the head of a longer dictionary word (邓小平理论).
        pytest.param(
            "致公党在邓小平理论指引下", {("organization", "致公党"), ("person", "邓小平")}, id="name-in-word"
        ),
        # One-character short names in a pair are two places (中美 -> 中, 美).
        pytest.param("中美元首会晤", {("location", "中"), ("location", "美")}, id="abbreviation-pair"),
        pytest.param("湖北省人民政府今天发布", {("organization", "湖北省人民政府")}, id="place-plus-suffix"),
    ],
)
def test_find_entities(text: str, expected: set[tuple[str, str]]) -> None:
    got = {(m.kind, m.surface) for m in find_entities(text)}
    assert expected <= got, got
    for m in find_entities(text):
        assert text[m.start : m.end] == m.surface


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("令人崇高的敬意", id="nrt-words"),
        pytest.param("严格遵守城市规划", id="nr-phrase"),
        pytest.param("价值(value)是一个经济学概念。", id="no-entity"),
    ],
)
def test_no_person(text: str) -> None:
    assert not [m for m in find_entities(text) if m.kind == "person"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A title right after a name (news_html_gold People_2024_04_24).
        pytest.param("――习近平主席向首届论坛致贺信", {("习近平", "主席", None)}, id="title-after-name"),
        # Hyphenated and dotted foreign names (newspaper4k chinese_article_001).
        pytest.param(
            "美中合作基金会执行主席约翰·米勒-怀特认为，",
            {("约翰·米勒-怀特", "执行主席", "美中合作基金会")},
            id="hyphen-dot-name",
        ),
        # A chain joined by 的 and 兼 (gne_silver tests/163/3.html).
        pytest.param(
            "未来论坛理事会的轮值主席、高瓴资本集团创始人兼首席执行官张磊今天在发言中表示",
            {
                ("张磊", "轮值主席", "未来论坛理事会"),
                ("张磊", "创始人", "高瓴资本集团"),
                ("张磊", "首席执行官", "高瓴资本集团"),
            },
            id="de-jian-chain",
        ),
        # A photo credit.
        pytest.param("图片来源：每经记者张蕊摄 清华大学", {("张蕊", "记者", "每经")}, id="photo-credit"),
        # A title after an organization, the name ended by a word no rule lists (lexicon name).
        pytest.param(
            "在东莞洪梅镇，海新科技董事长杨敬辉当面告诉笔者。",
            {("杨敬辉", "董事长", "海新科技")},
            id="lexicon-name",
        ),
        pytest.param(
            "香港行政长官梁振英在各方压力下",
            {("梁振英", "行政长官", "香港特别行政区")},
            id="chief-executive",
        ),
        # An ordinary word that looks like surname + name is not a person (陈校长焦虑不安); the tagger's bare
        # surname 陈 is vetoed by the entity layer.
        pytest.param(
            "更让陈校长焦虑不安的是",
            set(),
            id="word-not-name",
        ),
    ],
)
def test_roles(text: str, expected: set[tuple[str, str, str | None]]) -> None:
    got = {(r.person, r.title, r.organization) for r in extract_facts(text).roles}
    assert got == expected


def test_extract_facts_mentions_are_flat_and_canonical() -> None:
    text = (
        "4月20日，由国家知识产权局、广西壮族自治区人民政府指导的活动在柳州举行。柳州市委副书记张壮表示，好。"
    )
    mentions = extract_facts(text).mentions
    for a, b in zip(mentions, mentions[1:], strict=False):
        assert a.end <= b.start, (a, b)
    for m in mentions:
        assert text[m.start : m.end] == m.surface
    got = {(m.kind, m.name, m.level) for m in mentions}
    assert {
        ("organization", "国家知识产权局", None),
        ("organization", "广西壮族自治区人民政府", None),
        ("location", "柳州市", "city"),
        ("organization", "柳州市委", None),
        ("person", "张壮", None),
    } <= got


@pytest.mark.parametrize(
    ("text", "person"),
    [
        pytest.param("国务院总理李鹏在东京出席会议", "李鹏", id="title-before-2char"),
    ],
)
def test_find_entities_context_names(text: str, person: str) -> None:
    assert person in {m.surface for m in find_entities(text) if m.kind == "person"}


def test_candidate_name_without_context_is_dropped() -> None:
    assert "李鹏" not in {m.surface for m in find_entities("李鹏飞上天空") if m.kind == "person"}


# Floors: the measured micro-F1 (bench/results/eval_ner.json) rounded down, so a regression fails.
@needs_shared
@pytest.mark.parametrize(
    ("dataset", "system", "floor"),
    [
        ("msra", "tagger", MSRA_TAGGER),
        ("peoples_daily", "tagger", PD_TAGGER),
        ("msra", "extract_facts", MSRA_FACTS),
        ("peoples_daily", "extract_facts", PD_FACTS),
    ],
)
def test_ner_micro_f1_floor(dataset: str, system: str, floor: float) -> None:
    from bench.eval_ner import facts_entities, load_dataset, score, tagger_entities

    fn = tagger_entities if system == "tagger" else facts_entities
    rows = load_dataset(SHARED, dataset)
    gold = [{(e["type"], e["start"], e["end"]) for e in r["entities"]} for r in rows]  # type: ignore[attr-defined]
    assert score(gold, [fn(str(r["text"])) for r in rows])["micro"]["f1"] >= floor


@needs_shared
def test_roles_metrics_floor() -> None:
    from bench.eval_facts import evaluate

    res = evaluate(SHARED, runs=1)
    roles, metrics = res["roles"], res["metrics"]
    assert roles["p"] >= ROLES_P and roles["r"] >= ROLES_R  # type: ignore[index]
    assert metrics["p"] >= METRICS_P and metrics["r"] >= METRICS_R  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # One-character short forms keep their surface and get the place's name (中拉论坛, 京, 英方).
        pytest.param(
            "中拉论坛在京举行，英方代表出席。",
            {("中", "中国"), ("拉", "拉美"), ("京", "北京市"), ("英", "英国")},
            id="abbreviations",
        ),
        # 华 of 华为 is no place (the tagger's MSRA habit), while 华 of 访华 is China.
        pytest.param("华为公司的代表访华", {("华", "中国")}, id="hua-fragment"),
        # 巴 is named only beside 以 or 印: 中巴 with 圣保罗 is Brazil, 中巴 alone a minibus.
        pytest.param("欧盟为缩小巴以分歧作出努力", {("巴", "巴勒斯坦"), ("以", "以色列")}, id="ba-yi"),
        pytest.param("印孟两国外交部都表示", {("印", "印度"), ("孟", "孟加拉国")}, id="yin-meng"),
        pytest.param("为推进中巴两国合作", {("中", "中国")}, id="ba-unnamed"),
    ],
)
def test_one_char_places_are_named(text: str, expected: set[tuple[str, str]]) -> None:
    got = {(m.surface, m.name) for m in extract_facts(text).mentions if m.kind == "location"}
    assert got == expected
    assert all(m.surface == text[m.start : m.end] for m in extract_facts(text).mentions)


def test_a_country_read_as_a_person_is_the_country() -> None:
    # The tagger reads 马拉维 (Malawi, glossed like a foreign name) as a person at the start of a sentence.
    text = "马拉维新政府成立后，经济发展很快。"
    got = {(m.kind, m.surface, m.level) for m in extract_facts(text).mentions}
    assert ("location", "马拉维", "country") in got and not any(k == "person" for k, *_ in got)


@pytest.mark.parametrize(
    ("text", "body"),
    [
        # An adverb, conjunction or preposition before a body ends what could name it (jieba tags d, c, p).
        pytest.param("还要经常往移民局跑。", "移民局", id="adverb-preposition"),
        pytest.param("否则保险公司不予赔偿。", None, id="conjunction"),
        # A numeral makes a one-char suffix a classifier (five games, 30,000 sets); an ordinal names a bureau.
        pytest.param("围棋大战，战罢五局方分胜负。", None, id="numeral-suffix"),
        pytest.param("收缴赌具3万余部。", None, id="wan-yu-bu"),
        pytest.param("公安部第五局局长出席。", "公安部第五局", id="ordinal-keeps-the-name"),
        pytest.param("已有36名镇局主要领导到会。", None, id="classifier-after-a-number"),
        pytest.param("黄河流域、黄淮大部有雨。", None, id="da-bu-is-a-word"),
        # Generic modifiers before a suffix name a kind of body, not one body.
        pytest.param("已有77家选择了国有独资公司模式。", None, id="generic-modifiers"),
        pytest.param("还要成立保险仲裁机构和律师事务所。", None, id="law-firm-kind"),
        pytest.param("工商银行行长出席。", "工商银行", id="a-bank-named-by-ordinary-words"),
        pytest.param("各地区党委和政府在行动。", None, id="di-qu-closes-the-level-char"),
    ],
)
def test_a_function_word_before_a_body_is_no_part_of_its_name(text: str, body: str | None) -> None:
    orgs = [m.surface for m in extract_facts(text).mentions if m.kind == "organization"]
    assert orgs == ([body] if body else [])


def test_a_title_between_two_names_of_a_list_does_not_veto_a_known_name() -> None:
    # 霍英东|秘书长田纪云: the title goes to 田纪云, and 霍英东, a name the dictionary knows, stays a person.
    text = (
        "委员：丁光训董寅初孙孚凌安子介霍英东马万祺朱光亚万国权何鲁丽（女）王平伍修权刘澜涛江华李德生，"
        "吴阶平王光英薛驹霍英东秘书长田纪云。"
    )
    people = [m.surface for m in extract_facts(text).mentions if m.kind == "person"]
    assert people.count("霍英东") == 2 and "田纪云" in people


def test_a_name_kept_once_is_kept_at_each_mention() -> None:
    # 向冯强|打来 alone reads 强打 as a word; the 冯强 of 冯强躲开了 is the same person.
    text = "他便挥拳向冯强打来，冯强躲开了。"
    assert [m.start for m in extract_facts(text).mentions if m.surface == "冯强"] == [5, 10]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("他看了两场电影，高兴地说，这个办法好。", id="adverb-before-a-speech-verb"),
        pytest.param("一架银灰色的伊尔９６型专机徐徐降落。", id="model-with-xing"),
    ],
)
def test_no_person_in(text: str) -> None:
    assert not [m for m in extract_facts(text).mentions if m.kind == "person"]


def test_a_name_in_brackets_after_a_work_title_is_its_author() -> None:
    # 人民日报 1998, a list of papers: 《title》（author）.
    text = "收录了《管窥蠡测说纳兰》（冯统一）、《“纳兰性德现象”试说》（楚庄）等论文。"
    people = {m.surface for m in extract_facts(text).mentions if m.kind == "person"}
    assert {"冯统一", "楚庄"} <= people


def test_a_tagged_name_does_not_keep_a_bracket() -> None:
    text = "新华社北京１２月９日电（记者周亮）在今天召开的会议上"
    assert "周亮" in {m.surface for m in extract_facts(text).mentions if m.kind == "person"}


@pytest.mark.parametrize(
    ("text", "companies"),
    [
        # The tagger, trained on 1998 text, read 阿里巴巴 as a person and missed 腾讯; 宁德|时代 was a place.
        ("阿里巴巴和腾讯的股价在香港交易所双双上涨。", ["阿里巴巴", "腾讯"]),
        ("宁德时代董事长曾毓群表示，", ["宁德时代"]),
        # Source: news_html_gold gne_silver pages (2019): 高通 and 联发科 in a list of chip makers.
        ("企业仅剩下了高通、华为、三星、联发科和紫光展锐。", ["高通", "华为", "联发科", "紫光展锐"]),
        # Not a company: a word's chars (高通量), a longer body holding one (网易农业), a product (华为Mate20).
        ("高通量测序技术日趋成熟。", []),
        ("网易农业总裁蒉莺春出席。", []),
        ("一位华为Mate20 X 5G版手机用户说，", []),
    ],
)
def test_known_companies_are_organizations(text: str, companies: list[str]) -> None:
    found = [m.surface for m in extract_facts(text).mentions if m.kind == "organization"]
    assert [c for c in found if c in KNOWN_COMPANIES] == companies
