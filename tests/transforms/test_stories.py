"""MinHash signatures: identical bodies agree, copies score near their Jaccard, different articles far apart."""

from __future__ import annotations

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
