"""Bylines: agency, bureau and reporter from the usual Chinese news forms."""

from __future__ import annotations

import re

from ..models import Byline
from ._text import HAN
from .entities import is_common_word

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
    # （记者 A B）, 本报记者 X, 新华社记者 X (not X摄: a photo credit; X 摄影报道 reported it too)
    re.compile(f"[（(]\\s*记者\\s*(?P<reporter>{_NAMES})\\s*[）)]"),
    re.compile(
        f"(?P<agency>本报|新华社|[{HAN}]{{2,4}}报)记者\\s*(?P<reporter>{_NAME})(?<!摄)(?=[\\s，。、）)]|$)"
        "(?!\\s*摄(?!影报道))"
    ),
)
# Photo credits: 新华社记者 才扬 摄, 图片记者黎旭阳、李妍摄, （刘通摄）, 图片来源：每经记者张蕊摄, 摄影/张艳. The credited person took the picture
# and is never the reporter.
_PHOTO_FORMS: tuple[re.Pattern[str], ...] = (
    re.compile(
        # Not after a number and a space: 1200 万主摄 is a camera's main lens (主摄), 万 its count's multiplier.
        f"(?:^|(?<=[\\s（(/。：:]))(?<![0-9０-９]\\s)(?:[{HAN}]{{0,12}}?(?:记者|通讯员|摄影队|摄影师)\\s*)?"
        f"(?P<names>{_NAMES})\\s*摄"
        "(?=[\\s）)/。]|$)",
        re.MULTILINE,
    ),
    re.compile(f"摄影\\s*[：:/|]\\s*(?P<names>{_NAME}(?:、{_NAME})*)(?=[\\s/）)]|$)", re.MULTILINE),
)
# Editor credits: 责任编辑：X, 编辑 刘晓阳, 编辑|禤志杰, 责编|陈梦莹, 编辑/苏芳, （责任编辑：X） (at a line start, after a space
# or an opening bracket).
_EDITOR_RE = re.compile(
    f"(?:^|(?<=[\\s/（(]))(?:责任编辑|责编|编辑)\\s*[：:/|]?\\s*(?P<names>{_NAME})(?=[\\s/）)]|$)",
    re.MULTILINE,
)
_NOT_AGENCY = ("本报",)
# A char every form above needs (摄 photo, 编 editor, 电/讯 dateline, 记 reporter, a bracket): a text without one has
# no byline, which one scan in C tells (most sentences of a JSONL input).
_ANY_FORM_CHAR = re.compile("[摄编电讯记（(]")


def _credits(patterns: tuple[re.Pattern[str], ...], text: str) -> tuple[str | None, tuple[int, int] | None]:
    """Names credited by any of `patterns` (joined with 、, first seen first) and the span of the first credit."""
    names: list[str] = []
    first: tuple[int, int] | None = None
    for pattern in patterns:
        for m in pattern.finditer(text):
            first = first if first and first[0] < m.start() else m.span()
            names.extend(n for n in _split_names(m.group("names")) if n not in names)
    return ("、".join(names) or None), first


# What a credit's words end with when they say who someone is, not who (新华社记者 才扬 摄 read as two names).
_CREDIT_TITLES = ("记者", "通讯员", "摄影师", "摄影队", "编辑")


def _split_names(names: str, credited: bool = False) -> list[str]:
    """Names of a credit; a common word after them is a note, not a name (（记者陈智 整合）). A title word opens
    the names: what stands before it is text, not a credit (图为会场 新华社记者 才扬); inside a credit already
    opened (`credited`: （记者 张三 通讯员 李四）) it opens the next contributor's."""
    words = [n for n in re.split(r"[ 　、，]+", names.strip()) if n]
    titled = [k for k, n in enumerate(words) if n.endswith(_CREDIT_TITLES)]
    if titled and credited:
        words = [n for k, n in enumerate(words) if k not in titled]
    elif titled:
        words = words[titled[-1] + 1 :]
    return [n for n in words if not is_common_word(n)]


def extract_byline(text: str) -> Byline | None:
    """The article's byline; reporters (photographers, editors) are joined with 、 when there are several."""
    if not _ANY_FORM_CHAR.search(text):
        return None
    photographer, photo_span = _credits(_PHOTO_FORMS, text)
    editor, editor_span = _credits((_EDITOR_RE,), text)
    for pattern in _FORMS:
        m = pattern.search(text)
        if not m:
            continue
        groups = m.groupdict()
        agency = groups.get("agency")
        reporter = groups.get("reporter")
        if reporter:
            reporter = "、".join(
                n for n in _split_names(reporter, credited=True) if n not in (photographer or "").split("、")
            )
        return Byline(
            agency=None if agency in _NOT_AGENCY else agency,
            bureau=groups.get("bureau") or None,
            reporter=reporter or None,
            start=m.start(),
            end=m.end(),
            photographer=photographer,
            editor=editor,
        )
    span = photo_span or editor_span
    if span is None:
        return None
    return Byline(None, None, None, span[0], span[1], photographer=photographer, editor=editor)
