"""Decode stage: unit tests on small committed fixtures, accuracy over ../shared/data/encoding_detection."""

from __future__ import annotations

import csv
import difflib
from pathlib import Path

import pytest

from bench.eval_decode import FAMILIES, blank_declarations
from tasks.transforms.decode import decode_bytes, repair_mojibake, sniff_declared_charset
from tasks.transforms.decode_repair import _has_latin1_lead
from tasks.transforms.models import DecodedText, DecodeError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "encoding"
DATA = Path(__file__).parents[3] / "shared" / "data" / "encoding_detection"
SIMPLIFIED = (FIXTURES / "expected_simplified.txt").read_text(encoding="utf-8")
TRADITIONAL = (FIXTURES / "expected_traditional.txt").read_text(encoding="utf-8")

needs_shared = pytest.mark.skipif(
    not (DATA / "manifest.csv").exists(), reason="../shared/data absent (a user's clone)"
)

# EUC-TW (CNS 11643) has no Python codec: decode_bytes rejects it, so both EUC-TW files count as misses.
CHINESE_CODECS = {"gb2312", "gbk", "gb18030", "big5", "cp950", "big5hkscs", "hz"}


def _manifest() -> list[dict[str, str]]:
    if not (DATA / "manifest.csv").exists():
        return []
    with (DATA / "manifest.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _judge(row: dict[str, str], blank: bool) -> tuple[bool, str]:
    """Decode one manifest file: right when the text equals the gold UTF-8, else when the codec is in the label's family."""
    payload = (DATA / row["file"]).read_bytes()
    try:
        decoded = decode_bytes(blank_declarations(payload) if blank else payload, source_uri=row["file"])
    except DecodeError as err:
        return False, f"rejected: {err.reason}"
    if row["gold_utf8"]:
        ok = decoded.text == (DATA / row["gold_utf8"]).read_text(encoding="utf-8")
    else:
        ok = decoded.encoding in FAMILIES[row["label"].lower()]
    return ok, f"{decoded.encoding} via {decoded.method}"


ROWS = _manifest()
CHINESE_ROWS = [row for row in ROWS if not row["file"].startswith("chardet_negatives_non_chinese/")]
NEGATIVE_ROWS = [row for row in ROWS if row["file"].startswith("chardet_negatives_non_chinese/")]


# ---- accuracy over ../shared ---------------------------------------------------------------------------


@needs_shared
@pytest.mark.shared
@pytest.mark.parametrize("blank", [False, True], ids=["as-published", "declarations-blanked"])
def test_accuracy_on_chinese_files(blank: bool) -> None:
    # Measured 2026-11: 69/72 both ways. Misses: the two EUC-TW files (no Python codec; rejected with that
    # reason) and CPython's 23-byte big5hkscs.txt (HKSCS-only chars that gb18030 also decodes; no signal).
    results = [(row["file"], *_judge(row, blank)) for row in CHINESE_ROWS]
    misses = [f"{name}: {what}" for name, ok, what in results if not ok]
    accuracy = 1 - len(misses) / len(results)
    report = (
        f"accuracy {accuracy:.3f} ({len(results) - len(misses)}/{len(results)}); misses:\n  "
        + "\n  ".join(misses)
    )
    print(report)
    assert accuracy >= 0.95, report


@needs_shared
@pytest.mark.shared
@pytest.mark.parametrize("blank", [False, True], ids=["as-published", "declarations-blanked"])
def test_non_chinese_cjk_is_not_read_as_chinese(blank: bool) -> None:
    # Measured 2026-11: 9/9 right codec (EUC-JP, Shift_JIS, EUC-KR), with and without their XML declarations.
    results = [(row["file"], *_judge(row, blank)) for row in NEGATIVE_ROWS]
    chinese = [f"{name}: {what}" for name, _, what in results if what.split()[0] in CHINESE_CODECS]
    right = sum(ok for _, ok, _ in results)
    report = f"{right}/{len(results)} right; read as Chinese: {chinese}"
    print(report)
    assert not chinese and right == len(results), report


@needs_shared
@pytest.mark.shared
@pytest.mark.parametrize(
    "row",
    [row for row in ROWS if row["gold_utf8"] and row["label"] != "big5hkscs"],
    ids=lambda row: row["file"],
)
def test_cpython_files_match_their_gold_text(row: dict[str, str]) -> None:
    decoded = decode_bytes((DATA / row["file"]).read_bytes())
    assert decoded.text == (DATA / row["gold_utf8"]).read_text(encoding="utf-8")


# ---- unit tests on committed fixtures -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected", "encoding", "method"),
    [
        ("utf8_bom.txt", SIMPLIFIED, "utf-8-sig", "bom"),
        ("gbk_no_declaration.txt", SIMPLIFIED, "gb18030", "detected"),
        ("big5_no_declaration.txt", TRADITIONAL, "big5hkscs", "detected"),
        ("gbk_meta_charset.html", SIMPLIFIED.strip(), "gb18030", "declared"),
        ("big5_declared_gb2312.html", TRADITIONAL.strip(), "big5hkscs", "detected"),
        ("utf8_mojibake_cp1252.txt", SIMPLIFIED, "utf-8", "utf-8"),
    ],
    ids=[
        "utf8-bom",
        "gbk-undeclared",
        "big5-undeclared",
        "gbk-meta-charset",
        "big5-declared-gb2312",
        "utf8-as-cp1252",
    ],
)
def test_fixture_decodes(name: str, expected: str, encoding: str, method: str) -> None:
    decoded = decode_bytes((FIXTURES / name).read_bytes(), source_uri=name)
    assert expected in decoded.text
    assert (decoded.encoding, decoded.method) == (encoding, method)
    assert 0 < decoded.confidence <= 1


