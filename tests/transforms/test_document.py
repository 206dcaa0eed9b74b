"""The document layers: the linear merge, relations over a hand-built entity layer, byline roles."""

from __future__ import annotations

import pytest

from tasks.transforms.facts import build_document, mentions
from tasks.transforms.facts.byline import extract_byline
from tasks.transforms.facts.document import Document, add_sentences
from tasks.transforms.facts.entity_layer import _joined_two_fields
from tasks.transforms.facts.quotes import extract_quotes
from tasks.transforms.facts.roles import extract_roles
from tasks.transforms.models import Mention


def _layer(text: str, *spans: tuple[str, str] | tuple[str, str, str]) -> Document:
    """A document whose entity layer is given: (kind, surface[, canonical name]) at the surface's first place."""
    entities = []
    for kind, surface, *name in spans:
        start = text.index(surface)
        entities.append(Mention(kind, name[0] if name else surface, surface, start, start + len(surface)))
    return add_sentences(Document(text, entities=tuple(sorted(entities, key=lambda m: m.start))))


# ---- the merge --------------------------------------------------------------------------------------------------


def _m(kind: str, start: int, end: int) -> Mention:
    return Mention(kind, f"{kind}{start}", f"{kind}{start}", start, end)


def test_merge_rule_beats_crossing_lexicon_span() -> None:
    rule, lexicon = [_m("person", 2, 5)], [_m("location", 0, 3)]
    assert mentions.merge_mentions(rule, lexicon) == (rule[0],)


def test_merge_longer_nested_span_wins_and_output_is_flat() -> None:
    outer, inner, later = _m("organization", 0, 6), _m("location", 0, 2), _m("person", 6, 8)
    merged = mentions.merge_mentions([inner, later], [outer])
    assert merged == (outer, later)
    assert all(a.end <= b.start for a, b in zip(merged, merged[1:], strict=False))


def _span(text: str, kind: str, surface: str) -> Mention:
    start = text.index(surface)
    return Mention(kind, surface, surface, start, start + len(surface))


def test_a_suffix_read_name_of_two_fields_replaces_the_taggers_cut() -> None:
    text = "工业和信息化部提前应对流感"
    tagger, suffix_read = (
        _span(text, "organization", "信息化部"),
        _span(text, "organization", "工业和信息化部"),
    )
    assert _joined_two_fields([tagger], [suffix_read]) == [suffix_read]
    text = "北京市发展和改革委员会主任"  # the tagger cut it at the place too
    place, body = _span(text, "location", "北京市"), _span(text, "organization", "改革委员会")
    suffix_read = _span(text, "organization", "北京市发展和改革委员会")
    assert _joined_two_fields([place, body], [suffix_read]) == [suffix_read]
    text = "全国人大及其常委会"  # a body before the conjunction: two bodies stand
    first, second = _span(text, "organization", "全国人大"), _span(text, "organization", "常委会")
    assert _joined_two_fields([first, second], [_span(text, "organization", text)]) == [first, second]
    text = "中国国家统计局发布"  # no conjunction: the tagger's span stands
    tagger, suffix_read = (
        _span(text, "organization", "国家统计局"),
        _span(text, "organization", "中国国家统计局"),
    )
    assert _joined_two_fields([tagger], [suffix_read]) == [tagger]


