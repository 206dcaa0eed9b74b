"""The jieba-derived word list the entity rules read (data/ner_lexicon.tsv, built by build_ner_lexicon)."""

from __future__ import annotations

import pytest

from tasks.transforms.facts.data.build_ner_lexicon import _is_plain_name
from tasks.transforms.facts.entities import LEXICON, is_common_word

COMMON = {"庄稼", "张家"}


@pytest.mark.parametrize(
    ("word", "plain"),
    [
        ("李强", True),
        ("聂荣臻", True),
        ("欧阳修", True),  # a double surname
        ("张家", False),  # the Zhang family
        ("庄稼人", False),  # 庄稼 is a common word
        ("刘姓", False),
        ("孙文说", False),  # a name and a verb
        ("贞洁", False),  # no surname
    ],
)
def test_a_jieba_nrfg_entry_is_a_name_only_in_a_name_s_shape(word: str, plain: bool) -> None:
    assert _is_plain_name(word, COMMON) is plain


def test_the_shipped_list_marks_nrfg_names_as_names_in_context() -> None:
    """李强 (jieba: nrfg) is no ordinary word, so a title or speech verb can confirm it (“…”李强说)."""
    lines = set(LEXICON.read_text(encoding="utf-8").splitlines())
    assert "李强\tPER?" in lines
    assert not is_common_word("李强")
