"""Bylines: agency, bureau and reporter from the usual Chinese news forms."""

from __future__ import annotations

import re

from ..models import Byline
from ._text import HAN

_NAME = f"[{HAN}·]{{2,5}}"
_NAMES = f"{_NAME}(?:[ 　、，]+{_NAME})*"
_AGENCY = (
    f"[{HAN}]{{1,10}}?(?:通讯社|日报社|报社|新华社|日报|晚报|早报|时报|电视台|广播电视台|新闻网|网|报|社|台)"
)
_BUREAU = f"[{HAN}]{{1,10}}?(?:记者站|分社|站|记者部|部)"

# Ordered by how much each form says; the first that matches wins.
_FORMS: tuple[re.Pattern[str], ...] = (
    # （中国日报社 广西记者站 张莉） closing the article
    re.compile(
        f"[（(]\\s*(?P<agency>{_AGENCY})\\s+(?:(?P<bureau>{_BUREAU})\\s+)?(?:记者\\s*)?(?P<reporter>{_NAMES})\\s*[）)]\\s*$"
    ),
    # 新华社北京4月20日电（记者 王某）
    re.compile(
        f"(?P<agency>新华社|中新社|中新网|人民网|央视网|[{HAN}]{{2,6}}社)(?P<bureau>[{HAN}]{{2,8}}?)\\d{{1,2}}月\\d{{1,2}}日电"
        f"(?:\\s*[（(]\\s*(?:[{HAN}]*记者\\s*)?(?P<reporter>{_NAMES})\\s*[）)])?"
    ),
    # 新京报快讯（记者裴剑飞）, 本报讯（记者 A B）
    re.compile(
        f"(?P<agency>[{HAN}]{{2,8}}?)(?:快讯|讯)\\s*[（(]\\s*(?:[{HAN}]{{0,4}}记者\\s*)(?P<reporter>{_NAMES})\\s*[）)]"
    ),
    # （记者 A B）, 本报记者 X, 新华社记者 X
    re.compile(f"[（(]\\s*记者\\s*(?P<reporter>{_NAMES})\\s*[）)]"),
    re.compile(f"(?P<agency>本报|新华社|[{HAN}]{{2,4}}报)记者\\s*(?P<reporter>{_NAME})(?=[\\s，。、）)]|$)"),
)
_NOT_AGENCY = ("本报",)


def extract_byline(text: str) -> Byline | None:
    """The article's byline; reporters are joined with 、 when there are several."""
    for pattern in _FORMS:
        m = pattern.search(text)
        if not m:
            continue
        groups = m.groupdict()
        agency = groups.get("agency")
        reporter = groups.get("reporter")
        if reporter:
            reporter = "、".join(re.split(r"[ 　、，]+", reporter.strip()))
        return Byline(
            agency=None if agency in _NOT_AGENCY else agency,
            bureau=groups.get("bureau") or None,
            reporter=reporter or None,
            start=m.start(),
            end=m.end(),
        )
    return None
