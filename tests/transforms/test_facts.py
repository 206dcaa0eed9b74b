"""Unit tests per extractor on sentences from real news pages (not the seed) and synthetic negatives."""

from __future__ import annotations

import re

import pytest

from tasks.transforms.facts import build_document, extract_facts
from tasks.transforms.facts._text import starts_with_one_of
from tasks.transforms.facts.byline import extract_byline
from tasks.transforms.facts.data.lexicon import TITLE_MODIFIERS, TITLES
from tasks.transforms.facts.dates import _PATTERNS, _STARTS, extract_dates, find_context_year
from tasks.transforms.facts.events import extract_events
from tasks.transforms.facts.gazetteer import find_places
from tasks.transforms.facts.metrics import extract_metrics
from tasks.transforms.facts.numbers import parse_number
from tasks.transforms.facts.organizations import find_organizations
from tasks.transforms.facts.quotes import extract_quotes
from tasks.transforms.facts.roles import extract_roles
from tasks.transforms.facts.titles import TITLE_RE

# Source: news_html_gold gne_silver tests/guancha/2.html (观察者网, 2019-09-07)
GUANCHA_WEI = "中国半导体行业协会副理事长、清华大学微电子所所长魏少军表示，2018年中国集成电路设计业销售收入为2519.3亿元，比2017年的2073.5亿元增长21.5%。"
# Source: news_html_gold gne_silver tests/guancha/guancha.html (观察者网, 2019-09-07)
GUANCHA_DG = (
    "先进制造业、高技术制造业规模以上工业增加值分别增长了10.4%、17.3%，其中电子信息制造业同比增长高达17.8%。"
)
GUANCHA_PERIOD = "2019年1-7月，东莞规模以上工业增加值同比增长6.8%，进出口同比增长4.4%。"
# Source: news_html_gold gne_silver tests/163/1.html (网易, 2019-09-07)
LONGFOR = "上半年，龙湖实现合约销售金额1056.2亿元，同比增长8.8%；营业额385.7亿元，同比增长42.2%。"
# Source: news_html_gold gne_silver tests/163/3.html (网易, 2019-09-08)
FUTURE_FORUM = "2017年9月9日，在当年的未来科学大奖发布会上，被问到为什么愿意投入财力和精力做这件事情?马化腾表示，“当时找到我，我觉得这么好的事情怎么能没有我?”"
# Source: news_html_gold newspaper4k chinese_article_001 (中国日报网, 2023-11-17)
CD_ASKARI = "瑞典“一带一路”研究所副所长侯赛因·阿斯卡里指出，作为全球最大的两个经济体，中美关系几乎会影响每一个国家，这是不可避免的。"
# Source: news_html_gold gne_silver tests/ifeng/2.html (凤凰网, 2019-09-09)
IFENG_LONG = "”而台江县教育局局长龙峰不知道，他大胆的邀请，能否得到陈立群的同意。"
# Source: news_html_gold gne_silver tests/sina/2.html (新浪, 2018-12-28)
SINA_BYLINE = "新京报快讯（记者裴剑飞）今日（12月28日）有网友爆料，有60万个“12306账号”和410万条联系人数据在暗网低价出售。"
# Source: news_html_gold newspaper4k chinese_article_002 (新华社, 2023-11-17)
XINHUA = "新华社北京11月17日电 记者17日从国家卫生健康委获悉，近阶段，相关部门持续依托短缺药品供应保障工作会商联动机制。"
# Source: news_html_gold gne_silver tests/guancha/2.html
GUANCHA_EVENT = (
    "9月3日，在第二届全球IC企业家大会暨第十七届中国国际半导体博览会开幕式上，魏少军教授在演讲中分析了数据。"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("3185", 3185, id="arabic"),
        pytest.param("1.2万", 12000, id="arabic-wan"),
        pytest.param("三千一百八十五", 3185, id="chinese"),
        pytest.param("三亿五千万", 350_000_000, id="chinese-yi-wan"),
        pytest.param("2,519.3", 2519.3, id="thousands-comma"),
    ],
)
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    ("text", "year", "surface", "iso"),
    [
        pytest.param("2018年12月28日发布", None, "2018年12月28日", "2018-12-28", id="full-date"),
        pytest.param("于2025-04-20发布", None, "2025-04-20", "2025-04-20", id="iso"),
        pytest.param("4月20日，活动开幕", 2025, "4月20日", "2025-04-20", id="month-day-context-year"),
        pytest.param("4月20日，活动开幕", None, "4月20日", "--04-20", id="month-day-no-year"),
        pytest.param("今年一季度产值增长", 2025, "今年一季度", "2025-Q1", id="quarter"),
        pytest.param("去年上半年", 2025, "去年上半年", "2024-H1", id="half-last-year"),
        pytest.param(GUANCHA_PERIOD, None, "2019年1-7月", "2019-01/2019-07", id="month-range-guancha"),
    ],
)
def test_dates(text: str, year: int | None, surface: str, iso: str) -> None:
    got = {d.surface: d for d in extract_dates(text, year)}
    assert got[surface].iso == iso
    assert text[got[surface].start : got[surface].end] == surface


