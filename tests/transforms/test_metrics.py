"""Metric sign, scale, lists, periods and kinds, on real sentences from news_html_gold bodies."""

from __future__ import annotations

import json
import re

import pytest

from tasks.transforms.facts import extract_facts
from tasks.transforms.facts.figures import _NUMBER_RE
from tasks.transforms.facts.metrics import extract_metrics
from tasks.transforms.facts.periods import _PERIOD_SEARCH, PERIOD_RE
from tasks.transforms.models import Mention, Metric
from tests.conftest import SAMPLES, SEED, SHARED_DATA, needs_shared

# Sources (news_html_gold): guancha.html 观察者网 2019-09-07; ifeng/2 凤凰网 2019-09-09; 163/3 网易 2019-09-08;
# chinese_article BBC 2012-12-10; guancha/2 and 163/1 are the examples issue 8 quotes.
DG_DECLINE = "但纺织服装鞋帽制造业、造纸及纸制品业则呈负增长，同比分别下降3%和0.7%。"
DG_RISE = (
    "先进制造业、高技术制造业规模以上工业增加值分别增长了10.4%、17.3%，其中电子信息制造业同比增长高达17.8%。"
)
DG_PERIOD = "2019年1-7月，东莞规模以上工业增加值同比增长6.8%，进出口同比增长4.4%。"
DG_SURVEY = "截止8月中旬，一份对东莞587家重点企业的调研，美国对剩余3000亿美元清单加征关税后，预计订单量“没有影响的”占24.6%。"
IC_SLOWDOWN = "增速比上年的26.1%回落4.6个百分点。"
IC_IMPORT = "2018年中国进口集成电路4176亿块，同比增长10.8%。"
LONGFOR_COSTS = "龙湖营业支出分别为34.5、50.9和85.9亿元。"
PRIZE = "每个奖项的单项奖金100万美元(约合人民币711万元)。"
TEACHER_PAY = "有民办高中开出年薪两百多万挖他，他把20多万元奖金捐出来。"
JOURNEY = "他去过最远的一个孩子的家，需要先开车一个半小时，再坐烧着柴油的小船45分钟，最后走路半个小时。"
DORM = "学生搬进了六到八人、带独立卫生间的宿舍。"
EXAM = "2019年，全校885名学生参加高考，有561人考取了本科，本科成绩完成率达到了183%。"
CANTEEN = "3000多名学生只有一个食堂，每天工作10小时左右，来到距离杭州1400公里外的贵州山区。"
HK = "梁振英强调承诺将在两周内解决其住宅的违建问题。历时1.5小时的答问大会在进入中段之际。"


def _one(text: str, value: float, unit: str | None, published_at: str | None = None) -> Metric:
    got = [m for m in extract_metrics(text, published_at) if m.value == value and m.unit == unit]
    assert len(got) == 1, extract_metrics(text, published_at)
    return got[0]


@pytest.mark.parametrize(
    ("text", "value", "unit", "kind"),
    [
        pytest.param(DG_DECLINE, -3.0, "%", "growth", id="fen-bie-xia-jiang-1"),
        pytest.param(DG_DECLINE, -0.7, "%", "growth", id="fen-bie-xia-jiang-2"),
        pytest.param(IC_SLOWDOWN, -4.6, "百分点", "growth", id="hui-luo-points"),
        pytest.param(IC_SLOWDOWN, 26.1, "%", "growth", id="base-before-hui-luo-stays-positive"),
        pytest.param(DG_RISE, 17.8, "%", "growth", id="zeng-zhang"),
        pytest.param("电量从86%降到了38%。", 38.0, "%", "share", id="jiang-dao-is-a-level"),
        pytest.param("营业收入同比减少3亿元。", -300000000.0, "元", "growth", id="jian-shao-money"),
        pytest.param("创业板指跌幅接近3%。", -3.0, "%", "growth", id="die-fu-jie-jin"),
        pytest.param("A股龙头股9天跌近30%", -30.0, "%", "growth", id="die-jin"),
        pytest.param("个股却直线拉升3%", 3.0, "%", "growth", id="la-sheng"),
        pytest.param("12日至9月25日股价下跌近三成。", -30.0, "%", "growth", id="cheng-decline"),
        # sina/3 (新浪财经 2019): a cut in basis points is negative, a rise positive.
        pytest.param(
            "欧洲央行（ECB）可以再降息20个基点。", -20.0, "基点", "growth", id="jiang-xi-basis-points"
        ),
        pytest.param("美联储可能加息25个基点。", 25.0, "基点", "growth", id="jia-xi"),
    ],
)
def test_sign(text: str, value: float, unit: str, kind: str) -> None:
    assert _one(text, value, unit).kind == kind


