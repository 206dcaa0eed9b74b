"""A tree for HTML nested deeper than libxml2 goes: every character of text kept, nesting capped (pure).

libxml2 stops at 2048 levels even with huge_tree and drops the rest of the document. Such pages are broken
markup (thousands of unclosed `<font>` or `<div>` tags), so their structure past a few hundred levels means
nothing: this builder reads the page with the standard library's tokenizer (no depth limit, linear), keeps
elements down to MAX_DEPTH, and gives the text of anything deeper to the deepest element kept.
"""

from __future__ import annotations

from html.parser import HTMLParser

from lxml import etree
from lxml import html as lxml_html

MAX_DEPTH = 1000  # well under libxml2's 2048, far deeper than any page's real structure
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_HEAD_TAGS = frozenset("title meta link base".split())  # where html_metadata looks for them
_DOCUMENT_TAGS = frozenset(("html", "head", "body"))
# Elements whose content is never text (html.py drops them): kept one level past the cap, content and all.
_NEVER_TEXT = frozenset("script style noscript template svg iframe textarea select object".split())
# Block tags that were too deep to keep still end a line: a `<br>` stands in for them.
_LINE_BREAKING = frozenset(
    "p div li tr br h1 h2 h3 h4 h5 h6 section article blockquote table ul ol dd dt".split()
)


class _CappedTreeBuilder(HTMLParser):
    """Builds an lxml.html tree; tags opened below MAX_DEPTH are dropped, their text is not."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = lxml_html.html_parser.makeelement("html", {})
        self.head = etree.SubElement(self.root, "head")
        self.body = etree.SubElement(self.root, "body")
        self.stack: list[etree._Element] = [self.body]
        self.skipped: list[str] = []  # names of the open tags that were too deep to keep

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DOCUMENT_TAGS:
            return
        parent = self.head if tag in _HEAD_TAGS else self.stack[-1]
        depth_cap = MAX_DEPTH + (8 if tag in _NEVER_TEXT else 0)
        if len(self.stack) >= depth_cap and parent is not self.head:
            if tag in _LINE_BREAKING:
                etree.SubElement(parent, "br")
            if tag not in _VOID:
                self.skipped.append(tag)
            return
        try:
            el = etree.SubElement(parent, tag)
        except ValueError:  # a name lxml refuses (`<a"b>`): keep its content in a neutral element
            el = etree.SubElement(parent, "span")
        for name, value in attrs:
            try:
                el.set(name, value or "")
            except ValueError:
                continue  # an attribute name XML cannot hold carries no text
        if tag not in _VOID and parent is not self.head:
            self.stack.append(el)
        elif tag == "title":
            self.stack.append(el)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skipped and self.skipped[-1] == tag:
            self.skipped.pop()
            return
        for i in range(len(self.stack) - 1, 0, -1):  # never the body (index 0)
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        target = self.stack[-1]
        if len(target):
            last = target[-1]
            last.tail = (last.tail or "") + data
        else:
            target.text = (target.text or "") + data


def parse_capped(html: str) -> etree._Element:
    """An lxml.html document tree of `html`, nesting capped at MAX_DEPTH, all text kept."""
    builder = _CappedTreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root
