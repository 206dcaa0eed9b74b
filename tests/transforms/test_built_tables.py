from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from tasks.transforms import built_tables
from tasks.transforms.built_tables import inputs_key, load_or_build, table_path
from tasks.transforms.facts import entities
from tasks.transforms.facts.tagger import MODEL_PATH, read_tagger
from tests.conftest import SEED


def _table(builds: list[int], key: str = "k1") -> list[int]:
    return load_or_build(
        "numbers",
        key,
        ".pickle",
        lambda path: pickle.loads(path.read_bytes()),
        lambda: builds.append(1) or [1, 2, 3],
        lambda table, path: path.write_bytes(pickle.dumps(table)),
    )


@pytest.fixture
def tables_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(built_tables, "TABLES_DIR", tmp_path)
    return tmp_path


def test_a_table_is_built_once_then_loaded(tables_dir: Path) -> None:
    builds: list[int] = []
    assert _table(builds) == [1, 2, 3]
    assert _table(builds) == [1, 2, 3]
    assert builds == [1]
    assert [p.name for p in tables_dir.iterdir()] == [table_path("numbers", "k1", ".pickle").name]


def test_a_damaged_table_is_built_again_and_replaced(tables_dir: Path) -> None:
    table_path("numbers", "k1", ".pickle").write_bytes(b"cut sho")
    builds: list[int] = []
    assert _table(builds) == [1, 2, 3]
    assert _table(builds) == [1, 2, 3]
    assert builds == [1]


def test_new_inputs_get_a_new_table_and_the_old_one_goes(tables_dir: Path) -> None:
    builds: list[int] = []
    _table(builds, "k1")
    _table(builds, "k2")
    assert builds == [1, 1]
    assert [p.name for p in tables_dir.iterdir()] == [table_path("numbers", "k2", ".pickle").name]


def test_a_folder_that_cannot_be_written_only_means_building_each_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setattr(
        built_tables, "TABLES_DIR", blocker / "data"
    )  # no folder can be made there, even by root
    builds: list[int] = []
    assert _table(builds) == [1, 2, 3]
    assert _table(builds) == [1, 2, 3]
    assert builds == [1, 1]


def test_inputs_key_depends_on_every_input_and_their_order() -> None:
    assert inputs_key(b"a", b"b") != inputs_key(b"b", b"a")
    assert inputs_key(b"a", b"b") != inputs_key(b"ab")
    assert inputs_key(b"a") == inputs_key(b"a")


def test_the_stored_automaton_finds_what_a_built_one_finds(tables_dir: Path) -> None:
    entities._automaton.cache_clear()
    try:
        first = entities._automaton()  # built and stored
        entities._automaton.cache_clear()
        loaded = entities._automaton()  # read back
    finally:
        entities._automaton.cache_clear()
    assert loaded is not first
    text = SEED.read_text(encoding="utf-8")
    assert list(loaded.iter_long(text)) == list(entities._build_automaton().iter_long(text))
    assert len(list(loaded.iter_long(text))) > 100


def test_the_shipped_models_stored_weights_equal_the_files(tables_dir: Path) -> None:
    first = read_tagger(MODEL_PATH)  # builds the table in tables_dir
    again = read_tagger(MODEL_PATH)  # maps it
    with np.load(MODEL_PATH) as z:
        expected = z["weights"].astype(np.float32)
    assert isinstance(again.weights, np.memmap) and not again.weights.flags.writeable
    assert np.array_equal(first.weights, expected) and np.array_equal(again.weights, expected)
