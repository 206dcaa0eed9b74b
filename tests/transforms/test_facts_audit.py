"""What analysts see, compared with a person's judgements (tests/fixtures/facts_audit; bench/audit_facts.py).

Entities that occur in 2+ of the 81 real pages plus samples, and every people_titles row, were judged right or
wrong by reading them in context. When extraction changes, rows nobody judged appear: judge them (add them to the
fixture) rather than lowering a floor.
"""

from __future__ import annotations

from typing import Any

import pytest

from bench.audit_facts import audit
from tests.conftest import SHARED_DATA, needs_shared

# Measured 2026-12-03 on branch integrate (trained tagger + layers), every row judged, rounded down: entities
# 203/254 = 0.799, people_titles 127/137 = 0.927 (branch layers, lexicon recogniser: 168/237 = 0.709 and 120/126 =
# 0.952 on fewer rows). Most wrong entities are words the tagger reads as names (瓦斯, 枫香, 香水) and spans cut at
# a garbled or missing separator (巴兹？奥尔德林); most wrong people_titles rows have a cut organization.
ENTITIES_FLOOR, PEOPLE_TITLES_FLOOR = 0.79, 0.92
# Issue 8's targets.
ENTITIES_TARGET = 0.97
# Share of the rows shown that must have a judgement for the shares to mean something.
MIN_JUDGED = 0.9


@pytest.fixture(scope="module")
def result() -> dict[str, dict[str, Any]]:
    return audit(SHARED_DATA)


@needs_shared
@pytest.mark.shared
@pytest.mark.parametrize(
    ("view", "floor"), [("entities", ENTITIES_FLOOR), ("people_titles", PEOPLE_TITLES_FLOOR)]
)
def test_share_right_floor(result: dict[str, dict[str, Any]], view: str, floor: float) -> None:
    res = result[view]
    assert res["judged"] >= MIN_JUDGED * res["n"], f"judge these rows: {res['unjudged']}"
    assert res["share_right"] >= floor, res["wrong"]


@needs_shared
@pytest.mark.shared
@pytest.mark.xfail(
    reason="the tagger reads ordinary words as names or places (瓦斯, 枫香, 惠及, 智库): 0.799 of 0.97"
)
def test_entities_reach_target(result: dict[str, dict[str, Any]]) -> None:
    assert result["entities"]["share_right"] >= ENTITIES_TARGET