@pytest.mark.parametrize(
    ("text", "published_at", "year"),
    [
        pytest.param("4月20日，某活动。", "2024-05-01T08:00:00", 2024, id="published-at"),
        pytest.param(FUTURE_FORUM, None, 2017, id="first-full-date"),
        pytest.param("没有日期", None, None, id="none"),
    ],
)
def test_context_year(text: str, published_at: str | None, year: int | None) -> None:
    assert find_context_year(text, published_at) == year


@pytest.mark.parametrize(
    ("text", "agency", "bureau", "reporter"),
    [
        pytest.param(
            "正文。（中国日报社 广西记者站 张莉）", "中国日报社", "广西记者站", "张莉", id="closing-paren"
        ),
        pytest.param(
            "新华社北京4月20日电（记者 王某）今天", "新华社", "北京", "王某", id="xinhua-dateline-reporter"
        ),
        pytest.param(XINHUA, "新华社", "北京", None, id="xinhua-dateline-real"),
        pytest.param(SINA_BYLINE, "新京报", None, "裴剑飞", id="kuaixun-sina"),
        pytest.param("本报记者 李明 报道", None, None, "李明", id="benbao"),
        pytest.param("文（记者 张三 李四）", None, None, "张三、李四", id="two-reporters"),
    ],
)
def test_byline(text: str, agency: str | None, bureau: str | None, reporter: str | None) -> None:
    b = extract_byline(text)
    assert b is not None
    assert (b.agency, b.bureau, b.reporter) == (agency, bureau, reporter)


def test_no_byline_in_plain_text() -> None:
    assert extract_byline("价值(value)是一个经济学概念。") is None


@pytest.mark.parametrize(
    ("text", "person", "title", "org"),
    [
        pytest.param(GUANCHA_WEI, "魏少军", "副理事长", "中国半导体行业协会", id="guancha-first-in-chain"),
        pytest.param(GUANCHA_WEI, "魏少军", "所长", "清华大学微电子所", id="guancha-second-in-chain"),
        pytest.param(CD_ASKARI, "侯赛因·阿斯卡里", "副所长", None, id="foreign-name"),
        pytest.param(IFENG_LONG, "龙峰", "局长", "台江县教育局", id="ifeng-county-bureau"),
        pytest.param(
            "桂林市委常委、市人民政府副市长王某某出席。",
            "王某某",
            "副市长",
            "桂林市人民政府",
            id="bare-city-resolved",
        ),
        pytest.param("，王强市长在会上说", "王强", "市长", None, id="title-after-name"),
        # The body runs into a title that repeats its suffix: 深圳市委|书记, not 市委书记 of no body.
        pytest.param(
            "深圳市委书记孟凡利主持会议。", "孟凡利", "书记", "深圳市委", id="party-committee-secretary"
        ),
        pytest.param("广东省委书记黄坤明出席。", "黄坤明", "书记", "广东省委", id="provincial-secretary"),
        pytest.param(
            "国家发改委党组书记、主任郑栅洁表示，", "郑栅洁", "书记", "国家发改委党组", id="party-group"
        ),
    ],
)
def test_roles(text: str, person: str, title: str, org: str | None) -> None:
    roles = extract_roles(build_document(text))
    got = [r for r in roles if (r.person, r.title) == (person, title)]
    assert got, roles
    if org is not None:
        assert got[0].organization == org
    assert person in text[got[0].start : got[0].end]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("记者注意到，专家表示这不可行。", id="title-before-verb"),
        pytest.param("价值(value)是一个经济学概念。", id="no-entity"),
    ],
)
def test_no_roles(text: str) -> None:
    assert extract_roles(build_document(text)) == ()


