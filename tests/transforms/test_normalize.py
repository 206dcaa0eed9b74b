"""Normalize-script stage: ruby readings, Traditional -> Simplified, punctuation, whitespace, offset maps."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from tasks.transforms.normalize import (
    _chunk_map,
    _readings,
    _syllable_key,
    detect_script,
    normalize_punctuation,
    normalize_text,
    strip_ruby,
    to_simplified,
)

SEED = Path(__file__).parents[1] / "fixtures" / "seed" / "china_daily_2025-04-20_liuzhou_ip_week.txt"
HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


@pytest.fixture(scope="module")
def seed_raw() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_raw: str):
    return normalize_text(seed_raw)


def assert_offsets_point_at_sources(norm) -> None:
    """Every normalized char maps to the raw char it came from, in order, with the end sentinel."""
    assert len(norm.offsets) == len(norm.text) + 1
    assert norm.offsets[-1] == len(norm.raw)
    assert list(norm.offsets) == sorted(norm.offsets)
    for i, ch in enumerate(norm.text):
        src = norm.raw[norm.offsets[i]]
        ok = (
            ch == src
            or to_simplified(src) == ch
            or HALF_TO_FULL.get(src) == ch
            or unicodedata.normalize("NFD", ch)[0] == src  # NFC composed it from `src` + marks
            or (ch == " " and src in " \t\u00a0")
            or (ch == "\n" and src in "\r\n")
        )
        assert ok, f"text[{i}]={ch!r} maps to raw[{norm.offsets[i]}]={src!r}"


# ---- strip_ruby ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected", "count"),
    [
        pytest.param("國家知識產(chǎn)權(quán)局", "國家知識產權局", 2, id="seed-chan-quan"),
        pytest.param("廣西壯族自治區(qū)", "廣西壯族自治區", 1, id="seed-qu-heteronym"),
        pytest.param("指導(dǎo)", "指導", 1, id="seed-dao"),
        pytest.param("經(jīng)濟社會", "經濟社會", 1, id="seed-jing"),
        pytest.param("創(chuàng)新發(fā)展", "創新發展", 2, id="seed-chuang-fa"),
        pytest.param("產（chǎn）權（quán）", "產權", 2, id="fullwidth-parens"),
        pytest.param("產(chan3)權(quan2)", "產權", 2, id="tone-digits"),
        pytest.param("绿(lǜ)", "绿", 1, id="u-umlaut-mark"),
        pytest.param("绿(lv4)", "绿", 1, id="v-for-u-umlaut"),
        pytest.param("區(qu1)", "區", 1, id="qu-spelled-u"),
        pytest.param("妈(ma)", "妈", 1, id="toneless-ma"),
        pytest.param("桌子(zi)", "桌子", 1, id="neutral-tone"),
        pytest.param("子(zi5)", "子", 1, id="neutral-tone-digit"),
        pytest.param("張(Zhāng)", "張", 1, id="capitalised"),
    ],
)
def test_strip_ruby_removes_readings(raw: str, expected: str, count: int) -> None:
    text, index, stripped = strip_ruby(raw)
    assert (text, stripped) == (expected, count)
    assert len(index) == len(text) + 1 and index[-1] == len(raw)
    assert all(raw[index[i]] == ch for i, ch in enumerate(text))


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("价值(value)", id="english-gloss"),
        pytest.param("第一场(a)", id="list-letter"),
        pytest.param("中国质量认证中心(CQC)", id="acronym"),
        pytest.param("(中国日报社 广西记者站 张莉)", id="byline"),
        pytest.param("报告(2025)", id="year"),
        pytest.param("中(middle)", id="latin-word-not-reading"),
        pytest.param("產(chán)", id="wrong-tone"),
        pytest.param("中(zhang)", id="other-chars-reading"),
        pytest.param("abc(chǎn)", id="no-han-before"),
        pytest.param("產 (chǎn)", id="space-before"),
    ],
)
def test_strip_ruby_keeps_parentheticals(raw: str) -> None:
    assert strip_ruby(raw) == (raw, list(range(len(raw) + 1)), 0)


def test_readings_are_pypinyins_heteronyms(seed_raw: str) -> None:
    """The per-char table read from pypinyin's data file gives what pypinyin itself gives, heteronyms included."""
    from pypinyin import Style, pinyin

    chars = sorted({c for c in seed_raw + "了长重行乐和还都差" if "\u4e00" <= c <= "\u9fff"})
    for ch in chars:
        expected = {
            (base, tone or 5)
            for style in (Style.TONE, Style.TONE3)
            for r in pinyin(ch, heteronym=True, style=style, neutral_tone_with_five=True, v_to_u=True)[0]
            for base, tone in [_syllable_key(r)]
        }
        assert _readings(ch) == expected, ch
    assert ("le", 5) in _readings("了") and ("liao", 3) in _readings("了")


