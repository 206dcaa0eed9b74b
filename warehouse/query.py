"""Ad hoc SQL for analysts (`newsetl query`): a sandboxed, read-only session over the warehouse."""

from __future__ import annotations

from typing import Any

import duckdb

# What an analyst's query may be. DuckDB's own settings (below) already stop file access, but with --allow-files
# they would let COPY ... TO and EXPORT write files, so statement types are checked too (measured on DuckDB 2.0.0:
# README, "newsetl query").
READ_STATEMENTS = frozenset(
    {
        duckdb.StatementType.SELECT,
        duckdb.StatementType.EXPLAIN,
        duckdb.StatementType.PRAGMA,
        duckdb.StatementType.CALL,
    }
)


class QueryRefused(ValueError):
    """SQL that is not a read: COPY, EXPORT, ATTACH, INSTALL/LOAD, SET, DDL or DML."""


def sandbox_config(allow_files: bool = False) -> dict[str, Any]:
    """DuckDB settings of a query session: no file or network access (unless allow_files), nothing installed."""
    return {
        # Off: read_csv('/etc/passwd'), COPY, ATTACH of another file, INSTALL and loading extension files fail.
        "enable_external_access": allow_files,
        "autoinstall_known_extensions": False,
        "allow_community_extensions": False,
        # Last: no SET in the session can undo the settings above.
        "lock_configuration": True,
    }


def check_read_only_sql(sql: str) -> None:
    """Refuse SQL with any statement that is not a read (QueryRefused names it); DuckDB's parse errors pass on."""
    for statement in duckdb.extract_statements(sql):
        if statement.type not in READ_STATEMENTS:
            kind = statement.type.name.replace("_", " ")
            raise QueryRefused(
                f"{kind} statements are not allowed: `newsetl query` only reads (SELECT, EXPLAIN, PRAGMA, CALL)"
            )


def run_query(conn: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Column names and rows of the SQL's last statement, after checking that every statement only reads."""
    check_read_only_sql(sql)
    cursor = conn.execute(sql)
    return [d[0] for d in cursor.description or []], cursor.fetchall()
