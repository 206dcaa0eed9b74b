"""Units a figure can carry: the base unit it is stored in, its scale to that base, and its family."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    """A unit as written, the base unit `value` is stored in, the factor to it, and what it measures."""

    written: str
    base: str
    scale: float
    family: str  # "money" | "share" | "points" | "ratio" | "count" | "duration" | "measure"


# Classifiers of counted things (3185件, 4176亿块) and units of physical measures (1400公里, 1.38平方公里).
_COUNT_WORDS = "个 件 家 名 位 人 人次 户 项 次 台 辆 所 座 条 套 部 块 款 幢 栋 幅 届 本 口 只 头 架 艘 场 批 处 份 篇 例 宗 枚 株 棵 颗 箱 支 匹 起 张 股 首 记"
_MEASURE_WORDS = (
    "公里 千米 米 厘米 公分 毫米 纳米 微米 平方公里 平方千米 平方米 平方厘米 平方英里 立方米 立方厘米 公顷 亩 吨 公斤 千克 克 "
    "升 毫升 千瓦 千瓦时 兆瓦 瓦 度电 像素 海里 英里 英尺 英寸 摄氏度 华氏度 分贝 马力 光年 毫安时 斤 桶 标准箱"
)
# Units written in Latin letters (2.3Gbps, 128GB): matched only where no letter follows, so 5G or MBA is none.
_LATIN_MEASURE_WORDS = "Gbps Mbps Kbps kbps GB MB TB KB GHz MHz mAh nm"
# Measure words that also follow a classifier 个 (个小时, 个月, 个年头): the base unit drops the 个.
_TABLE: tuple[tuple[str, str, float, str], ...] = (
    *((u, "元", 1.0, "money") for u in ("元", "元人民币", "块钱")),
    *((u, u, 1.0, "money") for u in ("美元", "欧元", "港元", "港币", "日元", "英镑", "卢比", "卢布", "韩元")),
    ("%", "%", 1.0, "share"),
    ("％", "%", 1.0, "share"),
    ("‰", "‰", 1.0, "share"),
    ("成", "%", 10.0, "share"),  # 九成 = 90 %
    ("个百分点", "百分点", 1.0, "points"),
    ("百分点", "百分点", 1.0, "points"),
    ("个基点", "基点", 1.0, "points"),  # 降息25个基点: a basis point, 0.01 percentage point
    ("基点", "基点", 1.0, "points"),
    ("倍", "倍", 1.0, "ratio"),
    *((u, u, 1.0, "count") for u in _COUNT_WORDS.split()),
    *((u, u, 1.0, "duration") for u in ("小时", "分钟", "秒", "秒钟", "天", "周", "年", "岁", "星期")),
    ("个小时", "小时", 1.0, "duration"),
    ("个钟头", "小时", 1.0, "duration"),
    ("个月", "月", 1.0, "duration"),
    ("个年头", "年", 1.0, "duration"),
    ("个星期", "星期", 1.0, "duration"),
    ("个工作日", "工作日", 1.0, "duration"),
    ("个交易日", "交易日", 1.0, "duration"),
    *((u, u, 1.0, "measure") for u in _MEASURE_WORDS.split()),
    *((u, u, 1.0, "measure") for u in _LATIN_MEASURE_WORDS.split()),
)
UNITS: dict[str, Unit] = {w: Unit(w, b, s, f) for w, b, s, f in _TABLE}
_LATIN_UNITS = frozenset(_LATIN_MEASURE_WORDS.split())
_LONGEST = max(len(w) for w in UNITS)
# 万/亿 scale what follows them (2519.3亿元, 4176亿块, 120万千瓦); 千/百/十 only after Arabic digits (5千元).
MULTIPLIERS: dict[str, float] = {"万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3, "百": 100.0, "十": 10.0}


def match_unit(text: str, pos: int) -> Unit | None:
    """The longest unit written at `pos`, or None."""
    for n in range(min(_LONGEST, len(text) - pos), 0, -1):
        unit = UNITS.get(text[pos : pos + n])
        if unit is not None:
            after = text[pos + n : pos + n + 1]
            if unit.written in _LATIN_UNITS and after.isascii() and after.isalpha():
                return None  # 3 MBA, 5 GBq: the letters run on into a word
            return unit
    return None


def match_multiplier(text: str, pos: int, small: bool) -> str:
    """The multiplier written at `pos` (万亿, 亿, 万; with `small` also 千, 百, 十), or ""."""
    for mult in MULTIPLIERS:
        if text.startswith(mult, pos) and (small or mult in ("万亿", "亿", "万")):
            return mult
    return ""