# ---- the seed -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("phrase", ["国家知识产权局", "柳州螺蛳粉", "张壮", "李泽", "广西壮族自治区", "张莉"])
def test_seed_reads_as_simplified(seed, phrase: str) -> None:
    assert phrase in seed.text


def test_seed_provenance(seed) -> None:
    assert seed.script_original == "hant"
    assert seed.ruby_stripped == 200


def test_seed_has_no_readings_left(seed) -> None:
    assert not re.search(r"[(（][a-zA-Z\u00c0-\u024f]", seed.text)


def test_seed_has_no_traditional_chars(seed) -> None:
    assert [ch for ch in sorted(set(seed.text)) if to_simplified(ch) != ch] == []


@pytest.mark.parametrize(
    "snippet",
    [
        pytest.param("指导，广西", id="comma-between-han"),
        pytest.param("14.1%，新经济", id="comma-after-percent"),
        pytest.param("均居全区第一；大力", id="semicolon"),
        pytest.param("68%、32%", id="shares-intact"),
        pytest.param("3185件", id="count-intact"),
        pytest.param("（中国日报社 广西记者站 张莉）", id="byline-fullwidth"),
    ],
)
def test_seed_punctuation(seed, snippet: str) -> None:
    assert snippet in seed.text


def test_seed_has_no_halfwidth_comma_in_chinese(seed) -> None:
    assert "," not in seed.text and ";" not in seed.text


def test_seed_offsets_point_at_raw_chars(seed) -> None:
    assert_offsets_point_at_sources(seed)


def test_seed_raw_span_covers_readings(seed) -> None:
    start = seed.text.index("国家知识产权局")
    a, b = seed.raw_span(start, start + len("国家知识产权局"))
    assert seed.raw[a:b] == "國家知識產(chǎn)權(quán)局"
    assert seed.raw[seed.offsets[start + 4]] == "產"


# ---- punctuation ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("共3,185件", "共3,185件", id="thousands-separator"),
        pytest.param("时间12:30开始", "时间12:30开始", id="clock-time"),
        pytest.param("时间:12:30", "时间：12:30", id="label-colon-then-time"),
        pytest.param("Hello, world", "Hello, world", id="latin-comma"),
        pytest.param("Hello, world! Yes? a:b; c", "Hello, world! Yes? a:b; c", id="latin-sentence"),
        pytest.param("他来了,我走了;你呢?好!", "他来了，我走了；你呢？好！", id="chinese-sentence"),
        pytest.param("真的?!", "真的？！", id="run-after-han"),
        pytest.param("增长14.1%,新", "增长14.1%，新", id="after-percent"),
        pytest.param("“好”,他说", "“好”，他说", id="after-quote"),
        pytest.param("认证中心(CQC)发布", "认证中心(CQC)发布", id="latin-parens-stay"),
        pytest.param("报告(2025)", "报告(2025)", id="digit-parens-stay"),
        pytest.param("价值(value)", "价值(value)", id="gloss-parens-stay"),
        pytest.param("(中国日报社 张莉)", "（中国日报社 张莉）", id="han-parens"),
        pytest.param("见(图1)", "见（图1）", id="mixed-content-parens"),
        pytest.param("半个(括号", "半个(括号", id="unpaired"),
        pytest.param("", "", id="empty"),
        pytest.param("张三､李四｡｢好｣", "张三、李四。「好」", id="halfwidth-cjk-marks"),
        pytest.param("a､b,c", "a、b,c", id="halfwidth-comma-among-latin"),
    ],
)
def test_normalize_punctuation(raw: str, expected: str) -> None:
    out = normalize_punctuation(raw)
    assert out == expected
    assert len(out) == len(raw)