@pytest.mark.parametrize(
    ("text", "value", "unit", "unit_written", "approx"),
    [
        pytest.param(IC_IMPORT, 417600000000.0, "块", "亿块", False, id="yi-kuai"),
        pytest.param(PRIZE, 1000000.0, "美元", "万美元", False, id="wan-meiyuan"),
        pytest.param(PRIZE, 7110000.0, "元", "万元", True, id="yue-he"),
        pytest.param(TEACHER_PAY, 2000000.0, None, "万", True, id="chinese-bare-wan"),
        pytest.param(TEACHER_PAY, 200000.0, "元", "万元", True, id="duo-before-wan"),
        pytest.param(DG_SURVEY, 300000000000.0, "美元", "亿美元", False, id="yi-meiyuan"),
        pytest.param(JOURNEY, 1.5, "小时", "个小时", False, id="yi-ge-ban"),
        pytest.param(JOURNEY, 0.5, "小时", "个小时", False, id="ban-ge"),
        pytest.param(JOURNEY, 45.0, "分钟", "分钟", False, id="minutes"),
        pytest.param(HK, 2.0, "周", "周", False, id="liang-zhou"),
        pytest.param(HK, 1.5, "小时", "小时", False, id="decimal-hours"),
        pytest.param(CANTEEN, 3000.0, "名", "名", True, id="duo-ming"),
        pytest.param(CANTEEN, 1.0, "个", "个", False, id="zhi-you-yi-ge"),
        pytest.param(CANTEEN, 10.0, "小时", "小时", True, id="zuo-you"),
        pytest.param(CANTEEN, 1400.0, "公里", "公里", False, id="distance"),
        pytest.param("良率可能在九成以上。", 90.0, "%", "成", True, id="cheng"),
        pytest.param("有效专利三千一百八十五件。", 3185.0, "件", "件", False, id="chinese-numeral"),
        pytest.param("收入１２，３４５元。", 12.0, None, None, False, id="full-width-comma-is-a-break"),
        pytest.param("收入１２３４５元。", 12345.0, "元", "元", False, id="full-width-digits"),
        pytest.param("投资1,234,567.5元。", 1234567.5, "元", "元", False, id="thousands"),
        pytest.param("装机120万千瓦。", 1200000.0, "千瓦", "万千瓦", False, id="wan-qianwa"),
        pytest.param("赔偿5千元。", 5000.0, "元", "千元", False, id="qian-after-digits"),
        pytest.param("规模2万亿元。", 2000000000000.0, "元", "万亿元", False, id="wan-yi"),
        pytest.param("两千〇五件。", 2005.0, "件", "件", False, id="ling"),
        # sina/sina, 163/5, 163/2 (2019): data rates, areas, 多 inside a duration, a duration bounded by 内.
        pytest.param("全球最快的2.3Gbps峰值下载速率。", 2.3, "Gbps", "Gbps", False, id="gbps"),
        pytest.param("不到一平方厘米装下69亿个晶体管。", 1.0, "平方厘米", "平方厘米", True, id="bu-dao-yi"),
        pytest.param("比赛第三节还剩8分多钟。", 8.0, "分钟", "分钟", True, id="fen-duo-zhong"),
        pytest.param("成年人也需要走一个多小时。", 1.0, "小时", "个小时", True, id="ge-duo-xiao-shi"),
        pytest.param("一位快递小哥一个月内5次被停机。", 1.0, "月", "个月", False, id="yi-ge-yue-nei"),
        pytest.param("他读了MBA课程，考了3 MBA。", 3.0, None, None, False, id="latin-unit-runs-on"),
        pytest.param("张三、李四两人获奖。", 42.0, None, None, False, id="liang-after-a-digit-is-no-digit"),
    ],
)
def test_scale(text: str, value: float, unit: str | None, unit_written: str | None, approx: bool) -> None:
    if unit_written is None:
        assert not [m for m in extract_metrics(text) if m.value == value]
        return
    got = _one(text, value, unit)
    assert (got.unit_written, got.approx) == (unit_written, approx)


