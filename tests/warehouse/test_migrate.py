from __future__ import annotations

from pathlib import Path

import pytest

from warehouse.connection import connect
from warehouse.migrate import Migration, MigrationError, load_migrations, migrate

CONTRACT = {
    "articles": {"article_id", "source_uri", "url", "title", "published_at", "agency", "bureau", "reporter",
                 "language", "script_original", "encoding_detected", "body_raw", "body", "content_sha256",
                 "run_id", "ingested_at"},
    "entities": {"entity_id", "kind", "name"},
    "mentions": {"article_id", "entity_id", "surface", "start_pos", "end_pos"},
    "roles": {"article_id", "person", "title", "organization", "start_pos", "end_pos"},
    "metrics": {"article_id", "subject", "measure", "value", "unit", "period", "start_pos", "end_pos"},
    "quotes": {"article_id", "speaker", "text", "start_pos", "end_pos"},
    "events": {"article_id", "name", "event_date", "location", "organizers", "guided_by"},
    "runs": {"run_id", "flow_run_id", "started_at", "finished_at", "status", "n_inputs", "n_loaded",
             "n_unchanged", "n_rejected"},
    "rejects": {"run_id", "source_uri", "stage", "reason", "payload", "rejected_at"},
    "duplicates": {"source_uri", "article_id", "stored_source_uri", "run_id", "seen_at"},
}  # fmt: skip


def _columns(conn, table: str) -> set[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]
    ).fetchall()
    return {r[0] for r in rows}


def test_migrate_from_empty_creates_the_contract(tmp_path: Path) -> None:
    with connect(tmp_path / "w.duckdb") as conn:
        applied = migrate(conn)
        assert applied == [m.version for m in load_migrations()]
        for table, columns in CONTRACT.items():
            missing = columns - _columns(conn, table)
            assert not missing, f"{table} lacks {missing}"
        views = {
            r[0] for r in conn.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        }
        assert {"people_titles", "article_facts", "entity_mentions"} <= views


def test_rerun_is_a_no_op(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with connect(db) as conn:
        migrate(conn)
        before = conn.execute("SELECT version, sha256, applied_at FROM schema_migrations").fetchall()
    with connect(db) as conn:
        assert migrate(conn) == []
        assert conn.execute("SELECT version, sha256, applied_at FROM schema_migrations").fetchall() == before


def test_edited_migration_is_refused(tmp_path: Path) -> None:
    first = Migration(1, "create_things", "CREATE TABLE things (id INTEGER);")
    with connect(tmp_path / "w.duckdb") as conn:
        migrate(conn, [first])
        edited = Migration(1, "create_things", "CREATE TABLE things (id INTEGER, extra VARCHAR);")
        with pytest.raises(MigrationError, match="edited after it was applied"):
            migrate(conn, [edited])


def test_failed_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    broken = Migration(1, "half_broken", "CREATE TABLE good (id INTEGER); CREATE TABLE bad (id NOT_A_TYPE);")
    with connect(tmp_path / "w.duckdb") as conn:
        with pytest.raises(MigrationError, match="half_broken failed"):
            migrate(conn, [broken])
        tables = {r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        assert "good" not in tables
        assert conn.execute("SELECT count(*) FROM schema_migrations").fetchone() == (0,)


def test_migration_files_are_numbered_and_named() -> None:
    migrations = load_migrations()
    assert [m.version for m in migrations] == list(range(1, len(migrations) + 1))


def test_views_dropped_or_replaced_by_hand_come_back(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with connect(db) as conn:
        migrate(conn)
        original = conn.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'places'").fetchone()
        conn.execute("DROP VIEW people_titles")
        conn.execute("CREATE OR REPLACE VIEW places AS SELECT 1 AS x")
    with connect(db) as conn:
        assert migrate(conn) == []
        views = {
            r[0] for r in conn.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        }
        assert "people_titles" in views
        assert (
            conn.execute("SELECT sql FROM duckdb_views() WHERE view_name = 'places'").fetchone() == original
        )


def test_unchanged_views_are_not_recreated(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with connect(db) as conn:
        migrate(conn)
        # A comment on a view is dropped when the view is re-created: it survives only if migrate left it alone.
        conn.execute("COMMENT ON VIEW places IS 'kept'")
    with connect(db) as conn:
        migrate(conn)
        migrate(conn)
        assert conn.execute("SELECT comment FROM duckdb_views() WHERE view_name = 'places'").fetchone() == (
            "kept",
        )
