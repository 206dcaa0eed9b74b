"""Main text of a Chinese news page, plus its metadata: HTML text in, `Page` out (pure, lxml only)."""

from __future__ import annotations

import re

from lxml import etree

from tasks.transforms.html_blocks import (
    SEMANTIC_NAME,
    choose_blocks,
    count_punct,
    drop_threads,
    nonspace_len,
    text_content,
)
from tasks.transforms.html_deep import parse_capped
from tasks.transforms.html_metadata import (
    canonical_url,
    extract_author,
    extract_date,
    extract_title,
    meta_map,
    normalize_date,
    visible_text,
)
from tasks.transforms.models import Page, RejectedInput

__all__ = ["extract_page", "normalize_date"]

# Elements that never hold article prose; <rt>/<rp> are ruby readings, so `<ruby>漢<rt>hàn</rt></ruby>` -> `漢`.
_ALWAYS_DROP = (
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed",
    "select", "button", "textarea", "input", "rt", "rp", "head",
)  # fmt: skip
# Usually chrome, but some CMSs (ASP.NET pages wrapped in one <form>, <header> holding the lead) put the
# article inside them, so these go only when they hold a minor share of the page's punctuation.
_BOILERPLATE_TAGS = ("nav", "header", "footer", "aside", "form", "figcaption")
# `caption`: image captions (BBC's `<p class="caption">`) describe a photo, and extractors' gold leaves them out.
# The lookahead holds every alternative's first letter: the search skips other chars at once (2x faster).
_BOILERPLATE_HINT = re.compile(
    r"(?=[abcdfhlnrstx])(?:comment|share|recommend|relate|xgwz|xgxw|xgyd|xiangguan|tuijian|tjyd|sidebar|rightbar|leftbar|breadcrumb|copyright|footer|statement|disclaimer|\bnav|\bad[-_s]|advert|hot-?news"
    r"|caption)",
    re.I,
)
_BLOCK_TAGS = frozenset(
    "p div section article main li ul ol dl dt dd td th tr table tbody h1 h2 h3 h4 h5 h6 "
    "blockquote pre center figure figcaption address hr body".split()
)
_WS = re.compile(r"\s+")
_END_DOCUMENT = re.compile(r"</(?:html|body)\s*>", re.I)
# Control chars XML cannot hold: libxml2 keeps them in text nodes, but lxml refuses them when text is set,
# so moving a tail (dropping an element) would raise. They carry no text.
# In UTF-8 the control chars are single bytes that no multi-byte sequence contains: bytes.translate deletes
# them at C speed (a regex over the text cost as much as the parse's encode).
_XML_INCOMPATIBLE_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_XML_NONCHARS = ("\ufffe", "\uffff")
# A 责任编辑 credit line (`【责任编辑:张樵苏】`, `(责编：牛镛、岳弘彬)`): page furniture, left out of human gold.
_EDITOR_LINE = re.compile(
    r"^.{0,30}(?:责任编辑|責任編輯|责编|責編)\s*[:：]|^[\[【（(]?\s*(?:编辑|編輯)\s*[:：]"
)
# Lines at the edges of the block that are page furniture, not article: a bare time stamp (`2019-09-08 11:42:03`,
# `09/07`), a source or time label, a row of reader-action buttons (`举报`, `分享到`, `字号 超大 大 标准 小`,
# `评论（191）`), a breadcrumb (`您所在的位置： 首页 > 快讯`), or a short share/QR/login prompt.
_STAMP_LINE = re.compile(
    r"^(?:[\d\s/:.\-年月日时分秒]|(?:来源|來源|发布时间|發布時間|时间|時間)\s*[:：]\s*\S{0,20})+$"
)
_ACTION_LINE = re.compile(
    r"^(?:举报|舉報|分享到?|收藏|推荐|推薦|点赞|打印|关闭|返回顶部|纠错|关注|原创|文章问题|字号|超大|标准|大|中|小"
    r"|我要跟帖|跟帖|评论|已输入|字|[\d\s()（）])+$"
)
# The heading a related-articles, comments or "more" box leaves behind once its link lines are gone.
_SECTION_LABEL = re.compile(
    r"^[【\[]?(?:相关|推荐|延伸|热门|热点|更多|精彩|猜你喜欢|大家都在看|网友|发表|最新|往期|为你推荐)"
    r"(?:新闻|阅读|文章|推荐|内容|图片|专题|评论|链接|报道|资讯)?[】\]]?[:：]?$"
)
_BREADCRUMB_LINE = re.compile(r"^(?:\S{0,6}位置\s*[:：]?\s*)?首页\s*(?:>|»|›|/|＞)")
_PROMPT_LINE = re.compile(
    r"扫一扫|扫码|二维码|关注该公众号|正文已结束|请先\s*登录|点击进入|感谢您的反馈|手机打开"
)