@pytest.mark.parametrize(
    ("text", "values", "unit"),
    [
        pytest.param(LONGFOR_COSTS, [3450000000.0, 5090000000.0, 8590000000.0], "元", id="dun-hao-he"),
        pytest.param(DG_RISE, [10.4, 17.3, 17.8], "%", id="dun-hao-percent"),
        pytest.param(DORM, [6.0, 8.0], "人", id="range-dao"),
        pytest.param("良率大约五到六成。", [50.0, 60.0], "%", id="range-cheng"),
        pytest.param("比重一直处于39%至41%之间。", [39.0, 41.0], "%", id="range-zhi"),
        pytest.param("分别为3万元、5万元以及7万元。", [30000.0, 50000.0, 70000.0], "元", id="yi-ji"),
        pytest.param("投资3与4.5亿元。", [300000000.0, 450000000.0], "元", id="yu"),
        # A bare figure with its own multiplier takes the range's unit and keeps its multiplier.
        pytest.param("每亩年收入可达6万至8万元。", [60000.0, 80000.0], "元", id="range-own-multiplier"),
        pytest.param("投资由5亿到8万元不等。", [500000000.0, 80000.0], "元", id="range-two-multipliers"),
    ],
)
def test_list_items_each_scaled(text: str, values: list[float], unit: str) -> None:
    got = [m.value for m in extract_metrics(text) if m.unit == unit]
    assert got == values


@pytest.mark.parametrize(
    ("text", "published_at", "value", "period", "first", "last"),
    [
        pytest.param(
            DG_PERIOD, "2019-09-07", 6.8, "2019年1-7月", "2019-01-01", "2019-07-31", id="year-month-range"
        ),
        pytest.param(
            DG_PERIOD, "2019-09-07", 4.4, "2019年1-7月", "2019-01-01", "2019-07-31", id="same-sentence"
        ),
        pytest.param(
            "今年一季度产业产值增长14.1%。",
            "2025-04-20",
            14.1,
            "今年一季度",
            "2025-01-01",
            "2025-03-31",
            id="q1",
        ),
        pytest.param(
            "上半年，龙湖营业额同比增长42.2%。",
            "2019-09-07",
            42.2,
            "上半年",
            "2019-01-01",
            "2019-06-30",
            id="half",
        ),
        pytest.param(
            "前三季度销量增长5%。", "2024-11-02", 5.0, "前三季度", "2024-01-01", "2024-09-30", id="first-3q"
        ),
        pytest.param(
            "1-4月销量增长5%。", "2024-05-20", 5.0, "1-4月", "2024-01-01", "2024-04-30", id="months"
        ),
        pytest.param(
            "去年销量增长5%。", "2024-05-20", 5.0, "去年", "2023-01-01", "2023-12-31", id="last-year"
        ),
        pytest.param("2024年销量增长5%。", None, 5.0, "2024年", "2024-01-01", "2024-12-31", id="year"),
        pytest.param(
            "2月份销量增长5%。", "2024-05-20", 5.0, "2月份", "2024-02-01", "2024-02-29", id="leap-month"
        ),
        pytest.param(
            "前4个月销量增长5%。", "2024-05-20", 5.0, "前4个月", "2024-01-01", "2024-04-30", id="first-n"
        ),
        pytest.param("销量较去年同期增长5%。", "2024-05-20", 5.0, None, None, None, id="base-is-no-period"),
    ],
)
def test_period(
    text: str, published_at: str | None, value: float, period: str | None, first: str | None, last: str | None
) -> None:
    got = _one(text, value, "%", published_at)
    assert (got.period, got.period_start, got.period_end) == (period, first, last)


@pytest.mark.parametrize(
    ("text", "value", "unit", "kind"),
    [
        pytest.param(EXAM, 183.0, "%", "rate", id="wan-cheng-lv"),
        pytest.param("设计业和制造业的增长率超过20%。", 20.0, "%", "rate", id="zeng-zhang-lv"),
        pytest.param("失业率为5.2%。", 5.2, "%", "rate", id="shi-ye-lv"),
        pytest.param(DG_SURVEY, 24.6, "%", "share", id="zhan"),
        pytest.param(DG_SURVEY, 587.0, "家", "count", id="count"),
        pytest.param(PRIZE, 1000000.0, "美元", "amount", id="money"),
        pytest.param(EXAM, 885.0, "名", "count", id="students"),
        pytest.param("笔者率队调研了20家企业。", 20.0, "家", "count", id="lv-dui-is-a-verb"),
        # mingridapan/1, xds/1, 163/7 (unlabeled news_html_gold pages)
        pytest.param("全球经济增长率也将从3%降至2.3%。", 2.3, "%", "rate", id="level-keeps-the-measure"),
        pytest.param("9月26日，按150%拨备覆盖率计算。", 150.0, "%", "rate", id="rate-named-after"),
        pytest.param("成交额保持着100%以上的月环比增长。", 100.0, "%", "growth", id="growth-named-after"),
    ],
)
def test_kind(text: str, value: float, unit: str, kind: str) -> None:
    assert _one(text, value, unit).kind == kind


