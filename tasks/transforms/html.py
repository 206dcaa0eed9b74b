"""Main text and metadata of a Chinese news page: HTML text in, `Page` out (pure, lxml only)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from tasks.transforms.models import Page

# Elements that never hold article prose; <rt>/<rp> are ruby readings, so `<ruby>漢<rt>hàn</rt></ruby>` -> `漢`.
_ALWAYS_DROP = (
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed",
    "select", "button", "textarea", "input", "rt", "rp", "head",
)  # fmt: skip
# Usually chrome, but some CMSs (ASP.NET pages wrapped in one <form>, <header> holding the lead) put the
# article inside them, so these go only when they hold a minor share of the page's punctuation.
_BOILERPLATE_TAGS = ("nav", "header", "footer", "aside", "form")
_BOILERPLATE_HINT = re.compile(
    r"comment|share|recommend|related|sidebar|breadcrumb|copyright|footer|statement|disclaimer|\bnav|\bad[-_s]|advert|hot-?news",
    re.I,
)
_BLOCK_TAGS = frozenset(
    "p div section article main li ul ol dl dt dd td th tr table tbody h1 h2 h3 h4 h5 h6 "
    "blockquote pre center figure figcaption address hr body".split()
)
_CANDIDATE_TAGS = frozenset("div section article main td body blockquote center".split())
# Full-width sentence punctuation: prose has one every ~15-25 characters, menus and link lists almost none.
_PUNCT = frozenset("，。；：！？、")
_SEMANTIC_NAME = re.compile(
    r"^(content|article|artibody|article[-_]?(body|content)|main[-_]?(text|content)|trs_editor|rm_txt_con|"
    r"detail|detail[-_]?content|text|txt|post[-_]?(body|content)|entry[-_]?content|news[-_]?content|"
    r"article[-_]?text|contentmain|con_text|arti_content|story|body[-_]?text)$",
    re.I,
)
_WS = re.compile(r"\s+")
_END_DOCUMENT = re.compile(r"</(?:html|body)\s*>", re.I)
_HAN = r"[\u4e00-\u9fff·・]"


@dataclass(frozen=True)
class _Stats:
    """Character counts of a subtree: all text, text inside links, punctuation outside links."""

    chars: int
    link_chars: int
    punct: int


def extract_page(html: str, url: str | None = None) -> Page:
    """Extract main text, title, date, author and canonical URL from one HTML page."""
    try:
        root = _parse(html)
    except (ValueError, etree.LxmlError):
        return Page(text="", url=url)
    if root is None:
        return Page(text="", url=url)
    meta = _meta_map(root)
    canonical = _canonical_url(root, meta) or url
    title = _extract_title(root, meta)
    published = _extract_date(root, meta, canonical)
    _clean(root)
    body = _find_body(root)
    main = _choose_main(body) if body is not None else None
    text = "\n".join(_paragraphs(main)) if main is not None else ""
    author = _extract_author(text, _visible_text(body), meta)
    return Page(text=text, title=title, published_at=published, author=author, url=canonical)


def _parse(html: str) -> etree._Element | None:
    """Parse leniently; bytes go in as UTF-8 so a stale `<meta charset=gb2312>` cannot re-decode them."""
    if not html or not html.strip():
        return None
    parser = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    # libxml2 2.14 drops everything after a `</html>`, and CMS templates paste whole documents (a header
    # include ending in `</html>`) before the article: the end tags are optional anyway, so drop them.
    data = _END_DOCUMENT.sub("", html).encode("utf-8", "replace")
    return lxml_html.document_fromstring(data, parser=parser)


def _node_text(el: etree._Element) -> str:
    return _WS.sub(" ", el.text_content()).strip()


def _meta_map(root: etree._Element) -> dict[str, str]:
    """First non-empty `content` of each meta name/property/itemprop, keys lower-cased."""
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        content = (el.get("content") or "").strip()
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = (el.get(attr) or "").strip().lower()
            if key and content and key not in found:
                found[key] = content
    return found


def _canonical_url(root: etree._Element, meta: dict[str, str]) -> str | None:
    for el in root.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and (el.get("href") or "").startswith("http"):
            return el.get("href", "").strip()
    og = meta.get("og:url", "")
    return og if og.startswith("http") else None


# ---- title -------------------------------------------------------------------------------------------------
# Site suffixes: `标题 - 新华网`, `标题_中国日报网`, `标题--时政--人民网`, `标题 | 澎湃新闻`.
_TITLE_SEP = re.compile(r"\s*(?:\s[-–—|｜]\s|_|--|\|)\s*")


# An unspaced `-新华网` / `_中国日报网` tail: strip only when it looks like a site or channel name.
_SITE_TAIL = re.compile(r"\s*[-_|｜]+\s*[^-_|｜\s]{1,12}(?:网|网站|报|新闻|频道|社|客户端|在线)$")


def _strip_site_suffix(title: str) -> str:
    """Keep the first segment of a `headline <sep> section <sep> site` title unless it is too short to be one."""
    title = _WS.sub(" ", title).strip()
    while (stripped := _SITE_TAIL.sub("", title)) != title and len(stripped) >= 4:
        title = stripped
    parts = [p for p in _TITLE_SEP.split(title) if p.strip()]
    if len(parts) > 1 and len(parts[0]) >= 4:
        return parts[0].strip()
    return title


def _extract_title(root: etree._Element, meta: dict[str, str]) -> str | None:
    title_el = root.find(".//title")
    page_title = _node_text(title_el) if title_el is not None else ""
    for h1 in root.iter("h1"):
        text = _node_text(h1)
        # An <h1> is often the site logo; trust it when the <title> confirms it.
        if len(text) >= 4 and (not page_title or page_title.startswith(text) or page_title in text):
            return text
    for candidate in (meta.get("og:title"), meta.get("twitter:title"), page_title):
        if candidate and candidate.strip():
            return _strip_site_suffix(candidate)
    return None


# ---- date --------------------------------------------------------------------------------------------------
_DATE_META = (
    "article:published_time", "og:article:published_time", "og:published_time", "og:release_date",
    "datepublished", "pubdate", "publishdate", "publish_date", "publishtime", "published_time",
    "dc.date.issued", "dc.date", "sailthru.date", "release_date", "date",
)  # fmt: skip
_DATE_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:[T\s]*(?P<H>\d{1,2})[:：](?P<M>\d{2})(?:[:：](?P<S>\d{2}))?)?"
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[-/]?(\d{2})[-/]?(\d{2})/")


def normalize_date(value: str) -> str | None:
    """Turn `2023年05月12日 10:20`, `2023-05-12T10:20:00+08:00` etc. into ISO `YYYY-MM-DD[THH:MM[:SS]]`."""
    match = _DATE_RE.search(value or "")
    return _iso_from_match(match) if match else None


def _iso_from_match(match: re.Match[str]) -> str | None:
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    if match["H"] is not None and int(match["H"]) < 24 and int(match["M"]) < 60:
        iso += f"T{int(match['H']):02d}:{match['M']}"
        if match["S"] is not None:
            iso += f":{match['S']}"
    return iso


def _json_ld_dates(root: etree._Element) -> Iterator[str]:
    for el in root.iter("script"):
        if (el.get("type") or "").lower() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                for key in ("datePublished", "dateCreated", "pubDate"):
                    if isinstance(item.get(key), str):
                        yield item[key]
                stack.extend(v for v in item.values() if isinstance(v, dict | list))


def _extract_date(root: etree._Element, meta: dict[str, str], url: str | None) -> str | None:
    stated = [meta[k] for k in _DATE_META if k in meta]
    stated += [el.get("datetime", "") for el in root.iter("time")]
    stated += list(_json_ld_dates(root))
    best = next((iso for iso in map(normalize_date, stated) if iso), None)
    body = root.find("body")
    page_dates = [] if body is None else _page_dates(body)
    if best is None:
        # A stamp with a time of day is a publication line; a bare date may be an event in the prose.
        best = next((d for d in page_dates if "T" in d), page_dates[0] if page_dates else None)
    elif "T" not in best:
        # Meta often gives the day only; the byline on the same day adds the time.
        best = next((d for d in page_dates if d.startswith(best) and "T" in d), best)
    if best is None and url and (m := _URL_DATE.search(url)):
        best = normalize_date(f"{m[1]}-{m[2]}-{m[3]}")
    return best


def _page_dates(body: etree._Element) -> list[str]:
    text = " ".join(t for t in _iter_visible_strings(body))
    return [iso for m in _DATE_RE.finditer(text) if (iso := _iso_from_match(m))][:20]


def _iter_visible_strings(el: etree._Element) -> Iterator[str]:
    for node in el.iter():
        if isinstance(node.tag, str) and node.tag not in ("script", "style") and node.text:
            yield node.text
        if node is not el and node.tail:
            yield node.tail


# ---- author ------------------------------------------------------------------------------------------------
_BYLINES = (
    re.compile(rf"作者\s*[：:／/|]\s*({_HAN}{{2,12}})"),
    # A name after 记者 must end at a delimiter, so prose like "记者通过电子邮件联系" is not a name;
    # "记者 X 摄" credits a photo, not the story.
    re.compile(
        rf"(?:^|[\s（(【\[]|社|报|电)记者\s*[：:]?\s*({_HAN}{{2,4}})(?=[\s）)】\]、，,。；]|报道|$)(?!\s*摄)"
    ),
    re.compile(rf"(?:^|[\s（(【\[])文\s*[／/|]\s*({_HAN}{{2,4}})"),
)
# Words that follow 记者 in prose ("记者获悉") and must not be read as a name.
_NOT_NAME = re.compile(
    r"^(获悉|了解|从|在|近日|日前|采访|来到|走访|看到|发现|注意到|调查|观察|探访|随机|实地|通过|责任|编辑|来源)"
)
# Meta `author` often names the site (`网易`, `新华网`) or is a template placeholder.
_ORG_NAME = re.compile(r"(网|网易|新闻|日报|晚报|报社|电视台|客户端|频道)$|@|,")
_NAME_TAIL = re.compile(r"(报道|摄影?|发自.*|采写|通讯员.*|编辑.*)$")


def _extract_author(text: str, page_text: str, meta: dict[str, str]) -> str | None:
    for source in (text[:400], page_text, text):
        for pattern in _BYLINES:
            for match in pattern.finditer(source):
                name = _NAME_TAIL.sub("", match.group(1).split("、")[0].split()[0]).removeprefix("记者")
                if len(name) >= 2 and not _NOT_NAME.match(name):
                    return name
    author = _WS.sub(" ", meta.get("author", "")).strip()
    # CMS ids such as `105092` are not names; 责任编辑 lines are deliberately never read.
    if author and not author.isdigit() and not _ORG_NAME.search(author) and len(author) <= 40:
        return author
    return None


def _visible_text(body: etree._Element | None) -> str:
    return "" if body is None else _WS.sub(" ", " ".join(_iter_visible_strings(body)))


# ---- main text ---------------------------------------------------------------------------------------------
def _find_body(root: etree._Element) -> etree._Element | None:
    body = root.find("body")
    return body if body is not None else root


def _clean(root: etree._Element) -> None:
    """Drop elements that never hold prose, and boilerplate containers holding little of the prose."""
    for el in list(root.iter(*_ALWAYS_DROP)):
        _drop(el)
    total = _count_punct(root) or 1
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None:
            continue
        hint = f"{el.get('class', '')} {el.get('id', '')}"
        is_chrome = el.tag in _BOILERPLATE_TAGS or bool(_BOILERPLATE_HINT.search(hint))
        if is_chrome and not _SEMANTIC_NAME.match(el.get("id", "")) and _count_punct(el) < total * 0.5:
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
    return sum(1 for ch in el.text_content() if ch in _PUNCT)


def _nonspace_len(text: str) -> int:
    return len(text) - sum(1 for ch in text if ch.isspace())


def _subtree_stats(body: etree._Element) -> dict[etree._Element, _Stats]:
    """Stats for every element, children before parents, so the whole tree is read once."""
    stats: dict[etree._Element, _Stats] = {}
    for el in reversed(list(body.iter())):
        if not isinstance(el.tag, str):
            continue
        own = (el.text or "") + "".join(child.tail or "" for child in el)
        chars, punct = _nonspace_len(own), sum(1 for ch in own if ch in _PUNCT)
        link_chars = 0
        for child in el:
            child_stats = stats.get(child)
            if child_stats is not None:
                chars += child_stats.chars
                link_chars += child_stats.link_chars
                punct += child_stats.punct
        if el.tag == "a":
            link_chars, punct = chars, 0
        stats[el] = _Stats(chars, link_chars, punct)
    return stats


def _score(s: _Stats) -> float:
    """Prose mass times link-free density: Chinese punctuation, plus plain text for pages without it."""
    if s.chars == 0:
        return 0.0
    density = 1.0 - s.link_chars / s.chars
    # Squared so that a parent adding a nav bar loses to the tighter child holding the same prose.
    return (s.punct + (s.chars - s.link_chars) / 50.0) * density * density


def _choose_main(body: etree._Element) -> etree._Element:
    """Pick the content block: a good semantic container if there is one, else the best-scoring block."""
    stats = _subtree_stats(body)
    candidates = [el for el in stats if el.tag in _CANDIDATE_TAGS]
    if not candidates:
        return body
    best = max(candidates, key=lambda el: _score(stats[el]))
    best_score = _score(stats[best])
    # "Good": real prose (5+ sentence marks, mostly unlinked) and not dwarfed by the density peak; the
    # 0.3 and 5 come from the gold pages, where live-blog widgets classed `content` outscore short articles.
    good = [
        el
        for el in stats
        if _semantic_strength(el)
        and stats[el].punct >= 5
        and stats[el].link_chars <= 0.5 * stats[el].chars
        and _score(stats[el]) >= 0.3 * best_score
    ]
    if not good:
        return best
    strongest = max(map(_semantic_strength, good))
    top = max((el for el in good if _semantic_strength(el) == strongest), key=lambda el: _score(stats[el]))
    if top in best.iterancestors() and stats[top].chars > 1.5 * stats[best].chars:
        return best  # a page-wide `#content` wrapper: the tighter block inside it is the article
    return top


def _semantic_strength(el: etree._Element) -> int:
    """2 for article markup or a known id, 1 for a known class name, 0 otherwise."""
    if not isinstance(el.tag, str):
        return 0
    if el.tag == "article" or (el.get("itemprop") or "").lower() == "articlebody":
        return 2
    if _SEMANTIC_NAME.match(el.get("id", "")):
        return 2
    return int(any(_SEMANTIC_NAME.match(name) for name in (el.get("class") or "").split()))


def _paragraphs(el: etree._Element) -> list[str]:
    """Flatten a block to paragraphs: block tags and <br> break lines, <pre> keeps its own line breaks."""
    lines: list[list[tuple[str, bool]]] = [[]]
    in_link = 0
    in_pre = 0

    def add(text: str) -> None:
        pieces = text.split("\n") if in_pre else [_WS.sub(" ", text)]
        for i, piece in enumerate(pieces):
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
    return [text for line in lines if (text := _keep_line(line))]


def _keep_line(line: list[tuple[str, bool]]) -> str:
    """Join a line's pieces; drop it when it is mostly link text (related-article lists, pagers)."""
    text = _WS.sub(" ", "".join(piece for piece, _ in line)).strip()
    if not text:
        return ""
    link_chars = sum(_nonspace_len(piece) for piece, is_link in line if is_link)
    return "" if link_chars > 0.5 * _nonspace_len(text) else text
