"""MinHash signatures: identical bodies agree, copies score near their Jaccard, different articles far apart."""

from __future__ import annotations

import zlib

import pytest

from tasks.transforms.stories import BANDS, NUM_BINS, shingles, signature_similarity, story_signature
from tests.conftest import SAMPLES

SEED = (SAMPLES / "china_daily_2025-04-20_liuzhou_ip_week.txt").read_text(encoding="utf-8")
OTHER = (SAMPLES / "xinhuanet_2020-02-19_wuhan_voices.html").read_text(encoding="utf-8")


def _jaccard(a: str, b: str) -> float:
    x, y = shingles(a), shingles(b)
    return len(x & y) / len(x | y)


def test_identical_bodies_have_identical_signatures() -> None:
    a, b = story_signature(SEED), story_signature(SEED)
    assert a == b
    assert len(a.values) == NUM_BINS and len(a.band_keys) == BANDS


def test_whitespace_does_not_change_the_signature() -> None:
    assert story_signature(SEED) == story_signature(SEED.replace("\n", "\n\n  "))


def test_similarity_estimates_jaccard_of_a_trimmed_copy() -> None:
    paragraphs = [p for p in SEED.splitlines() if p.strip()]
    copy = "\n".join(paragraphs[: len(paragraphs) * 2 // 3]) + "\n本文来源：某某网 责任编辑：王某"
    estimate = signature_similarity(story_signature(SEED).values, story_signature(copy).values)
    assert abs(estimate - _jaccard(SEED, copy)) < 0.12


def test_different_articles_are_far_apart() -> None:
    assert signature_similarity(story_signature(SEED).values, story_signature(OTHER).values) < 0.1


def test_short_body_is_one_shingle() -> None:
    assert shingles("新闻") == {"新闻"}


def _reference_bins(body: str) -> list[int]:
    """Each distinct shingle's zlib.crc32 spread by Fibonacci hashing, the minimum kept per bin (one by one)."""
    bins = [(1 << 64) - 1] * NUM_BINS
    for shingle in shingles(body):
        h = (zlib.crc32(shingle.encode("utf-32-le")) * 0x9E3779B97F4A7C15) & ((1 << 64) - 1)
        bins[h >> 57] = min(bins[h >> 57], h)
    return bins


@pytest.mark.parametrize(
    "body",
    [
        SEED,
        SEED[:300],
        "新闻",
        "",
        "五个字符呀",
        "六个字符呀呀",
        "𠀀𠀁 astral 𪚥 chars 😀 and ASCII\x00\u00ff",
        "重复" * 200,
    ],
    ids=["seed", "lead", "short", "empty", "one-shingle", "two-shingles", "astral", "repeats"],
)
def test_bins_equal_zlib_crc32_per_shingle(body: str) -> None:
    """The vectorised CRCs give the signature the per-shingle zlib loop gives (band keys stored in a warehouse stay
    valid): every filled bin holds the reference's minimum."""
    reference = _reference_bins(body)
    values = story_signature(body).values
    filled = [i for i, v in enumerate(reference) if v != (1 << 64) - 1]
    assert filled and all(values[i] == reference[i] for i in filled)