@pytest.mark.parametrize(
    ("text", "orgs"),
    [
        pytest.param(GUANCHA_WEI, ["中国半导体行业协会", "清华大学"], id="guancha"),
        pytest.param("在国家知识产权局的关心指导下，", ["国家知识产权局"], id="after-zai"),
        pytest.param("把工作放在经济社会高质量发展大局中谋划推进", [], id="daju-is-not-org"),
        pytest.param("东莞有6家上市公司。", [], id="counted-noun"),
        pytest.param("国务院总理李鹏在东京出席会议", [], id="meeting-is-no-org"),
        pytest.param("我相信，经过两国政府和人民的努力", [], id="generic-government"),
        pytest.param("，希望政府继续采取措施", [], id="verb-before-suffix"),
        pytest.param("，美国政府表示", ["美国政府"], id="place-government"),
        pytest.param("，建立以技术中心为主", [], id="generic-centre"),
        pytest.param(
            "中共中央办公厅国务院办公厅发出通知", ["中共中央办公厅", "国务院办公厅"], id="two-top-level"
        ),
        pytest.param("国家发展和改革委员会", ["国家发展和改革委员会"], id="conjunction-inside-name"),
        pytest.param("与当地警方和景区执法局", ["景区执法局"], id="conjunction-between-names"),
        pytest.param("应邀在美国著名学府哈佛大学发表演讲", ["哈佛大学"], id="known-name-with-modifier"),
        pytest.param("巴西的南京航空航天大学", ["南京航空航天大学"], id="de-before-name"),
        pytest.param("许多人大惑不解", [], id="suffix-inside-word"),
        pytest.param("二战后，世界上局部战争不断", [], id="suffix-opens-a-longer-word"),
        pytest.param("贯彻落实高校基层党组织工作条例", [], id="party-group-inside-organization-word"),
        pytest.param("营业性歌厅、舞厅", [], id="hall-is-no-org"),
        pytest.param("中国日报社广西记者站", ["中国日报社"], id="suffix-across-lexicon-word"),
    ],
)
def test_organizations(text: str, orgs: list[str]) -> None:
    assert [o.surface for o in find_organizations(text, find_places(text))] == orgs


@pytest.mark.parametrize(
    ("text", "surface", "name", "level"),
    [
        pytest.param("柳州螺蛳粉", "柳州", "柳州市", "city", id="short-city"),
        pytest.param(
            "广西壮族自治区人民政府", "广西壮族自治区", "广西壮族自治区", "province", id="full-province"
        ),
        pytest.param("在美国旧金山举行的会晤", "美国", "美国", "country", id="country"),
    ],
)
def test_places(text: str, surface: str, name: str, level: str) -> None:
    got = {p.surface: p for p in find_places(text)}
    assert (got[surface].name, got[surface].level) == (name, level)


def test_ambiguous_city_short_form_is_not_a_place() -> None:
    assert find_places("欢迎各位来宾") == ()


@pytest.mark.parametrize(
    ("text", "value", "unit", "subject", "measure", "kind", "period"),
    [
        pytest.param(
            GUANCHA_WEI, 251930000000, "元", "中国集成电路设计业", "销售收入", "amount", "2018年", id="amount"
        ),
        pytest.param(
            GUANCHA_WEI, 207350000000, "元", "中国集成电路设计业", "销售收入", "amount", "2017年", id="base"
        ),
        pytest.param(
            GUANCHA_WEI, 21.5, "%", "中国集成电路设计业", "销售收入", "growth", "2018年", id="growth"
        ),
        pytest.param(GUANCHA_DG, 10.4, "%", "先进制造业", "增加值", "growth", None, id="distributive-1"),
        pytest.param(
            LONGFOR, 8.8, "%", None, "合约销售金额", "growth", "上半年", id="growth-inherits-measure"
        ),
        pytest.param(LONGFOR, 38570000000, "元", None, "营业额", "amount", "上半年", id="yingyee"),
        pytest.param(SINA_BYLINE, 600000, "个", None, "12306账号", "count", None, id="wan-folded"),
        pytest.param(
            "有效专利三千一百八十五件。", 3185, "件", None, "有效专利", "count", None, id="chinese-numeral"
        ),
    ],
)
def test_metrics(
    text: str, value: float, unit: str, subject: str | None, measure: str, kind: str, period: str | None
) -> None:
    got = [m for m in extract_metrics(text) if m.value == value and m.unit == unit]
    assert len(got) == 1, extract_metrics(text)
    assert (got[0].subject, got[0].measure, got[0].kind, got[0].period) == (subject, measure, kind, period)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("2025年全国知识产权宣传周", id="year"),
        pytest.param("4月20日举行", id="date"),
        pytest.param("打造成为第四大支柱产业", id="ordinal"),
        pytest.param("“十四五”知识产权规划", id="slogan"),
        pytest.param("价值(value)", id="no-number"),
        # Real phrases from news_html_gold bodies (ifeng/2, 163/1, 163/4, chinese_article_001).
        pytest.param("但他却做了一个决定", id="article-yi"),
        pytest.param("当这个国家级贫困县唯一一所中学的校长", id="weiyi"),
        pytest.param("甚至出现了二次整改的情况", id="er-ci-word"),
        pytest.param("几十个人挤在一间宿舍", id="estimate-ji"),
        pytest.param("也仅仅能用六七个小时", id="estimate-range"),
        pytest.param("往年，台江中考前100名的学生中", id="rank"),
    ],
)
def test_not_metrics(text: str) -> None:
    assert extract_metrics(text) == ()