def test_merge_compares_each_candidate_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch) -> None:
    # Overlapping chains of candidates: a loop over pairs would compare ~n^2/2 times, the sweep at most ~2n.
    calls = 0
    beats = mentions._beats

    def counting(*args: object) -> bool:
        nonlocal calls
        calls += 1
        return beats(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(mentions, "_beats", counting)
    n = 3000
    rule = [_m("person", 3 * i, 3 * i + 2) for i in range(n)]
    lexicon = [_m("location", 3 * i + 1, 3 * i + 4) for i in range(n)]
    merged = mentions.merge_mentions(rule, lexicon)
    assert len(merged) == n
    assert calls <= 2 * len(rule + lexicon)


def test_confirmed_names_are_spread_in_one_pass() -> None:
    text = "张壮表示，张壮市长和王强都来了，王强说。"
    found = {(m.surface, m.start) for m in mentions.spread_names(text, ["张壮", "王强"])}
    assert found == {("张壮", 0), ("张壮", 5), ("王强", 10), ("王强", 16)}


# ---- relations over a hand-built entity layer ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        pytest.param(
            _layer("柳州市长王䶮出席。", ("location", "柳州市"), ("person", "王䶮")),
            {("王䶮", "市长", "柳州市")},
            id="place-runs-into-title",
        ),
        pytest.param(
            _layer("吉林省长春市做了尝试。", ("location", "吉林省"), ("location", "长春市")),
            set(),
            id="title-inside-place-names",
        ),
        pytest.param(
            _layer("习近平主席贺信精神。", ("person", "习近平")),
            {("习近平", "主席", None)},
            id="letter-is-no-person",
        ),
        pytest.param(
            _layer("泛民主派人民力量的直选议员黄毓民、陈伟业。", ("person", "黄毓民"), ("person", "陈伟业")),
            {("黄毓民", "议员", None), ("陈伟业", "议员", None)},
            id="no-entity-no-organization",
        ),
        pytest.param(
            _layer(
                "西南大学党委书记李旭锋教授、中国地理学会副理事长兼秘书长张国友研究员出席。",
                ("organization", "西南大学"),
                ("person", "李旭锋"),
                ("organization", "中国地理学会"),
                ("person", "张国友"),
            ),
            {
                ("李旭锋", "党委书记", "西南大学"),
                ("李旭锋", "教授", None),
                ("张国友", "副理事长", "中国地理学会"),
                ("张国友", "秘书长", "中国地理学会"),
                ("张国友", "研究员", None),
            },
            id="list-of-titled-people",
        ),
        pytest.param(
            _layer("中国科学院南京分院原院长佘之祥研究员、重庆市科协副巡视员袁强出席。", ("person", "袁强")),
            {("袁强", "副巡视员", None)},
            id="element-of-an-unrecognised-name",
        ),
        pytest.param(
            _layer(
                "市人民政府市长张壮", ("organization", "市人民政府", "柳州市人民政府"), ("person", "张壮")
            ),
            {("张壮", "市长", "柳州市人民政府")},
            id="resolved-bare-level-body",
        ),
    ],
)
def test_roles_over_entity_layer(doc: Document, expected: set[tuple[str, str, str | None]]) -> None:
    assert {(r.person, r.title, r.organization) for r in extract_roles(doc)} == expected


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        pytest.param(_layer("文章表示，这很好。"), [], id="article-is-no-speaker"),
        pytest.param(_layer("记者表示，这很好。"), [], id="reporter-is-no-speaker"),
        pytest.param(
            _layer("陈同佳表示︰“我做了错事。”", ("person", "陈同佳")),
            [("陈同佳", "我做了错事。")],
            id="presentation-form-colon",
        ),
        pytest.param(
            _layer("张严介绍，“外挂”5G芯片就是两块芯片。", ("person", "张严")),
            [("张严", "“外挂”5G芯片就是两块芯片。")],
            id="scare-quote-is-no-quote",
        ),
        pytest.param(
            _layer("“我们会回来的，”张伟说。", ("person", "张伟")),
            [("张伟", "我们会回来的，")],
            id="quote-first",
        ),
    ],
)
def test_quotes_over_entity_layer(doc: Document, expected: list[tuple[str, str]]) -> None:
    assert [(q.speaker, q.text) for q in extract_quotes(doc)] == expected


# ---- the entity layer ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "not_people"),
    [
        pytest.param("“习主席给论坛发来贺信，这是好机会。”", {"习", "贺信"}, id="bare-surname"),
        pytest.param("但法国总理菲利普8日表示，不会让步。", {"但法国"}, id="word-holding-a-place"),
        pytest.param("紫光展锐高级副总裁周晨对记者介绍，功耗很大。", {"展锐"}, id="body-before-post"),
    ],
)
def test_entity_layer_rejects(text: str, not_people: set[str]) -> None:
    doc = build_document(text)
    assert not (doc.people & not_people), doc.entities
    assert all(text[m.start : m.end] == m.surface for m in doc.entities)


