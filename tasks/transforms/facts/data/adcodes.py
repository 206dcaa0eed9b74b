"""The division and country tables (adcodes.tsv, countries.tsv; written by scripts/build_adcodes.py), loaded once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ADCODES = Path(__file__).with_name("adcodes.tsv")
COUNTRIES = Path(__file__).with_name("countries.tsv")
CHINA = "中国"
# What a division's name ends with; the rest (two chars or more) is the short form news write (台江县 -> 台江,
# 恩施土家族苗族自治州 -> 恩施). The peoples of an autonomous name (those named in divisions) go with the suffix.
_PEOPLES = (
    "壮 回 维吾尔 藏 蒙古 朝鲜 土家 苗 侗 布依 彝 白 哈尼 傣 景颇 傈僳 羌 哈萨克 柯尔克孜 锡伯 塔吉克 满 瑶 黎 畲 仡佬 水 "
    "毛南 仫佬 纳西 普米 拉祜 佤 布朗 独龙 怒 基诺 阿昌 德昂 裕固 东乡 保安 撒拉 土 达斡尔 鄂温克 鄂伦春 各"
).split()
_SUFFIX = re.compile(
    "(?:(?:" + "|".join(sorted(_PEOPLES, key=len, reverse=True)) + ")族|维吾尔)*"  # 新疆维吾尔自治区: no 族
    "(?:自治州|自治县|自治旗|自治区|特别行政区|地区|林区|特区|省|市|县|区|旗|盟)"
)


@dataclass(frozen=True)
class Division:
    """One administrative division of China."""

    adcode: str
    name: str
    level: str  # province | city | county (districts are county level)
    parent: str | None  # adcode of the enclosing division; None for a province


def short_form(name: str) -> str | None:
    """The name without its administrative suffix when two or more chars remain (台江县 -> 台江; 城区 -> None)."""
    # The suffix may start at any char from the third on: the first start that matches to the end is the longest.
    for start in range(2, len(name)):
        if _SUFFIX.fullmatch(name, start):
            return name[:start]
    return None


def _tsv_rows(path: Path) -> list[list[str]]:
    """The tab-separated fields of each line of a data file, its `#` header left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """Every division by adcode."""
    return {
        code: Division(code, name, level, parent or None) for code, name, level, parent in _tsv_rows(ADCODES)
    }


@lru_cache(maxsize=1)
def divisions_by_name() -> dict[str, tuple[Division, ...]]:
    """Full name -> the divisions so named (朝阳区: one in Beijing, one in Changchun)."""
    out: dict[str, list[Division]] = {}
    for d in divisions().values():
        out.setdefault(d.name, []).append(d)
    return {name: tuple(ds) for name, ds in out.items()}


@lru_cache(maxsize=1)
def divisions_by_short_form() -> dict[str, tuple[Division, ...]]:
    """Short form -> the divisions it may name (朝阳: 朝阳市, 朝阳县 and two 朝阳区)."""
    out: dict[str, list[Division]] = {}
    for d in divisions().values():
        short = short_form(d.name)
        if short is not None and short not in divisions_by_name():
            out.setdefault(short, []).append(d)
    return {name: tuple(ds) for name, ds in out.items()}


def ancestors(division: Division) -> list[Division]:
    """The enclosing divisions, nearest first (county -> city -> province)."""
    table, out = divisions(), []
    code = division.parent
    while code is not None:
        out.append(table[code])
        code = table[code].parent
    return out


@lru_cache(maxsize=4096)
def display_name(adcode: str) -> str:
    """The entity name of a division: its name, led by its parent's when the name alone is not unique."""
    d = divisions()[adcode]
    if len(divisions_by_name()[d.name]) == 1 or d.parent is None:
        return d.name
    return display_name(d.parent) + d.name


@lru_cache(maxsize=1)
def country_codes() -> dict[str, str]:
    """Chinese country name -> ISO 3166-1 alpha-2."""
    return {name: code for name, code in _tsv_rows(COUNTRIES)}