@pytest.mark.parametrize(
    ("text", "speaker", "starts"),
    [
        pytest.param(GUANCHA_WEI, "魏少军", "2018年中国", id="biaoshi"),
        pytest.param(CD_ASKARI, "侯赛因·阿斯卡里", "作为全球", id="zhichu-foreign"),
        pytest.param(FUTURE_FORUM, "马化腾", "当时找到我", id="quoted-content"),
        pytest.param("“我们会回来的，”张伟说。", "张伟", "我们会回来的", id="quote-first"),
        pytest.param("李泽在讲话中表示，要加强保护。", "李泽", "要加强保护", id="in-speech"),
        # The speaker after a title chain (news_html_gold sina/sina.html, banyuetan.org, both 2019).
        pytest.param(
            "问题。“搭载了麒麟990 5G的手机可不会出现这个问题。”华为海思品牌总监林江艳说。",
            "林江艳",
            "搭载了麒麟990",
            id="quote-first-titled",
        ),
        pytest.param(
            "“村里装了高清摄像头，小偷都不敢上门了。”南县南洲镇长胜村治安主任袁永红说，",
            "袁永红",
            "村里装了",
            id="quote-first-village-post",
        ),
        # jieba lists 李强 as a name of its own kind (nrfg): a speech verb confirms it as any other name.
        pytest.param("“我们将继续加大投入。”李强说。", "李强", "我们将继续", id="quote-first-nrfg-name"),
    ],
)
def test_quotes(text: str, speaker: str, starts: str) -> None:
    quotes = extract_quotes(build_document(text))
    assert quotes and quotes[0].speaker == speaker
    assert quotes[0].text.startswith(starts)
    assert quotes[0].text in text[quotes[0].start : quotes[0].end]


def test_no_quote_without_a_named_speaker() -> None:
    assert extract_quotes(build_document("业内人士表示，芯片很难。他说，没关系。")) == ()


def test_a_quoted_name_inside_a_body_s_name_is_no_speech() -> None:
    """瑞典“一带一路”研究所副所长X指出: the quote opens no clause, so the title chain after it names no speaker."""
    quotes = extract_quotes(build_document(CD_ASKARI))
    assert [q.text for q in quotes if q.text == "一带一路"] == []


@pytest.mark.parametrize(
    ("text", "name", "date", "location"),
    [
        pytest.param(
            GUANCHA_EVENT,
            "第二届全球IC企业家大会暨第十七届中国国际半导体博览会",
            "2019-09-03",
            None,
            id="zai-shang",
        ),
        pytest.param(
            "5月8日，2024中国品牌博览会在上海开幕。", "2024中国品牌博览会", "2024-05-08", "上海", id="kaimu"
        ),
        # An adverb before the trigger is no part of the place; the name starts after 的 (also in 在…上).
        pytest.param(
            "5月9日，反诈宣传活动在人民广场正式启动。",
            "反诈宣传活动",
            "2024-05-09",
            "人民广场",
            id="zhengshi",
        ),
        pytest.param(
            "他在和同事一起吃晚饭之前的庆祝仪式上致辞。", "庆祝仪式", None, None, id="zai-shang-cut"
        ),
    ],
)
def test_events(text: str, name: str, date: str, location: str | None) -> None:
    events = extract_events(text, extract_dates(text, 2019 if "IC" in text else 2024))
    assert events and events[0].name == name
    assert (events[0].event_date, events[0].location) == (date, location)