def test_subject_from_an_entity_named_before() -> None:
    start = DG_SURVEY.index("东莞")
    dongguan = Mention("location", "东莞市", "东莞", start, start + 2, "city")
    got = [m for m in extract_metrics(DG_SURVEY, "2019-09-07", (dongguan,)) if m.value == 587.0]
    assert got and got[0].subject == "东莞市"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("19年前，陈校长在杭州长河高级中学创办了浙江省首届宏志班。", id="years-ago"),
        pytest.param("在第35个教师节来临之际。", id="ordinal"),
        pytest.param("特别是这两个领域的交叉方向。", id="demonstrative"),
        pytest.param("下设“生命科学奖”、“物质科学奖”、“数学与计算机科学奖”三个奖项。", id="list-summary"),
        pytest.param("但仅有1/3投资者在减仓。", id="fraction"),
        pytest.param("台江民中每年都有十几位教师离职。", id="shi-ji"),
        pytest.param("请拨打010-12345678咨询。", id="phone"),
        pytest.param("这两大世界最安全的密码算法却在2004年和2005年被王小云先后破解了。", id="years-list"),
        pytest.param("庆祝建国70周年。", id="anniversary"),
        pytest.param("千万不要忘记。", id="qian-wan-adverb"),
        # Real phrases from unlabeled news_html_gold pages (sxmu/1, qq/2, gamersky, sina/4, thepaper/3, thepaper/1).
        pytest.param("第二十三条 监察机关调查涉嫌贪污贿赂。", id="ordinal-inside-numeral"),
        pytest.param("近一两年P2P爆雷潮。", id="yi-liang-estimate"),
        pytest.param("版本更新都安排在周四，是以周三周四这两天的官方。", id="weekday"),
        pytest.param("拍摄视频方面，iPhone 11支持更好的电子防抖。", id="model-name"),
        pytest.param("贯彻落实十九届四中全会精神。", id="session"),
        pytest.param("据不完全统计，仅2017年上半年，共享充电宝行业先后获得了融资。", id="shang-ban-nian"),
        # sina/3, qq, guancha/2 (2019): a bond tenor, a work's title, a ticker widget, double digits.
        pytest.param("美国10年期国债收益率可能下降。", id="tenor"),
        pytest.param("积累出《56个民族新儿歌》等作品。", id="inside-a-title"),
        pytest.param("摩根大通(115.395 , 2.79 , 2.47% ) 等。", id="ticker"),
        pytest.param("集成电路产业继续维持两位数的高速增长。", id="liang-wei-shu"),
        pytest.param("今年前4个月，我国货物贸易进出口额增长较快。", id="first-n-months-is-a-period"),
    ],
)
def test_not_metrics(text: str) -> None:
    assert extract_metrics(text) == ()


def _bodies() -> list[str]:
    path = SHARED_DATA / "news_html_gold" / "gold_unified.jsonl"
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return [r["body_text"] for r in rows if r.get("body_text")]


def _check_spans(text: str) -> None:
    for m in extract_metrics(text):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start] in "0123456789０１２３４５６７８９〇零一二两三四五六七八九十百千半", text[
            m.start : m.end
        ]
        assert m.value >= 0 or m.kind == "growth", m  # only a change can be negative


def test_every_span_lies_within_the_seed_text() -> None:
    _check_spans(SEED.read_text(encoding="utf-8"))


def test_every_span_lies_within_any_slice_of_the_seed() -> None:
    # Slices cut figures, lists and periods at arbitrary places: spans must still stay inside the slice.
    seed = SEED.read_text(encoding="utf-8")
    for start in range(0, len(seed), 37):
        for length in (1, 5, 17, 120):
            _check_spans(seed[start : start + length])


@needs_shared
def test_every_span_lies_within_the_text_on_real_pages() -> None:
    for body in _bodies():
        _check_spans(body)


def test_a_period_stops_at_a_semicolon_unless_it_opens_the_sentence() -> None:
    seed = "今年一季度产业产值增长14.1%；获批筹建柳州螺蛳粉、融安金桔2个国家地理标志产品保护示范区。"
    assert _one(seed, 2.0, "个", "2025-04-20").period is None
    longfor = "上半年，龙湖实现合约销售金额1056.2亿元，同比增长8.8%；营业额385.7亿元，同比增长42.2%。"
    assert _one(longfor, 38570000000.0, "元", "2019-09-07").period_end == "2019-06-30"


