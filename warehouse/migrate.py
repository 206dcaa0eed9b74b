"""Versioned, append-only migrations and re-applied analyst views."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources

import duckdb

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


class MigrationError(RuntimeError):
    """A migration cannot be applied, or an applied one was edited."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.sql.encode("utf-8")).hexdigest()


def load_migrations(package: str = "warehouse.migrations") -> list[Migration]:
    """Migrations shipped with the package, in version order."""
    found = []
    for entry in resources.files(package).iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise MigrationError(f"duplicate migration versions in {package}: {versions}")
    return found


def load_views(package: str = "warehouse.views") -> list[tuple[str, str]]:
    """Analyst view definitions (name, sql), sorted by file name."""
    views = [
        (entry.name, entry.read_text(encoding="utf-8"))
        for entry in resources.files(package).iterdir()
        if entry.name.endswith(".sql")
    ]
    return sorted(views)


def migrate(conn: duckdb.DuckDBPyConnection, migrations: list[Migration] | None = None) -> list[int]:
    """Apply pending migrations, refuse edited ones, re-create views; return the versions applied.

    Views are re-created only for the project's own migrations (tests pass their own list without views).
    """
    with_views = migrations is None
    migrations = load_migrations() if migrations is None else migrations
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'))"
    )
    applied = {
        v: (n, h)
        for v, n, h in conn.execute("SELECT version, name, sha256 FROM schema_migrations").fetchall()
    }
    done: list[int] = []
    for migration in migrations:
        if migration.version in applied:
            name, digest = applied[migration.version]
            if digest != migration.sha256:
                raise MigrationError(
                    f"migration {migration.version:04d}_{name} was edited after it was applied "
                    f"(sha256 {digest[:12]} in the database, {migration.sha256[:12]} on disk); "
                    "migrations are append-only: add a new one instead"
                )
            continue
        # One transaction per migration with its bookkeeping row: DuckDB can leave the earlier statements of a
        # failed multi-statement string committed otherwise (FINDINGS.md).
        conn.execute("BEGIN TRANSACTION")
        try:
            conn.execute(migration.sql)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, sha256) VALUES (?, ?, ?)",
                [migration.version, migration.name, migration.sha256],
            )
            conn.execute("COMMIT")
        except Exception as exc:
            conn.execute("ROLLBACK")
            raise MigrationError(f"migration {migration.version:04d}_{migration.name} failed: {exc}") from exc
        done.append(migration.version)
    for _name, sql in load_views() if with_views else []:
        conn.execute(sql)
    return done
