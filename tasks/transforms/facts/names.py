"""Person-name recognition anchored on a known surname and a word that may follow a name."""

from __future__ import annotations

import re

from ._text import HAN, alternation, is_han
from .data.lexicon import NAME_FOLLOWERS, SURNAMES_DOUBLE, SURNAMES_SINGLE, TITLES, TRANSLIT_CHARS

_FOLLOWER_RE = re.compile(f"(?:{alternation(NAME_FOLLOWERS)}|{alternation(TITLES)}|[^{HAN}])")
# A transliterated foreign name: Han runs joined by a middle dot or a hyphen (侯赛因·阿斯卡里, 约翰·米勒-怀特);
# at least one middle dot, since a hyphen alone also joins ordinary words (中国-东盟).
FOREIGN_NAME_RE = re.compile(f"[{HAN}]{{1,6}}[·•・](?:[{HAN}]{{1,8}}[·•・\\-‐－])*")


# Characters that almost never occur in a Chinese given name but often follow a surname-like character in prose
# (向记者, 成了, 强调, 贺信中): a candidate containing one is not a name.
NOT_GIVEN_NAME_CHARS = frozenset(
    "的了是着过们这那哪个届首次记者年月日时说调示指于与及和或而并等其之所被把将向从对中独摄名称该此每"
)


def _surname_len(text: str, pos: int) -> int:
    if text[pos : pos + 2] in SURNAMES_DOUBLE:
        return 2
    return 1 if pos < len(text) and text[pos] in SURNAMES_SINGLE else 0


def is_name_end(text: str, end: int) -> bool:
    """True when a name may end at `end`: end of text, a non-Han char, a verb like 表示, or a title word."""
    return end >= len(text) or _FOLLOWER_RE.match(text, end) is not None


def read_name(text: str, pos: int) -> int | None:
    """Return the end of a 2–4 char Chinese name starting at `pos`, or None.

    The shortest given name followed by a name-ending word wins, so `张壮表示` gives 张壮 and `王小云表示` 王小云.
    """
    m = FOREIGN_NAME_RE.match(text, pos)
    if m:  # the last part is a run of transliteration chars (布兰 in 米歇尔・布兰深表赞同)...
        end = m.end()
        while end < len(text) and end - m.end() < 8 and text[end] in TRANSLIT_CHARS:
            end += 1
        if end > m.end():
            return end
        # ...else it ends at the first place a name may end
        for end in range(m.end() + 1, min(m.end() + 9, len(text) + 1)):
            if not is_han(text[end - 1]):
                break
            if is_name_end(text, end):
                return end
    s = _surname_len(text, pos)
    if not s:
        return None
    for given in (1, 2):
        end = pos + s + given
        given_chars = text[pos + s : end]
        if end > len(text) or not all(is_han(c) and c not in NOT_GIVEN_NAME_CHARS for c in given_chars):
            return None
        if is_name_end(text, end):
            return end
    return None