# ---- invisible chars, whitespace, NFC ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("中\u200b国", "中国", id="zwsp"),
        pytest.param("\ufeff中国", "中国", id="bom"),
        pytest.param("中\u200c\u200d国\u2060人", "中国人", id="zwnj-zwj-wj"),
        pytest.param("中\u00ad国\u200e", "中国", id="soft-hyphen-lrm"),
        pytest.param("a\r\nb\rc", "a\nb\nc", id="line-ends"),
        pytest.param("a  \t b", "a b", id="space-run"),
        pytest.param("中国  \n人民 \t", "中国\n人民", id="trailing-spaces"),
        pytest.param("\u3000\u3000中国", "\u3000\u3000中国", id="ideographic-indent-kept"),
        pytest.param("Cafe\u0301", "Café", id="nfc"),
    ],
)
def test_cleanup(raw: str, expected: str) -> None:
    norm = normalize_text(raw)
    assert norm.text == expected
    assert_offsets_point_at_sources(norm)


def test_nfc_maps_composed_char_to_its_base() -> None:
    norm = normalize_text("Cafe\u0301 ok")
    assert norm.text == "Café ok"
    assert norm.raw_span(3, 4) == (3, 4)
    assert list(norm.offsets[4:]) == [5, 6, 7, 8]


def test_messy_input_offsets() -> None:
    raw = "\ufeff國家知識產(chǎn)\u200b權(quán)局 ,  發(fā)佈\r\n價值(value)  \n"
    norm = normalize_text(raw)
    assert norm.text == "国家知识产权局 ， 发布\n价值(value)\n"
    assert norm.ruby_stripped == 3
    assert_offsets_point_at_sources(norm)


# ---- script -------------------------------------------------------------------------------------------------------


def test_simplified_input_is_unchanged() -> None:
    raw = "柳州市委副书记、市人民政府市长张壮表示，创新是引领发展的第一动力。"
    norm = normalize_text(raw)
    assert norm.text == raw
    assert norm.script_original == "hans"
    assert list(norm.offsets) == list(range(len(raw) + 1))


@pytest.mark.parametrize(
    ("text", "label"),
    [
        pytest.param("國家知識產權局", "hant", id="traditional"),
        pytest.param("国家知识产权局", "hans", id="simplified"),
        pytest.param("这是简体中文的句子。這是繁體中文的句子。", "mixed", id="half-and-half"),
        pytest.param("人民", "hans", id="shared-chars-only"),
        pytest.param("Hello, world 2025", "other", id="no-han"),
        pytest.param("", "other", id="empty"),
    ],
)
def test_detect_script(text: str, label: str) -> None:
    assert detect_script(text) == label


def test_mixed_text_is_converted() -> None:
    norm = normalize_text("这是简体中文的句子。這是繁體中文的句子。")
    assert norm.script_original == "mixed"
    assert norm.text == "这是简体中文的句子。这是繁体中文的句子。"


@pytest.mark.parametrize(
    ("start", "in_len", "out_len", "expected"),
    [
        pytest.param(5, 3, 3, [5, 6, 7], id="same-length-1to1"),
        pytest.param(0, 4, 2, [0, 2], id="shorter"),
        pytest.param(10, 2, 4, [10, 10, 11, 11], id="longer"),
    ],
)
def test_chunk_map_stays_inside_chunk(start: int, in_len: int, out_len: int, expected: list[int]) -> None:
    assert _chunk_map(start, in_len, out_len) == expected


def test_lone_surrogate_does_not_break_conversion() -> None:
    # A JSON "\ud800" escape survives into text; OpenCC's C++ core cannot encode it to UTF-8.
    result = normalize_text("國家\ud800知識產權局")
    assert result.text == "国家\ufffd知识产权局"
    assert len(result.offsets) == len(result.text) + 1