def test_foreign_name_after_title_is_a_person() -> None:
    doc = build_document("但法国总理菲利普8日表示，不会让步。")
    assert {(r.person, r.title, r.organization) for r in doc.roles} == {("菲利普", "总理", "法国")}


# ---- byline roles ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reporter", "photographer", "editor"),
    [
        # Source: news_html_gold trafilatura_eval xinhuanet.com.c_1125597921 (新华社, 2020-02-19).
        pytest.param(
            "在献血浆时拍照留念。新华社记者 才扬 摄\n那些谣言", None, "才扬", None, id="xinhua-photo"
        ),
        # Source: gne_silver 163/7 and thepaper/2.
        pytest.param(
            "新京报记者 陆一夫\n编辑 刘晓阳 校对 李铭", "陆一夫", None, "刘晓阳", id="reporter-editor"
        ),
        pytest.param("编辑|禤志杰\n责编|陈梦莹\n校对|黄慧敏", None, None, "禤志杰、陈梦莹", id="editors"),
        pytest.param(
            "广州日报全媒体图片记者黎旭阳、李妍摄\n在建", None, "黎旭阳、李妍", None, id="two-photographers"
        ),
        pytest.param(
            "医技药剂党支部、药剂科供稿 摄影/张艳 编辑/苏芳", None, "张艳", "苏芳", id="slash-credits"
        ),
        pytest.param("长江网10月4日讯（记者陈智 整合） 国庆", "陈智", None, None, id="note-is-no-name"),
        pytest.param("责任编辑：王五\n", None, None, "王五", id="responsible-editor"),
        # A space before the credit: 新华社记者 is the photographer's title, not a second name.
        pytest.param("图为会场 新华社记者 才扬 摄\n那些", None, "才扬", None, id="title-after-a-space"),
        # A correspondent after the reporter inside one credit is a contributor too, not the only one.
        pytest.param(
            "会议召开。（记者 张三 通讯员 李四）", "张三、李四", None, None, id="reporter-correspondent"
        ),
        # 摄影报道: took the pictures and reported; an editor credit in brackets closing the article.
        pytest.param(
            "本报记者 王五 摄影报道\n市政府召开发布会。\n（责任编辑：赵六）",
            "王五",
            None,
            "赵六",
            id="photo-report",
        ),
    ],
)
def test_byline_roles(text: str, reporter: str | None, photographer: str | None, editor: str | None) -> None:
    byline = extract_byline(text)
    assert byline is not None
    assert (byline.reporter, byline.photographer, byline.editor) == (reporter, photographer, editor)


def test_photographer_is_not_a_byline_reporter_role() -> None:
    doc = build_document("拍照留念。新华社记者 才扬 摄\n那些谣言也让人疲于招架。")
    assert doc.byline is not None and doc.byline.photographer == "才扬"
    assert doc.byline.reporter is None


def test_with_layers_copies_layers_and_forgets_cached_lookups() -> None:
    text = "张壮表示，柳州好。"
    doc = Document(text, entities=(Mention("person", "张壮", "张壮", 0, 2),))
    assert doc.people == frozenset({"张壮"}) and doc.entity_at[0].name == "张壮"
    later = add_sentences(doc).with_layers(entities=(Mention("location", "柳州", "柳州", 5, 7),))
    assert later.sentences and later.text == text and later.people == frozenset()
    assert later.entity_at == {5: Mention("location", "柳州", "柳州", 5, 7)}
    assert doc.people == frozenset({"张壮"})  # the original is unchanged
    with pytest.raises(TypeError, match="no layer"):
        doc.with_layers(entites=())


def test_a_camera_lens_after_a_number_is_no_photo_credit() -> None:
    # Source: gne_silver wechat/1 (a phone review): 1200 万主摄 is the main camera of 12 megapixels.
    text = "后置的矩形相机模组内拥有三颗摄像头，具体为 1200 万主摄 +6400 万长焦 +1200 万广角，支持 3 倍光学变焦。"
    assert extract_byline(text) is None
