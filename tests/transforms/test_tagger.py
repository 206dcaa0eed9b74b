"""The entity tagger: shipped model loads and tags deterministically, Viterbi is exact, training runs end to end."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

import tasks.transforms.facts.tagger as tagger_module
from tasks.transforms.facts.entities import find_entities
from tasks.transforms.facts.tagger import (
    N_TAGS,
    ModelError,
    allowed_transitions,
    decode,
    load_tagger,
    read_tagger,
    spans_from_tags,
    split_name_lists,
    to_bytes,
)
from tasks.transforms.facts.tagger_features import codepoints, feature_buckets
from tasks.transforms.facts.tagger_train import parse_records, score_spans, train_tagger
from tests.conftest import FIXTURES, SEED, SHARED_DATA
from tests.transforms.tagger_reference import reference_buckets, reference_tags

TINY = FIXTURES / "ner" / "tiny_train.jsonl"


def test_shipped_model_loads_once_and_tags_deterministically() -> None:
    tagger = load_tagger()
    assert load_tagger(None) is tagger
    text = SEED.read_text(encoding="utf-8")
    first = tagger.tag(text)
    assert first == tagger.tag(text) == load_tagger().tag(text)
    assert first, "the seed article names people, places and organizations"
    for a, b in itertools.pairwise(first):
        assert a.end <= b.start
    for m in first:
        assert 0 <= m.start < m.end <= len(text)
        assert m.surface == text[m.start : m.end]
        assert m.kind in {"person", "location", "organization"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "国务院总理李鹏今天在北京会见了美国总统克林顿。",
            {
                ("organization", "国务院"),
                ("person", "李鹏"),
                ("location", "北京"),
                ("location", "美国"),
                ("person", "克林顿"),
            },
            id="title-names-places",
        ),
        pytest.param(
            "由国家知识产权局、广西壮族自治区人民政府指导的活动在柳州举行。",
            {
                ("organization", "国家知识产权局"),
                ("organization", "广西壮族自治区人民政府"),
                ("location", "柳州"),
            },
            id="government-bodies-one-span",
        ),
    ],
)
def test_entities_of_news_sentences(text: str, expected: set[tuple[str, str]]) -> None:
    assert {(m.kind, m.surface) for m in find_entities(text)} == expected


def test_find_entities_gives_canonical_place_names() -> None:
    found = {(m.kind, m.name, m.level) for m in find_entities("柳州的企业代表来到广西")}
    assert ("location", "柳州市", "city") in found
    assert ("location", "广西壮族自治区", "province") in found


@pytest.mark.parametrize(
    "text", ["", " ", "。", "2025", "abc"], ids=["empty", "space", "punct", "digits", "latin"]
)
def test_tagger_edge_inputs(text: str) -> None:
    assert all(text[m.start : m.end] == m.surface for m in load_tagger().tag(text))


def _brute_force(emit: np.ndarray, transitions: np.ndarray) -> list[int]:
    """Best valid path by enumerating every tag sequence (tiny inputs only)."""
    best, best_path = -np.inf, None
    for path in itertools.product(range(N_TAGS), repeat=len(emit)):
        framed = (0, *path, 0)
        score = sum(transitions[a, b] for a, b in itertools.pairwise(framed))
        score += sum(emit[i, t] for i, t in enumerate(path))
        if score > best:
            best, best_path = score, list(path)
    assert best_path is not None
    return best_path


@pytest.mark.parametrize("seed", range(4))
def test_decode_matches_brute_force(seed: int) -> None:
    rng = np.random.default_rng(seed)
    transitions = np.where(allowed_transitions(), rng.normal(size=(N_TAGS, N_TAGS)), -1e9).astype(np.float32)
    emit = rng.normal(scale=2.0, size=(3, N_TAGS)).astype(np.float32)
    assert decode(emit, transitions, float("inf")).tolist() == _brute_force(emit, transitions)


def test_decoding_in_bounded_calls_gives_the_tags_of_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    # Runs between confident O chars are independent, so cutting them into calls of a few slots changes nothing.
    tagger = load_tagger()
    text = SEED.read_text("utf-8") * 3
    emit, closed = tagger.emissions(text), np.zeros(len(text), dtype=bool)
    whole = decode(emit, tagger.transitions, tagger.margin, closed)
    monkeypatch.setattr(tagger_module, "MAX_DECODE_SLOTS", 8)
    assert np.array_equal(decode(emit, tagger.transitions, tagger.margin, closed), whole)
    assert np.count_nonzero(whole) > 50  # the seed names people, places and organizations


def test_spans_from_tags() -> None:
    # O B-PER E-PER S-LOC B-ORG I-ORG E-ORG O
    assert spans_from_tags(np.array([0, 1, 3, 8, 9, 10, 11, 0])) == [
        ("PER", 1, 3),
        ("LOC", 3, 4),
        ("ORG", 4, 7),
    ]


def test_training_end_to_end_on_a_tiny_sample(tmp_path: Path) -> None:
    sentences = parse_records(TINY.read_text(encoding="utf-8").splitlines(), str(TINY))
    tagger, report = train_tagger(sentences, sentences[:4], epochs=6, bits=16)
    assert report.best_epoch >= 1 and len(report.dev_f1) == 6
    path = tmp_path / "tiny.npz"
    path.write_bytes(to_bytes(tagger))
    reloaded = load_tagger(path)
    gold = [set(s.spans) for s in sentences]
    kinds = {"person": "PER", "location": "LOC", "organization": "ORG"}
    pred = [{(kinds[m.kind], m.start, m.end) for m in reloaded.tag(s.text)} for s in sentences]
    assert score_spans(gold, pred) >= 0.8  # it learns what it was shown
    assert read_tagger(path).tag(sentences[0].text) == reloaded.tag(sentences[0].text)


def test_bad_model_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.npz"
    path.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="broken.npz"):
        read_tagger(path)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        pytest.param(
            '{"text": "abc", "entities": [{"type": "PER", "start": 2, "end": 5}]}',
            "bad entity",
            id="out-of-text",
        ),
        pytest.param(
            '{"text": "abc", "entities": [{"type": "MISC", "start": 0, "end": 1}]}', "bad entity", id="type"
        ),
        pytest.param('{"entities": []}', "not a training record", id="no-text"),
        pytest.param("{not json", "not a training record", id="json"),
    ],
)
def test_bad_training_records_name_the_line(line: str, reason: str) -> None:
    from tasks.transforms.facts.tagger_train import TrainingDataError

    with pytest.raises(TrainingDataError, match=f"data.jsonl:2: {reason}"):
        parse_records(['{"text": "x", "entities": []}', line], "data.jsonl")


def test_tag_many_equals_tag_one_by_one() -> None:
    tagger = load_tagger()
    texts = [
        "国务院总理李鹏今天在北京会见了美国总统克林顿。",
        "",
        "北京",
        "清华大学微电子所所长魏少军表示，芯片产业发展很快",
        SEED.read_text(encoding="utf-8")[:3000],
        "a",
    ]
    assert tagger.tag_many(texts) == [tagger.tag(t) for t in texts]
    assert tagger.tag_many([]) == []


def _real_sentences() -> list[str]:
    """Every 5th MSRA test sentence (../shared) when present, the seed article in pieces, and odd inputs."""
    seed = SEED.read_text(encoding="utf-8")
    texts = [
        seed,
        seed[:700],
        "国务院总理李鹏今天在北京会见了美国总统克林顿。",
        "",
        "。",
        "a",
        "𠀀𪚥李𠮷在京",
    ]
    gold = SHARED_DATA / "ner_gold" / "msra_sighan2006_test" / "sentences_spans.jsonl"
    if gold.is_file():
        lines = gold.read_text(encoding="utf-8").splitlines()
        sentences = [json.loads(line)["text"] for line in lines[::5]]
        texts += [*sentences, "".join(sentences[:300])]  # one long text: features cross chunk boundaries
    return texts


def test_fast_features_equal_the_reference_on_real_text() -> None:
    tagger = load_tagger()
    for text in _real_sentences():
        fast = feature_buckets(text, tagger.lexicon, tagger.multipliers, tagger.bits)
        assert np.array_equal(fast, reference_buckets(text, tagger)), text[:30]


def test_tag_many_equals_the_reference_decoder_on_real_text() -> None:
    tagger = load_tagger()
    texts = _real_sentences()
    expected = [
        tuple(
            spans_from_tags(
                split_name_lists(
                    codepoints(t),
                    tagger.emissions(t),
                    np.array(reference_tags(t, tagger), dtype=np.int64),
                    tagger.transitions,
                )
            )
        )
        for t in texts
    ]
    kinds = {"person": "PER", "location": "LOC", "organization": "ORG"}
    found = [tuple((kinds[m.kind], m.start, m.end) for m in ms) for ms in tagger.tag_many(texts)]
    assert found == expected
    assert sum(map(len, found)) > len(texts) // 2, "real news sentences name entities"


# A list of names written back to back, as a Xinhua list reads once its spaces are gone.
NAME_LIST = "治丧委员会委员：李鹏乔石李瑞环彭真朱镕基刘华清胡锦涛荣毅仁丁关根田纪云李岚清。"
DOTTED_LIST = "主席团成员：王丙乾帕巴拉·格列朗杰王光英程思远卢嘉锡吴阶平宋健。"
# The same kind of list with notes after some names ((蒙古族), (女)): each note ends a name and the list goes on.
NOTED_LIST = "主席团常务主席（按姓氏笔画排列）：丁关根王兆国布赫（蒙古族）吴阶平李瑞环热地（藏族）费孝通钱其琛（女）程思远。"


def test_a_list_of_names_written_back_to_back_is_cut_into_names() -> None:
    names = [m.name for m in load_tagger().tag(NAME_LIST) if m.kind == "person"]
    assert names == [
        "李鹏",
        "乔石",
        "李瑞环",
        "彭真",
        "朱镕基",
        "刘华清",
        "胡锦涛",
        "荣毅仁",
        "丁关根",
        "田纪云",
        "李岚清",
    ]
    dotted = [m.name for m in load_tagger().tag(DOTTED_LIST) if m.kind == "person"]
    assert "帕巴拉·格列朗杰" in dotted and all(len(n) <= 4 for n in dotted if "·" not in n)


def test_a_note_after_a_name_ends_it_and_the_list_goes_on() -> None:
    names = [m.name for m in load_tagger().tag(NOTED_LIST) if m.kind == "person"]
    assert names == ["丁关根", "王兆国", "布赫", "吴阶平", "李瑞环", "热地", "费孝通", "钱其琛", "程思远"]


def test_a_list_piece_of_two_surname_led_halves_is_two_names() -> None:
    names = [
        m.name
        for m in load_tagger().tag("委员：孙家正孙英孙勇孙文盛孙同川欧阳淞陈冯富珍。")
        if m.kind == "person"
    ]
    assert names == ["孙家正", "孙英", "孙勇", "孙文盛", "孙同川", "欧阳淞", "陈冯富珍"]


def test_names_that_do_not_form_a_list_keep_the_models_cut() -> None:
    tagger = load_tagger()
    for text in (
        "国务院总理李鹏今天在北京会见了美国总统克林顿。",
        "李鹏乔石出席了会议。",
        "全国政协委员吴阶平（左）和王光英在会上。",
        SEED.read_text(encoding="utf-8"),
    ):
        codes = codepoints(text)
        emit = tagger.emissions(text)
        closed = np.isin(codes, codepoints("。！？!?；;\n"))
        plain = decode(emit, tagger.transitions, tagger.margin, closed)
        assert np.array_equal(split_name_lists(codes, emit, plain, tagger.transitions), plain)


@pytest.mark.parametrize("seed", range(20))
def test_name_list_cut_is_the_best_cut(seed: int) -> None:
    rng = np.random.default_rng(seed)
    tagger = load_tagger()
    n = int(rng.integers(6, 13))
    codes = codepoints("雯" * n)  # not a surname: every piece length may win
    emit = rng.normal(0, 5, (n, N_TAGS)).astype(np.float32)
    tags = np.array([1, 3] * (n // 2) + [0] * (n % 2), dtype=np.int64)  # back-to-back two-char persons
    cut = spans_from_tags(split_name_lists(codes, emit, tags, tagger.transitions))
    tr = tagger.transitions

    def path_score(pieces: list[int]) -> float:
        path = [t for length in pieces for t in [1, *[2] * (length - 2), 3]]
        return float(
            sum(emit[i, t] for i, t in enumerate(path)) + sum(tr[a, b] for a, b in itertools.pairwise(path))
        )

    stop = n - n % 2
    best = max(
        (p for k in range(1, n) for p in itertools.product((2, 3, 4), repeat=k) if sum(p) == stop),
        key=path_score,
    )
    assert [e - s for _, s, e in cut] == list(best)