def test_wrong_declared_charset_argument_is_not_trusted() -> None:
    payload = (FIXTURES / "big5_no_declaration.txt").read_bytes()
    for wrong in ("gb2312", "utf-8", "iso-8859-1", "euc-jp"):
        decoded = decode_bytes(payload, declared_charset=wrong)
        assert (decoded.text, decoded.encoding, decoded.method) == (TRADITIONAL, "big5hkscs", "detected"), (
            wrong
        )


def test_right_declared_charset_argument_is_used() -> None:
    decoded = decode_bytes(SIMPLIFIED.encode("gbk"), declared_charset="GB2312")
    assert decoded == DecodedText(SIMPLIFIED, "gb18030", decoded.confidence, "declared")


def test_utf8_is_taken_without_detection() -> None:
    decoded = decode_bytes(TRADITIONAL.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.method, decoded.repair) == (
        TRADITIONAL,
        "utf-8",
        "utf-8",
        None,
    )


def test_utf16_without_bom() -> None:
    assert decode_bytes(SIMPLIFIED.encode("utf-16-le")).text == SIMPLIFIED


def test_truncated_last_char_costs_confidence_not_the_text() -> None:
    decoded = decode_bytes(SIMPLIFIED.strip().encode("gbk")[:-1])
    assert decoded.text == SIMPLIFIED.strip()[:-1] + "\ufffd"
    assert decoded.encoding == "gb18030" and decoded.confidence < 0.95


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (b'<?xml version="1.0" encoding="Big5"?><rss/>', "big5"),
        (b'<html><head><meta charset="gbk"></head>', "gbk"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=GB2312" />', "gb2312"),
        (b"\xef\xbb\xbf<?xml version='1.0' encoding='utf-8'?>", "utf-8"),
        (b"<html><body>no declaration</body></html>", None),
    ],
    ids=["xml-decl", "meta-charset", "meta-http-equiv", "bom-then-xml", "none"],
)
def test_sniff_declared_charset(payload: bytes, expected: str | None) -> None:
    assert sniff_declared_charset(payload) == expected


def test_mojibake_utf8_read_as_gbk_is_repaired() -> None:
    mojibake = "新闻报道".encode().decode("gbk")  # 鏂伴椈鎶ラ亾
    assert repair_mojibake(mojibake) == ("新闻报道", "utf-8 read as gbk")
    decoded = decode_bytes(mojibake.encode("utf-8"))
    assert (decoded.text, decoded.repair) == ("新闻报道", "utf-8 read as gbk")


def test_lossy_gbk_mojibake_is_mostly_repaired() -> None:
    decoded = decode_bytes((FIXTURES / "utf8_mojibake_gbk.txt").read_bytes())
    assert decoded.repair == "utf-8 read as gbk (lossy)"
    assert difflib.SequenceMatcher(None, decoded.text, SIMPLIFIED).ratio() > 0.85


def test_mojibake_utf8_read_as_cp1252_is_repaired() -> None:
    assert repair_mojibake("æ–°é—»") == ("新闻", "utf-8 read as cp1252")
    assert repair_mojibake("Ã©tÃ©") == ("été", "utf-8 read as cp1252")


@pytest.mark.parametrize(
    "text",
    [
        "饕餮盛宴，魑魅魍魉，龘靐齉。",
        "蘄春縣的鄜州與郯城",
        "Café naïve résumé — “quotes” 2€",
        "¿Qué? Ça va.",
        TRADITIONAL,
        "plain ascii",
    ],
    ids=["rare-hanzi", "rare-place-names", "french-cp1252-punct", "spanish", "traditional", "ascii"],
)
def test_real_text_is_not_repaired(text: str) -> None:
    assert repair_mojibake(text) == (text, None)
    assert decode_bytes(text.encode("utf-8")).repair is None


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"", "empty"),
        (bytes(range(256)) * 4, "NUL"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes((i * 97 + 13) % 256 for i in range(2000)), "NUL"),
        (SIMPLIFIED.encode() + bytes(1 + (i * 37 + 11) % 31 for i in range(50)), "control"),
        (bytes(0x80 + (i * 151 + 7) % 128 for i in range(1000)), "plausible"),
    ],
    ids=["empty", "all-bytes", "png", "control-chars", "high-bytes-noise"],
)
def test_junk_is_rejected_with_a_reason(payload: bytes, reason: str) -> None:
    with pytest.raises(DecodeError) as err:
        decode_bytes(payload, source_uri="junk.bin")
    assert reason in err.value.reason and err.value.source_uri == "junk.bin" and err.value.stage == "decode"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", False),
        ("中文新闻，ASCII ©·×", True),
        ("中文新闻 © ÷ ä", True),
        ("中文新闻 © · ¿ õ", False),
        ("\ud800 𠀀 Â", True),
    ],
    ids=["empty", "times-sign", "a-umlaut", "outside-range", "lone-surrogate-and-astral"],
)
def test_latin1_lead_check_finds_chars_u00c2_to_u00f4(text: str, expected: bool) -> None:
    """The numpy pre-check that lets repair_mojibake skip its regex sees every possible lead char."""
    assert _has_latin1_lead(text) is expected
    assert _has_latin1_lead(text) == any("\u00c2" <= ch <= "\u00f4" for ch in text)