class HtmlError(RejectedInput):
    """An HTML page that cannot be read whole (rejected rather than losing part of its text)."""

    def __init__(self, reason: str, source_uri: str = "") -> None:
        super().__init__("html", reason, source_uri)


def extract_page(html: str, url: str | None = None) -> Page:
    """Extract main text, title, date, author and canonical URL from one HTML page; HtmlError if it is unreadable."""
    try:
        root = _parse(html, url)
    except HtmlError:
        raise
    except (ValueError, etree.LxmlError):
        return Page(text="", url=url)
    if root is None:
        return Page(text="", url=url)
    meta = meta_map(root)
    canonical = canonical_url(root, meta) or url
    title = extract_title(root, meta)
    published = extract_date(root, meta, canonical)
    _clean(root)
    body = _find_body(root)
    lines: list[str] = []
    if body is not None:
        for block in choose_blocks(body, drop_threads(body, _drop)):
            lines += _paragraphs(block)
    author = extract_author("\n".join(lines), visible_text(body), meta)
    text = "\n".join(_trim_edges([line for line in lines if not _EDITOR_LINE.match(line)], title))
    return Page(text=text, title=title, published_at=published, author=author, url=canonical)


def _parse(html: str, url: str | None = None) -> etree._Element | None:
    """Parse leniently; bytes go in as UTF-8 so a stale `<meta charset=gb2312>` cannot re-decode them."""
    if not html or not html.strip():
        return None
    # huge_tree lifts libxml2's 256-level nesting limit, past which it drops the deeper text without a word.
    # etree's parser, not lxml.html's: lxml.html looks up a Python element class for every element it hands out
    # (~10% of this stage on real pages, bench_ingest profile); nothing here needs HtmlElement's methods.
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
    # libxml2 2.14 drops everything after a `</html>`, and CMS templates paste whole documents (a header
    # include ending in `</html>`) before the article: the end tags are optional anyway, so drop them.
    data = _xml_compatible_utf8(_END_DOCUMENT.sub("", html))
    root = etree.fromstring(data, parser=parser)
    # Even with huge_tree libxml2 stops at 2048 levels of nesting and silently drops the rest of the document:
    # such a page is read again by a builder without a depth limit that caps the nesting and keeps all text.
    limits = sorted({err.message for err in parser.error_log if err.type_name == "ERR_RESOURCE_LIMIT"})
    if limits and all("depth" in message for message in limits):
        return parse_capped(data.decode("utf-8"))
    if limits:
        raise HtmlError(
            f"HTML beyond the parser's limits ({'; '.join(limits)}): rejected rather than losing text",
            url or "",
        )
    return root


def _xml_compatible_utf8(html: str) -> bytes:
    """The page as UTF-8 less the chars XML cannot hold (a lone surrogate becomes `?`)."""
    for nonchar in _XML_NONCHARS:
        if nonchar in html:
            html = html.replace(nonchar, "")
    return html.encode("utf-8", "replace").translate(None, _XML_INCOMPATIBLE_BYTES)


# ---- main text ---------------------------------------------------------------------------------------------
def _find_body(root: etree._Element) -> etree._Element | None:
    body = root.find("body")
    return body if body is not None else root


# Elements that may be boilerplate: named ones and the chrome tags, picked out by libxml2 in document order.
_IS_MAYBE_CHROME = "@class or @id or " + " or ".join(f"self::{tag}" for tag in _BOILERPLATE_TAGS)
# A union of simple steps: libxml2 evaluates it faster than one step with the whole predicate (0.13 s vs 0.20 s
# on the 250-page corpus), and a union comes back in document order too.
_MAYBE_CHROME = etree.XPath(
    " | ".join(
        ["descendant::*[@class]", "descendant::*[@id]", *(f"descendant::{tag}" for tag in _BOILERPLATE_TAGS)]
    )
)
# How many of those an element holds: they come next in document order, and go with it when it is dropped.
_COUNT_MAYBE_CHROME = etree.XPath(f"count(descendant::*[{_IS_MAYBE_CHROME}])")