def test_event_organizers_and_guides() -> None:
    text = "由甲省文化厅、乙市人民政府指导，丙协会主办的第三届茶文化节开幕式在乙市举行。"
    e = extract_events(text, ())[0]
    assert e.guided_by == ("甲省文化厅", "乙市人民政府")
    assert e.organizers == ("丙协会",)
    assert e.name == "第三届茶文化节开幕式"


def test_extract_facts_spans_on_real_text() -> None:
    text = GUANCHA_WEI + GUANCHA_DG + LONGFOR
    facts = extract_facts(text, "2019-09-07")
    for m in facts.mentions:
        assert text[m.start : m.end] == m.surface
    assert {m.name for m in facts.mentions if m.kind == "person"} == {"魏少军"}


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("，广西知识产权战略实施工作厅际联席会议成员单位主办", "广西知识产权战略实施工作厅际联席会议"),
        ("据北京市促进中小企业发展工作领导小组办公室介绍", "北京市促进中小企业发展工作领导小组办公室"),
    ],
    ids=["seed-style-joint-meeting", "beijing-leading-group-office"],
)
def test_place_led_names_may_hold_verbs(text: str, org: str) -> None:
    assert org in [o.surface for o in find_organizations(text, find_places(text))]


def test_verb_without_a_place_still_ends_a_name() -> None:
    text = "代表团在东京出席会议后访问了东京大学。"
    assert "东京出席会议" not in [o.surface for o in find_organizations(text, find_places(text))]


def test_date_patterns_match_as_without_their_start_lookahead() -> None:
    """The lookahead that lets the date search skip chars changes no match (the patterns may change)."""
    text = GUANCHA_WEI + GUANCHA_DG + LONGFOR + FUTURE_FORUM
    text += (
        "2024年前三季度，今年一季度、上半年、1-4月、去年12月，二〇二三年十月一日、2019-09-07、第4季度、3月5日"
    )
    found = 0
    for kind, pattern in _PATTERNS:
        plain = re.compile(pattern.pattern.removeprefix(_STARTS))
        spans = [m.span() for m in plain.finditer(text)]
        assert [m.span() for m in pattern.finditer(text)] == spans, kind
        found += len(spans)
    assert found >= 15


def test_title_search_matches_as_without_its_start_lookahead() -> None:
    """TITLE_RE's first-char lookahead changes no match (the word lists may change)."""
    text = (
        GUANCHA_WEI
        + GUANCHA_DG
        + FUTURE_FORUM
        + CD_ASKARI
        + "柳州市委副书记、市人民政府市长张壮，国务院副总理，常务副省长"
    )
    plain = re.compile(TITLE_RE.pattern.removeprefix(starts_with_one_of((*TITLE_MODIFIERS, *TITLES))))
    spans = [m.span() for m in plain.finditer(text)]
    assert [m.span() for m in TITLE_RE.finditer(text)] == spans and len(spans) >= 6


def test_a_list_of_kinds_ending_in_a_bare_head_is_no_event() -> None:
    assert extract_events("他在节日、生日聚会以及活动上都会唱歌。", ()) == ()


def test_a_promotion_bureau_is_one_body_to_the_suffix_rule() -> None:
    # 促进 names a body's work (投资促进局, 民主促进会): it does not end the name before it.
    text = "区投资促进局局长王五说，"
    assert [m.surface for m in find_organizations(text, find_places(text))] == ["区投资促进局"]


def test_a_professor_s_field_is_not_part_of_the_university() -> None:
    roles = extract_roles(build_document("北京大学经济学教授张三说，"))
    assert [(r.person, r.title, r.organization) for r in roles] == [("张三", "教授", "北京大学")]


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("拜登说，两国应加强合作。", "拜登"),  # a speech verb confirms a name the recogniser does not know
        ("美国总统拜登通话时表示，", "拜登"),  # so does a title
        ("普京表示，俄方愿意对话。", "普京"),  # the recogniser reads 普京 as a place
    ],
)
def test_a_name_the_dictionary_knows_as_a_person_s_is_confirmed_by_context(text: str, person: str) -> None:
    assert ("person", person) in {(m.kind, m.surface) for m in extract_facts(text).mentions}


