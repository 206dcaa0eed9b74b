"""Street addresses as one place span, over hand-built mentions and through extract_facts."""

from __future__ import annotations

import pytest

from tasks.transforms.facts import extract_facts
from tasks.transforms.facts.addresses import is_address, join_addresses, leading_divisions
from tasks.transforms.facts.data.adcodes import divisions_by_name
from tasks.transforms.models import Mention


def _loc(text: str, surface: str, kind: str = "location") -> Mention:
    start = text.index(surface)
    return Mention(kind, surface, surface, start, start + len(surface))


def test_a_chain_of_places_closed_by_a_street_number_is_one_address() -> None:
    text = "会场设在广州市天河区天河路208号，由张明主持。"
    mentions = (
        _loc(text, "广州市"),
        _loc(text, "天河区"),
        _loc(text, "天河路"),
        _loc(text, "张明", "person"),
    )
    got = join_addresses(text, mentions)
    assert [(m.kind, m.surface) for m in got] == [("location", "广州市天河区天河路208号"), ("person", "张明")]


def test_a_street_the_recogniser_cut_is_taken_whole() -> None:
    text = "住在北京市朝阳区建国门外大街1号。"
    mentions = (_loc(text, "北京市"), _loc(text, "朝阳区"), _loc(text, "大街1号"))
    assert [m.surface for m in join_addresses(text, mentions)] == ["北京市朝阳区建国门外大街1号"]


@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        ("云南省红河州弥勒县竹园镇", ["云南省", "红河州", "弥勒县", "竹园镇"]),  # no street number: divisions
        ("英国首相入主唐宁街10号。", ["英国", "唐宁街10号"]),  # the street is a name of its own
        ("上海市的南京路很热闹。", ["上海市", "南京路"]),  # a street without a number
    ],
)
def test_places_without_an_address_stay_apart(text: str, surfaces: list[str]) -> None:
    mentions = tuple(_loc(text, s) for s in surfaces)
    assert join_addresses(text, mentions) == mentions


def test_the_divisions_inside_an_address_keep_their_codes() -> None:
    facts = extract_facts("活动在位于上海市徐汇区漕溪北路88号的大楼举行。")
    assert [(m.kind, m.surface) for m in facts.mentions] == [("location", "上海市徐汇区漕溪北路88号")]
    assert {p.name: p.adcode for p in facts.places}.get("徐汇区") == "310104"


def test_address_parts() -> None:
    assert is_address("杭州市余杭区文一西路969号") and not is_address("杭州市余杭区")
    assert leading_divisions("杭州市余杭区文一西路969号", divisions_by_name()) == ["杭州市", "余杭区"]
