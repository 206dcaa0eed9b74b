"""Lexicon NER (find_entities) on real sentences, and floors on the ner_gold / facts_gold evaluations."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.transforms.facts.entities import find_entities

SHARED = Path(__file__).parents[3] / "shared" / "data"
needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="../shared/data is absent")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Source: news_html_gold gne_silver tests/guancha/2.html (观察者网, 2019-09-07)
        pytest.param(
            "清华大学微电子所所长魏少军表示",
            {("organization", "清华大学")},
            id="guancha",
        ),
        pytest.param(
            "清华大学微电子所所长魏少军表示",
            {("person", "魏少军")},
            id="guancha-person-known-miss",
            marks=pytest.mark.xfail(reason="少军 is not read as a given name yet", strict=True),
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


@needs_shared
@pytest.mark.parametrize(("dataset", "floor"), [("msra", 0.60), ("peoples_daily", 0.54)])
def test_ner_micro_f1_floor(dataset: str, floor: float) -> None:
    from bench.eval_ner import DATASETS, load_sentences, ours_entities, score

    rows = load_sentences(SHARED / "ner_gold" / DATASETS[dataset] / "sentences_spans.jsonl")
    gold = [{(e["type"], e["start"], e["end"]) for e in r["entities"]} for r in rows]  # type: ignore[attr-defined]
    assert score(gold, [ours_entities(str(r["text"])) for r in rows])["micro"]["f1"] >= floor


@needs_shared
def test_roles_metrics_recall_floor() -> None:
    from bench.eval_facts import evaluate

    res = evaluate(SHARED, runs=1)
    assert res["roles"]["r"] >= 0.5 and res["metrics"]["r"] >= 0.95  # type: ignore[index]