def _clean(root: etree._Element) -> None:
    """Drop elements that never hold prose, and boilerplate containers holding little of the prose."""
    for el in list(root.iter(*_ALWAYS_DROP)):
        _drop(el)
    total = _count_punct(root) or 1
    # Dropping an element moves its tail into its parent's flow, never into a later candidate, so no drop changes
    # a later candidate's punctuation: they are all decided first, then dropped in document order.
    doomed: list[etree._Element] = []
    is_hinted: dict[
        tuple[str | None, str | None], bool
    ] = {}  # names repeat: one regex search per distinct pair
    chrome_tags = set(
        root.iter(*_BOILERPLATE_TAGS)
    )  # a set look-up per candidate is cheaper than reading its tag
    candidates = _MAYBE_CHROME(root)
    at = 0
    while at < len(candidates):
        el = candidates[at]
        at += 1
        names = (el.get("class"), el.get("id"))
        if el not in chrome_tags:
            hinted = is_hinted.get(names)
            if hinted is None:
                hinted = is_hinted[names] = bool(
                    _BOILERPLATE_HINT.search(f"{names[0] or ''} {names[1] or ''}")
                )
            if not hinted:
                continue
        ident = names[1] or ""
        if not SEMANTIC_NAME.match(ident) and _count_punct(el) < total * 0.5:
            doomed.append(el)
            # The candidates inside it are gone with it, and counting them again is wasted work.
            at += int(_COUNT_MAYBE_CHROME(el))
    for el in doomed:
        _drop(el)


def _drop(el: etree._Element) -> None:
    """Remove an element but keep its tail text (the tail belongs to the parent's flow)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _count_punct(el: etree._Element) -> int:
    return count_punct(text_content(el))


def _paragraphs(el: etree._Element) -> list[str]:
    """Flatten a block to paragraphs: block tags and <br> break lines, <pre> keeps its own line breaks."""
    lines: list[list[tuple[str, bool]]] = [[]]
    in_link = 0
    in_pre = 0

    def add(text: str) -> None:
        # White space is collapsed once per line, in _keep_line (collapsing each piece first gives the same line).
        if not in_pre:
            lines[-1].append((text, in_link > 0))
            return
        for i, piece in enumerate(text.split("\n")):
            if i:
                lines.append([])
            lines[-1].append((piece, in_link > 0))

    for event, node in etree.iterwalk(el, events=("start", "end")):
        tag = node.tag if isinstance(node.tag, str) else ""
        if event == "start":
            if tag in _BLOCK_TAGS or tag == "br":
                lines.append([])
            in_link += tag == "a"
            in_pre += tag == "pre"
            if node.text:
                add(node.text)
        else:
            in_link -= tag == "a"
            in_pre -= tag == "pre"
            if tag in _BLOCK_TAGS:
                lines.append([])
            if node is not el and node.tail:
                add(node.tail)
    return [text for line in lines if line and (text := _keep_line(line))]


def _keep_line(line: list[tuple[str, bool]]) -> str:
    """Join a line's pieces; drop it when it is mostly link text (related-article lists, pagers)."""
    text = _WS.sub(" ", "".join([piece for piece, _ in line])).strip()
    if not text:
        return ""
    link_chars = sum(nonspace_len(piece) for piece, is_link in line if is_link)
    return "" if link_chars > 0.5 * nonspace_len(text) else text


def _trim_edges(lines: list[str], title: str | None) -> list[str]:
    """Drop the repeated headline, time stamps and button rows that open or close the chosen block."""
    head = "".join((title or "").split())

    def is_furniture(line: str, at_start: bool) -> bool:
        flat = "".join(line.split())
        if _STAMP_LINE.match(flat) or _ACTION_LINE.match(flat) or _BREADCRUMB_LINE.match(line):
            return True
        if _SECTION_LABEL.match(flat):
            return True
        if len(flat) <= 30 and _PROMPT_LINE.search(flat):
            return True
        # The headline repeated above the text, maybe behind a short label (`原创` + headline).
        return at_start and len(head) >= 4 and head in flat and len(flat) <= len(head) + 4

    start, end = 0, len(lines)
    while start < end and is_furniture(lines[start], at_start=True):
        start += 1
    while end > start and is_furniture(lines[end - 1], at_start=False):
        end -= 1
    return lines[start:end]
