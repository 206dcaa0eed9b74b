"""The column registry: inserts name their columns, so a column added by a migration breaks no load."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.transforms.rows import to_rows
from tests.warehouse.test_repository import _article
from warehouse import repository
from warehouse.columns import COLUMNS, RowShapeError, column_lists
from warehouse.connection import connect
from warehouse.migrate import Migration, load_migrations, migrate


def _table_columns(conn, table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def test_every_registered_column_exists_after_migrating(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as conn:
        migrate(conn)
        for table, columns in COLUMNS.items():
            missing = set(columns) - set(_table_columns(conn, table))
            assert not missing, f"{table}: registered but not in the schema: {missing}"


def test_a_column_added_by_a_migration_does_not_break_loads(tmp_path: Path) -> None:
    extra = Migration(
        len(load_migrations()) + 1,
        "add_analyst_columns",
        "ALTER TABLE mentions ADD COLUMN reviewed BOOLEAN DEFAULT false;"
        "ALTER TABLE articles ADD COLUMN note VARCHAR;"
        # A column in the middle of the table's order: positional inserts would shift every value after it.
        "ALTER TABLE roles ADD COLUMN confidence DOUBLE;",
    )
    with connect(tmp_path / "w.duckdb") as conn:
        migrate(conn, [*load_migrations(), extra])
        repository.start_run(conn, "run1", None)
        result = repository.upsert_articles(conn, [to_rows(_article())], "run1")
        assert result.loaded == 1
        assert conn.execute("SELECT count(*), bool_and(NOT reviewed) FROM mentions").fetchone() == (2, True)
        assert conn.execute("SELECT person, title, confidence FROM roles").fetchone() == (
            "张壮",
            "市长",
            None,
        )
        assert conn.execute("SELECT note, quality, decode_errors FROM articles").fetchone() == (None, "ok", 0)


_CODES = {"adcode": None, "parent_entity_id": None, "country_code": None}


def test_a_row_with_other_keys_is_refused_by_name() -> None:
    with pytest.raises(RowShapeError, match=r"missing \['level'\], unknown \['levle'\]"):
        column_lists(
            "entities",
            [{"entity_id": "e", "kind": "person", "name": "张壮", "levle": None, **_CODES}],
        )


def test_rows_are_column_major_in_registry_order() -> None:
    rows = [
        {"entity_id": "e1", "kind": "person", "name": "甲", "level": None, **_CODES},
        {"level": "city", "name": "柳州市", "kind": "location", "entity_id": "e2", **_CODES},
    ]
    columns, values = column_lists("entities", rows)
    assert columns == COLUMNS["entities"]
    assert values[:4] == [["e1", "e2"], ["person", "location"], ["甲", "柳州市"], [None, "city"]]
