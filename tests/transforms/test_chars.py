"""One definition of a Han character, used by every stage."""

from __future__ import annotations

import re

import pytest

from tasks.transforms.chars import HAN, is_han
from tasks.transforms.facts import extract_facts


@pytest.mark.parametrize(
    "ch",
    [
        "中",
        "\u3400",
        "䶮",
        "\u9fff",
        "\uf900",
        "𠀀",
        "\U0002a700",
        "\U0002b820",
        "\U0002ceb0",
        "\U00030000",
        "\U0002f800",
    ],
    ids=[
        "uro",
        "ext-a-first",
        "ext-a-yan",
        "uro-last",
        "compat",
        "ext-b",
        "ext-c",
        "ext-e",
        "ext-f",
        "ext-g",
        "compat-sup",
    ],
)
def test_han_includes_every_extension(ch: str) -> None:
    assert is_han(ch)
    assert re.fullmatch(f"[{HAN}]", ch)


@pytest.mark.parametrize("ch", ["a", "〇", "，", "ア", "한", "\u4dc0", "\U00040000"], ids=str)
def test_han_excludes_other_characters(ch: str) -> None:
    assert not is_han(ch)
    assert not re.fullmatch(f"[{HAN}]", ch)


def test_extension_a_name_is_the_person_not_the_place() -> None:
    roles = extract_facts("柳州市市长王䶮表示，今年要加快发展。").roles
    assert [(r.person, r.title) for r in roles] == [("王䶮", "市长")]
