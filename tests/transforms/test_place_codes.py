"""Places with codes (adcode, level, parent; ISO country codes) and linked entities (aliases), on real pages."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from tasks.files import discover_inputs, read_refs
from tasks.transforms.facts import extract_facts
from tasks.transforms.facts.data.adcodes import country_codes, divisions, short_form
from tasks.transforms.facts.place_codes import resolve_places
from tasks.transforms.models import Article
from tasks.transforms.pipeline import process_documents
from tests.conftest import SAMPLES, SEED, SHARED_DATA, needs_shared

PAGES = SHARED_DATA / "news_html_gold" / "gne_silver" / "html"


@lru_cache(maxsize=8)
def _article(path: Path) -> Article:
    articles, _ = process_documents(read_refs(discover_inputs([str(path)]))[0])
    return articles[0]


def test_every_parent_is_a_division_one_level_up() -> None:
    table = divisions()
    rank = {"province": 0, "city": 1, "county": 2}
    assert len(table) > 3000
    for d in table.values():
        assert len(d.adcode) == 6 and d.adcode.isdigit(), d
        if d.parent is None:
            assert d.level == "province", d
        else:
            assert rank[table[d.parent].level] < rank[d.level], d


def test_country_codes_are_iso_alpha_2_and_leave_china_s_divisions_out() -> None:
    codes = country_codes()
    assert (codes["美国"], codes["英国"], codes["巴西"], codes["中国"]) == ("US", "GB", "BR", "CN")
    assert all(len(c) == 2 and c.isupper() for c in codes.values())
    assert "香港" not in codes and "台湾" not in codes


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("台江县", "台江"),
        ("恩施土家族苗族自治州", "恩施"),
        ("三江侗族自治县", "三江"),
        ("城区", None),
        ("东区", None),
    ],
)
def test_short_forms(name: str, short: str | None) -> None:
    assert short_form(name) == short


def _code(mentions: list[tuple[str, int]], name: str) -> tuple[str, str | None, str | None] | None:
    place = resolve_places(mentions).get(name)
    return None if place is None else (place.name, place.adcode, place.parent)


@pytest.mark.parametrize(
    ("mentions", "name", "expected"),
    [
        ([("柳州市", 0)], "柳州市", ("柳州市", "450200", "广西壮族自治区")),
        ([("台江县", 0), ("台江", 3)], "台江", ("台江县", "522630", "黔东南苗族侗族自治州")),
        ([("北京市", 0), ("朝阳", 0)], "朝阳", ("北京市朝阳区", "110105", "北京市")),
        ([("辽宁省", 1), ("朝阳", 1)], "朝阳", ("朝阳市", "211300", "辽宁省")),
        ([("长春市", 0), ("朝阳区", 4)], "朝阳区", ("长春市朝阳区", "220104", "长春市")),
        ([("朝阳区", 0)], "朝阳区", ("朝阳区", None, None)),  # a district, but whose is unknown: no code
        ([("北京市", 0), ("长春市", 1), ("朝阳区", 2)], "朝阳区", ("朝阳区", None, None)),  # both fit: no guess
        ([("北京市", 0), ("朝阳", 2)], "朝阳", None),  # a short form needs its parent in the same sentence
        ([("广西壮族自治区", 0), ("江南", 5)], "江南", None),  # the region, not 南宁's 江南区
        ([("美国", 0)], "美国", ("美国", None, None)),
    ],
    ids=["unique", "short-after-full", "beijing-chaoyang", "liaoning-chaoyang", "changchun-district",
         "no-context", "two-contexts", "short-other-sentence", "region", "country"],
)  # fmt: skip
def test_ambiguous_names_resolve_only_by_context(
    mentions: list[tuple[str, int]], name: str, expected: tuple[str, str | None, str | None] | None
) -> None:
    assert _code(mentions, name) == expected


def test_liuzhou_and_its_short_form_are_one_place_with_code_and_parent() -> None:
    facts = extract_facts(SEED.read_text(encoding="utf-8"))
    liuzhou = {m.surface for m in facts.mentions if m.name == "柳州市"}
    assert {"柳州", "柳州市"} <= liuzhou
    places = {p.name: p for p in facts.places}
    assert (places["柳州市"].adcode, places["柳州市"].level, places["柳州市"].parent) == (
        "450200",
        "city",
        "广西壮族自治区",
    )
    assert (places["广西壮族自治区"].adcode, places["广西壮族自治区"].parent) == ("450000", "中国")
    assert places["中国"].country_code == "CN"


def test_surname_before_title_is_an_alias_never_a_person() -> None:
    facts = _article(SAMPLES / "people_2024-04-24_china_lac_space_forum.html").facts
    assert any(a.alias == "习" and a.name == "习近平" and a.kind == "person" for a in facts.aliases)
    assert "习" not in {m.name for m in facts.mentions}


def test_a_division_followed_by_zhengfu_is_its_people_s_government() -> None:
    facts = extract_facts("长春市人民政府发布通知。长春市政府召开新闻发布会，市政府副秘书长介绍情况。")
    governments = {m.surface: m.name for m in facts.mentions if m.kind == "organization"}
    assert governments == {
        "长春市人民政府": "长春市人民政府",
        "长春市政府": "长春市人民政府",
        "市政府": "长春市人民政府",
    }
    assert ("长春市政府", "official_name") in {(a.alias, a.rule) for a in facts.aliases}


def test_a_short_form_after_an_ordinary_word_is_not_linked() -> None:
    facts = extract_facts("所以数据公司表示同意。数据公司随后发布公告。")
    assert all(a.name != "所以数据公司" for a in facts.aliases)


@needs_shared
@pytest.mark.parametrize(
    ("page", "kind", "alias", "name"),
    [
        ("toutiao/5.html", "organization", "邮政局", "国家邮政局"),
        ("toutiao/5.html", "organization", "金银潭医院", "武汉金银潭医院"),
        ("ifeng/2.html", "location", "台江", "台江县"),
        ("ifeng/3.html", "organization", "长春市政府", "长春市人民政府"),
    ],
)
def test_real_pages_link_short_forms_to_the_full_name(page: str, kind: str, alias: str, name: str) -> None:
    facts = _article(PAGES / page).facts
    assert (kind, alias, name) in {(a.kind, a.alias, a.name) for a in facts.aliases}
    assert all(m.name != alias for m in facts.mentions if m.kind == kind), (
        "the short form is no entity of its own"
    )


@needs_shared
def test_taijiang_county_carries_its_code_and_chain() -> None:
    places = {p.name: p for p in _article(PAGES / "ifeng" / "2.html").facts.places}
    assert (places["台江县"].adcode, places["台江县"].parent) == ("522630", "黔东南苗族侗族自治州")
    assert places["黔东南苗族侗族自治州"].parent == "贵州省"