def test_period_search_finds_what_the_full_pattern_finds() -> None:
    """The search that skips non-starting chars finds every non-empty PERIOD_RE match (the pattern may change)."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SAMPLES.glob("*.txt"))]
    texts.append(
        "2024年前三季度，今年一季度、上半年、1-4月、前5个月、十二月份和全年，比去年同期，第4季度，下半年"
    )
    found = 0
    for text in texts:
        full = [m.span() for m in PERIOD_RE.finditer(text) if m.end() > m.start()]
        fast = [m.span() for m in _PERIOD_SEARCH.finditer(text) if m.end() > m.start()]
        assert full == fast
        found += len(full)
    assert found >= 12


def test_number_search_matches_as_without_its_start_lookahead() -> None:
    """The first-char lookahead of the figure scan changes no match (the number pattern may change)."""
    lookahead = "(?=[0-9０-９〇零一二两三四五六七八九十百千半])"
    plain = re.compile(_NUMBER_RE.pattern.removeprefix(lookahead))
    text = (
        DG_DECLINE
        + DG_RISE
        + DG_PERIOD
        + DG_SURVEY
        + "一个半小时，两年半，五万元，一亿三千万，３．５％，上半年，百余人"
    )
    spans = [m.span() for m in plain.finditer(text)]
    assert _NUMBER_RE.pattern.startswith(lookahead)
    assert [m.span() for m in _NUMBER_RE.finditer(text)] == spans and len(spans) >= 15


def test_a_numeral_counting_the_names_before_it_is_no_metric() -> None:
    # chinese_article_001 (新华网 2019): 中美两个大国 counts the two places it follows; 北京三家医院 counts hospitals.
    text = "中美两个大国必须深化合作。"
    places = (Mention("location", "中国", "中", 0, 1), Mention("location", "美国", "美", 1, 2))
    assert extract_metrics(text, entities=places) == ()
    beijing = (Mention("location", "北京市", "北京", 0, 2),)
    assert [m.value for m in extract_metrics("北京三家医院接收了病人。", entities=beijing)] == [3.0]


def test_a_bare_range_with_multipliers_and_no_unit_stays() -> None:
    assert [(m.value, m.unit) for m in extract_metrics("收入6万到8万。")] == [
        (60000.0, None),
        (80000.0, None),
    ]


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        (
            "据国家统计局消息，全国居民消费价格同比上涨2.1%。",
            "国家统计局",
        ),  # a change: the body named before it
        ("调查覆盖广州市312家企业。", "广州市"),  # bodies counted in a place
        ("据新华社报道，大桥将封闭施工22天。", None),  # a duration: the body before it is no subject
        ("新华社讯，当升科技以9614.5万元竞得地块。", None),  # a sum after a news agency
    ],
)
def test_an_entity_before_a_figure_is_its_subject_only_for_rates_and_counted_bodies(
    text: str, subject: str | None
) -> None:
    entities = extract_facts(text).mentions
    assert extract_metrics(text, None, entities)[-1].subject == subject


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("坚持“三个代表”重要思想。", []),  # a slogan's name
        ("统筹推进“五位一体”总体布局。", []),
        ("他说“3000万元”是底线。", [30000000.0]),  # a quoted quantity
        ("实现“1.5小时交通圈”。", [1.5]),  # a target in digits
    ],
)
def test_a_chinese_numeral_opening_a_quoted_term_is_no_metric(text: str, values: list[float]) -> None:
    assert [m.value for m in extract_metrics(text)] == values


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("她已经可以在水下屏住呼吸2分35秒了。", 155.0, "秒"),  # one duration, not 35 seconds
        ("历时1小时20分钟的会议结束。", 80.0, "分钟"),  # one duration, not two metrics
        ("他以2小时17分的成绩夺冠。", 137.0, "分钟"),
        ("比赛用时1小时20分30秒。", 4830.0, "秒"),
    ],
)
def test_a_clock_like_duration_is_one_figure_in_its_smallest_unit(text: str, value: float, unit: str) -> None:
    assert [(m.value, m.unit) for m in extract_metrics(text)] == [(value, unit)]


def test_a_score_in_points_is_no_duration() -> None:
    assert extract_metrics("他得了5分，对手得了3分。") == ()


def test_a_change_over_a_base_period_is_in_this_period() -> None:
    """比上年增加178亿斤 is this year's change (its period is 全年); 比2017年的2073.5亿元 is the base year's value."""
    change = _one("全年粮食产量13908亿斤，比上年增加178亿斤，增长1.3%。", 17800000000.0, "斤", "2024-05-20")
    assert (change.kind, change.period, change.period_start) == ("growth", "全年", "2024-01-01")
    base = _one("2018年营业收入为2500亿元，比2017年的2073.5亿元增长20.6%。", 207350000000.0, "元")
    assert (base.period, base.period_start, base.subject) == ("2017年", "2017-01-01", None)
