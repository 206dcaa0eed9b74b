"""Places with codes and entity aliases in a real DuckDB warehouse: one entity per place, parents that join,
aliases replaced with their article, views joined on ids."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tasks.transforms.models import RawDocument
from tasks.transforms.pipeline import process_documents
from tasks.transforms.rows import ArticleRows, to_rows
from tests.conftest import SEED
from warehouse import repository
from warehouse.connection import connect
from warehouse.migrate import migrate


@pytest.fixture(scope="module")
def seed_rows() -> list[ArticleRows]:
    articles, _ = process_documents([RawDocument(str(SEED), SEED.read_bytes(), "text")])
    return [to_rows(a) for a in articles]


@pytest.fixture
def db(tmp_path: Path, seed_rows: list[ArticleRows]) -> Path:
    path = tmp_path / "w.duckdb"
    with connect(path) as conn:
        migrate(conn)
        repository.start_run(conn, "r1", None)
        repository.upsert_articles(conn, seed_rows, "r1")
    return path


def test_liuzhou_is_one_entity_with_its_code_and_parent_chain(db: Path) -> None:
    with connect(db, read_only=True) as conn:
        rows = conn.execute(
            "SELECT e.name, e.level, e.adcode, p.name, p.adcode, g.name, g.country_code "
            "FROM entities e JOIN entities p ON p.entity_id = e.parent_entity_id "
            "JOIN entities g ON g.entity_id = p.parent_entity_id WHERE e.name LIKE '柳州%' AND e.kind = 'location'"
        ).fetchall()
        surfaces = conn.execute(
            "SELECT DISTINCT m.surface FROM mentions m JOIN entities e USING (entity_id) WHERE e.name = '柳州市'"
        ).fetchall()
    assert rows == [("柳州市", "city", "450200", "广西壮族自治区", "450000", "中国", "CN")]
    assert {"柳州", "柳州市"} <= {s for (s,) in surfaces}


def test_aliases_point_at_entities_and_every_parent_joins(db: Path) -> None:
    with connect(db, read_only=True) as conn:
        aliases = conn.execute(
            "SELECT a.alias, e.name, a.kind FROM entity_aliases a JOIN entities e USING (entity_id)"
        ).fetchall()
        dangling = conn.execute(
            "SELECT count(*) FROM entities e WHERE parent_entity_id IS NOT NULL "
            "AND parent_entity_id NOT IN (SELECT entity_id FROM entities)"
        ).fetchone()
        unaliased = conn.execute(
            "SELECT count(*) FROM entity_aliases WHERE entity_id NOT IN (SELECT entity_id FROM entities)"
        ).fetchone()
    assert ("柳州", "柳州市", "short_form") in aliases  # 柳州市 is written too
    assert dangling == (0,) and unaliased == (0,)


def test_roles_and_quotes_join_their_entities_by_id(db: Path) -> None:
    with connect(db, read_only=True) as conn:
        missing = conn.execute(
            "SELECT count(*) FROM roles r LEFT JOIN entities e ON e.entity_id = r.person_entity_id "
            "WHERE e.entity_id IS NULL"
        ).fetchone()
        n_roles = conn.execute("SELECT count(*) FROM roles").fetchone()
        view = conn.execute(
            "SELECT count(*) FROM people_titles WHERE person_entity_id IS NOT NULL"
        ).fetchone()
    assert n_roles is not None and n_roles[0] > 0
    assert missing == (0,) and view is not None and view[0] > 0


def test_reloading_an_article_replaces_its_aliases_without_duplicates(
    db: Path, seed_rows: list[ArticleRows]
) -> None:
    tables = ("entities", "entity_aliases", "mentions")
    with connect(db) as conn:
        before = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone() for t in tables}
        changed = [replace(r, article={**r.article, "content_sha256": "changed"}) for r in seed_rows]
        assert repository.upsert_articles(conn, changed, "r2").loaded == 1
        after = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone() for t in tables}
    assert after == before


def test_places_view_names_province_and_city(db: Path) -> None:
    with connect(db, read_only=True) as conn:
        row = conn.execute("SELECT adcode, city, province FROM places WHERE name = '柳州市'").fetchone()
    assert row == ("450200", "柳州市", "广西壮族自治区")