def test_a_dictionary_person_without_context_is_no_person() -> None:
    assert not [m for m in extract_facts("西晋时期，文学繁荣。").mentions if m.kind == "person"]


@pytest.mark.parametrize(
    ("text", "company"),
    [
        ("北京字节跳动科技有限公司发布声明。", "北京字节跳动科技有限公司"),  # not 北京 alone
        ("上海浦东发展银行股份有限公司发布公告。", "上海浦东发展银行股份有限公司"),
    ],
)
def test_a_company_s_legal_name_opening_with_its_seat_is_one_organization(text: str, company: str) -> None:
    assert ("organization", company) in {(m.kind, m.surface) for m in extract_facts(text).mentions}


def test_a_quote_that_ends_its_own_sentence_is_what_it_holds() -> None:
    # The closing ” follows the quote's own 。 and the text goes on (她坦言): the speech is the whole quote, no mark.
    text = "总监刘颖表示，“来电近期并没有明显涨价。目前收费仍是1元到2元每小时。”她坦言，不愿意看到涨价。"
    quotes = [(q.speaker, q.text) for q in extract_quotes(build_document(text))]
    assert quotes == [("刘颖", "来电近期并没有明显涨价。目前收费仍是1元到2元每小时。")]


@pytest.mark.parametrize(
    ("text", "person", "title", "org"),
    [
        # A government title after a party committee's is held where the committee leads: the city, the body.
        ("柳州市委副书记、市长张壮表示，", "张壮", "市长", "柳州市"),
        ("国家发改委党组书记、主任郑栅洁表示，", "郑栅洁", "主任", "国家发改委"),
        ("中共柳州市委常委、副市长李四出席。", "李四", "副市长", "柳州市"),
        ("市教育局党组书记、局长王五说，", "王五", "局长", "市教育局"),  # within one body, the same body
        ("局党组书记、局长赵六说，", "赵六", "党组书记", None),  # a bare 局党组 names no body
        # A person listed after another with a title of their own takes that person's body.
        ("华为公司董事长梁华、总裁任正非出席。", "任正非", "总裁", "华为公司"),
        ("国务院总理李强、副总理丁薛祥出席。", "丁薛祥", "副总理", "国务院"),
        ("腾讯公司董事会主席马化腾、副总裁程武出席。", "程武", "副总裁", "腾讯公司"),  # not the board
        ("柳州市委书记张三、市长李四出席。", "李四", "市长", "柳州市"),  # a party committee leads the city
        ("外交部部长王毅、美国国务卿布林肯会谈。", None, "国务卿", "美国"),  # a body of its own
        # Latin titles, in a chain and between a body and a name.
        ("猎豹移动董事长兼CEO傅盛说，", "傅盛", "CEO", "猎豹移动"),
        (
            "特斯拉CEO马斯克在社交媒体上说，",
            "马斯克",
            "CEO",
            "特斯拉",
        ),  # not one organization 特斯拉CEO马斯克
        ("苹果公司CEO库克表示，", "库克", "CEO", "苹果公司"),  # CC-CEDICT lists 库克 as a name only
        # A body's last char opening its head's title (外交部|部长 written 外交部长): the title is whole. Source of
        # the next three: the real Big5 feeds of ../shared/data/rss_feeds (coolloud.org.tw, 2005), normalized.
        ("由于日前新闻局长姚文智突然丢出「华视南迁」的议题，", "姚文智", "局长", "新闻局"),
        ("中国外交部长王毅今天会见了来访的客人。", "王毅", "部长", "中国外交部"),
        ("国民党党主席马英九指示政策会进行研究，", "马英九", "党主席", "国民党"),  # not 国民党党
        ("虽然，25日傍晚台视董事长赖国洲､总经理郑优，", "赖国洲", "董事长", "台视"),  # the day is no body
        (
            "新华社北京７月２７日电中国国务院副总理钱其琛今天在",
            "钱其琛",
            "副总理",
            "中国国务院",
        ),  # a dateline
        ("民进党主席赖清德出席活动。", "赖清德", "主席", "民进党"),  # another party than 民进
        ("美国财长耶伦周二说，", "耶伦", "财长", "美国"),  # a short title, as 外长
    ],
)
def test_role_organizations(text: str, person: str | None, title: str, org: str | None) -> None:
    roles = extract_roles(build_document(text))
    orgs = {r.organization for r in roles if r.title == title and person in (None, r.person)}
    assert orgs == {org}, roles
