"""End-to-end facts of the seed article against the hand-written golden file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tasks.transforms.facts import extract_facts
from tasks.transforms.models import Facts
from tasks.transforms.normalize import normalize_text

SEED = Path(__file__).parents[1] / "fixtures" / "seed"
GOLDEN = json.loads(
    (SEED / "china_daily_2025-04-20_liuzhou_ip_week.expected.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def text() -> str:
    raw = (SEED / "china_daily_2025-04-20_liuzhou_ip_week.txt").read_text(encoding="utf-8")
    return normalize_text(raw).text


@pytest.fixture(scope="module")
def facts(text: str) -> Facts:
    return extract_facts(text)


@pytest.mark.parametrize("field", ["agency", "bureau", "reporter"])
def test_byline(facts: Facts, text: str, field: str) -> None:
    assert facts.byline is not None
    assert getattr(facts.byline, field) == GOLDEN["byline"][field]
    assert GOLDEN["byline"]["reporter"] in text[facts.byline.start : facts.byline.end]


@pytest.mark.parametrize("role", GOLDEN["roles"], ids=lambda r: f"{r['person']}-{r['title']}")
def test_role(facts: Facts, text: str, role: dict[str, str]) -> None:
    got = [r for r in facts.roles if (r.person, r.title) == (role["person"], role["title"])]
    assert got, f"no role {role['person']} {role['title']} in {facts.roles}"
    assert got[0].organization == role["organization"]
    assert text[got[0].start : got[0].end].endswith(role["person"])


@pytest.mark.parametrize("field", ["name", "event_date", "location", "organizers", "guided_by"])
def test_event(facts: Facts, text: str, field: str) -> None:
    expected = GOLDEN["event"]
    events = [e for e in facts.events if e.name == expected["name"]]
    assert events, f"event missing; got {[e.name for e in facts.events]}"
    value = getattr(events[0], field)
    assert (list(value) if isinstance(value, tuple) else value) == expected[field]
    assert expected["name"] in text[events[0].start : events[0].end]


@pytest.mark.parametrize("metric", GOLDEN["metrics"], ids=lambda m: f"{m['value']}{m['unit']}")
@pytest.mark.parametrize(
    "field", ["unit", "measure", "subject", "kind", "period", "period_start", "period_end"]
)
def test_metric(facts: Facts, text: str, metric: dict[str, object], field: str) -> None:
    got = [m for m in facts.metrics if m.value == metric["value"] and m.unit == metric["unit"]]
    assert len(got) == 1, f"metric {metric['value']}{metric['unit']}: {got}"
    if field in metric:
        assert getattr(got[0], field) == metric[field]
    assert text[got[0].start : got[0].end].startswith(str(metric["value"]).removesuffix(".0"))


def test_years_and_dates_are_not_metrics(facts: Facts) -> None:
    assert not [m for m in facts.metrics if str(m.value).removesuffix(".0") in GOLDEN["not_metrics"]]


@pytest.mark.parametrize("date", GOLDEN["period_dates"], ids=lambda d: d["surface"])
def test_date(facts: Facts, text: str, date: dict[str, str]) -> None:
    got = [d for d in facts.dates if d.surface == date["surface"]]
    assert got and got[0].iso == date["iso"]
    assert text[got[0].start : got[0].end] == date["surface"]


@pytest.mark.parametrize("speaker", GOLDEN["quote_speakers"])
def test_quote_speaker(facts: Facts, text: str, speaker: str) -> None:
    got = [q for q in facts.quotes if q.speaker == speaker]
    assert got, f"no quote by {speaker}: {[q.speaker for q in facts.quotes]}"
    span = text[got[0].start : got[0].end]
    assert span.startswith(speaker) and got[0].text in span


@pytest.mark.parametrize("name", GOLDEN["organizations"])
def test_organization(facts: Facts, name: str) -> None:
    assert name in {m.name for m in facts.mentions if m.kind == "organization"}


@pytest.mark.parametrize("location", GOLDEN["locations"], ids=lambda loc: loc["name"])
def test_location(facts: Facts, location: dict[str, str]) -> None:
    got = {(m.name, m.level) for m in facts.mentions if m.kind == "location"}
    assert (location["name"], location["level"]) in got


@pytest.mark.parametrize("name", GOLDEN["persons"])
def test_person(facts: Facts, name: str) -> None:
    assert name in {m.name for m in facts.mentions if m.kind == "person"}


def test_every_mention_points_at_its_surface(facts: Facts, text: str) -> None:
    for m in facts.mentions:
        assert text[m.start : m.end] == m.surface, m
    for d in facts.dates:
        assert text[d.start : d.end] == d.surface, d
    for r in facts.roles:
        assert r.person in text[r.start : r.end], r


def test_event_date_with_published_at_of_another_year() -> None:
    facts = extract_facts("4月20日，启动仪式在柳州举行。", published_at="2024-04-21")
    assert facts.events[0].event_date == "2024-04-20"
