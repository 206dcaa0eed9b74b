"""Body extraction on page structures that trip extractors: several body blocks, comments, forums, sidebars.

The pages are built from real paragraphs of the bundled sample articles: one article's paragraphs are the body,
another's are the comments, sidebar and "related" summaries (real prose, with punctuation, like real comments).
"""

from __future__ import annotations

from collections import Counter

import pytest
from lxml import html as lxml_html

from tasks.transforms.html import extract_page
from tests.conftest import SAMPLES


def _paragraphs(name: str) -> list[str]:
    root = lxml_html.fromstring((SAMPLES / name).read_bytes().decode("utf-8"))
    found = [" ".join(p.text_content().split()) for p in root.iter("p")]
    found = [p for p in found if len(p) >= 40 and "。" in p]
    assert len(found) >= 9, name
    return found


BODY = _paragraphs("people_2024-04-24_china_lac_space_forum.html")[:9]
OTHER = _paragraphs("chinadaily_2023-11-17_foreign_experts_china_us.html") + _paragraphs(
    "xinhuanet_2020-02-19_wuhan_voices.html"
)
COMMENTS = [sentence + "。" for p in OTHER for sentence in p.split("。") if len(sentence) >= 12][:30]


def char_f1(predicted: str, gold: str) -> tuple[float, float, float]:
    """Precision, recall, F1 of the bags of non-whitespace characters (as bench/eval_html.py)."""
    pred, ref = Counter("".join(predicted.split())), Counter("".join(gold.split()))
    overlap = sum((pred & ref).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    p, r = overlap / sum(pred.values()), overlap / sum(ref.values())
    return p, r, 2 * p * r / (p + r)


def page(body: str) -> str:
    nav = "".join(f"<li><a href='/c{i}'>栏目{i}</a></li>" for i in range(12))
    return (
        "<html><head><title>短缺药品保供稳价_新闻</title></head><body>"
        f"<div class='header'><ul class='menu'>{nav}</ul></div>{body}"
        "<div class='footer'><p>版权所有，未经授权不得转载。联系我们：电话，邮箱。</p></div></body></html>"
    )


def paras(items: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in items)


def comment_items(style: str, n: int = 30) -> str:
    """A list of reader comments, each with a user name and a time stamp."""
    items = []
    for i, text in enumerate(COMMENTS[:n]):
        stamp = f"2023-11-{17 + i % 3} {10 + i % 9}:{i % 60:02d}"
        if style == "marked":
            items.append(
                f"<li class='comment'><div class='comment-author'><a href='/u{i}'>网友{i}</a></div>"
                f"<div class='comment-meta'>{stamp}</div><p>{text}</p><a href='#r{i}'>回复</a></li>"
            )
        else:  # the same markup without any telling class or id
            items.append(f"<li><div><span>用户{i}</span> <span>{stamp}</span></div><div>{text}</div></li>")
    return (
        "<ul>" + "".join(items) + "</ul>"
        if style != "marked"
        else "<ol class='commentlist'>" + "".join(items) + "</ol>"
    )


def sidebar() -> str:
    summaries = "".join(
        f"<li><a href='/r{i}'>相关新闻标题{i}</a><p>{COMMENTS[i]}{COMMENTS[i + 1]}</p></li>" for i in range(6)
    )
    return f"<div class='sidebar'><h3>热门文章</h3><ul>{summaries}</ul></div>"


GOLD = "\n".join(BODY)
CASES = {
    "blog-marked-comments": page(
        f"<div class='post'><h1>短缺药品保供稳价</h1><div class='entry'>{paras(BODY)}</div></div>"
        f"<div id='comments'><h3>30条评论</h3>{comment_items('marked')}</div>{sidebar()}"
    ),
    "blog-unmarked-comments": page(
        f"<div class='main'><div class='box'><h1>短缺药品保供稳价</h1><div>{paras(BODY)}</div></div>"
        f"<div class='box'><h3>网友评论</h3>{comment_items('plain')}</div></div>"
    ),
    "forum-thread": page(
        "<div id='postlist'>"
        + "".join(
            f"<div class='post' id='post_{i}'><table><tr><td class='pls'><a href='/space/{i}'>楼主{i}</a></td>"
            f"<td class='plc'><div class='pi'>发表于 2023-11-17 10:{i:02d}</div>"
            f"<div class='t_f'>{content}</div></td></tr></table></div>"
            for i, content in enumerate(["<br>".join(BODY), *COMMENTS[:20]])
        )
        + "</div>"
    ),
    "blocks-split-by-images": page(
        "<div class='article'>"
        + "".join(
            f"<div class='article-content'>{paras(BODY[i : i + 3])}</div>"
            f"<div class='pic'><img src='/{i}.jpg'><p class='pic-title'>图{i}</p></div>"
            for i in range(0, 9, 3)
        )
        + "</div>"
    ),
    "blocks-split-by-ads": page(
        "<div class='wrap'>"
        + "".join(
            f"<div class='text'>{paras(BODY[i : i + 3])}</div>"
            f"<div class='ad-box'><a href='/ad{i}'><img src='/ad.jpg'>广告</a>"
            + "".join(f"<a href='/x{i}{j}'>推广链接{j}</a>" for j in range(6))
            + "</div>"
            for i in range(0, 9, 3)
        )
        + "</div>"
    ),
    "paginated-blocks": page(
        "<div class='content-wrap'>"
        + "".join(
            f"<div id='page{i}' class='page-part'>{paras(BODY[i * 3 : i * 3 + 3])}</div>" for i in range(3)
        )
        + "<div class='pages'><a href='?p=1'>1</a><a href='?p=2'>2</a><a href='?p=3'>3</a><a href='?p=2'>下一页</a></div></div>"
    ),
    "related-summaries": page(
        f"<div id='main'><div class='content'>{paras(BODY)}</div>"
        + "<div class='xgwz'><h3>相关阅读</h3>"
        + "".join(
            f"<div class='item'><a href='/r{i}'>标题{i}</a><p>{COMMENTS[i]}{COMMENTS[i + 5]}</p></div>"
            for i in range(8)
        )
        + f"</div></div>{sidebar()}"
    ),
}


def long_marked_comments(n: int = 72) -> str:
    """A comment section marked by its id, with more prose than the article and no time stamps."""
    items = "".join(
        f"<li class='item'><a href='/u{i}'>网友{i}</a><p>{COMMENTS[i % len(COMMENTS)]}</p></li>"
        for i in range(n)
    )
    return f"<div id='comment_area'><h3>网友评论</h3><ul>{items}</ul></div>"


CASES["blog-long-marked-comments"] = page(
    f"<div class='wrapper'><div class='blog-body'>{paras(BODY)}</div>{long_marked_comments()}</div>"
)
SHORT_POST = BODY[:3]
CASES["forum-short-opening-post"] = page(
    "<div id='postlist'>"
    + "".join(
        f"<div class='post' id='post_{i}'><div class='pi'><a href='/u{i}'>会员{i}</a> 发表于 2023-11-17 10:{i:02d}</div>"
        f"<div class='t_f'>{content}</div></div>"
        for i, content in enumerate(
            ["<br>".join(SHORT_POST), *(COMMENTS[j] + COMMENTS[j + 1] for j in range(12))]
        )
    )
    + "</div>"
)
CASES["blog-columns-prose-sidebar"] = page(
    f"<div class='container'><div class='col-left'><h1>短缺药品保供稳价</h1>{paras(BODY)}</div>"
    "<div class='col-right'>"
    + f"<div class='box'><h3>博主简介</h3><p>{COMMENTS[0]}{COMMENTS[1]}{COMMENTS[2]}</p></div>"
    + f"<div class='box'><h3>公告</h3><p>{COMMENTS[3]}{COMMENTS[4]}</p></div>"
    + "<div class='box'><h3>最新文章</h3><ul>"
    + "".join(f"<li><a href='/p{i}'>{COMMENTS[i][:12]}</a></li>" for i in range(8))
    + "</ul></div></div></div>"
)
CASES["news-lead-paragraph-outside-body-div"] = page(
    f"<div class='main'><p class='lead'>{BODY[0]}</p><div class='txt-body'>{paras(BODY[1:])}</div>"
    f"<div class='info'><p>{COMMENTS[0]}</p></div></div>"
)
CASES["photo-story-unclassed-blocks"] = page(
    "<div class='wrap'><div>"
    + f"<div><img src='/0.jpg'>{paras(BODY[:6])}</div>"
    + "".join(f"<div><img src='/{i}.jpg'><p>{BODY[i]}</p></div>" for i in range(6, 9))
    + "</div></div>"
)
GOLDS = {"forum-short-opening-post": "\n".join(SHORT_POST)}


@pytest.mark.parametrize("name", list(CASES))
def test_body_blocks_are_found_and_comments_left_out(name: str) -> None:
    text = extract_page(CASES[name]).text
    precision, recall, f1 = char_f1(text, GOLDS.get(name, GOLD))
    assert f1 >= 0.95, f"{name}: P {precision:.2f} R {recall:.2f}\n{text[:2000]}"


def test_an_article_that_talks_about_comments_is_kept_whole() -> None:
    # A class such as `comment-article` (an opinion piece) or text mentioning 评论 is not a comment list.
    html = page(f"<div class='comment-article'><div class='content'>{paras(BODY)}</div></div>")
    assert char_f1(extract_page(html).text, GOLD)[2] >= 0.95


@pytest.mark.parametrize("label", ["相关新闻", "【相关阅读】", "推荐阅读：", "猜你喜欢", "网友评论", "更多"])
def test_related_box_heading_left_behind_is_trimmed(label: str) -> None:
    links = "".join(f"<li><a href='/r{i}'>{COMMENTS[i][:14]}</a></li>" for i in range(6))
    html = page(f"<div class='box'>{paras(BODY)}<h3>{label}</h3><ul>{links}</ul></div>")
    assert extract_page(html).text.splitlines() == BODY
