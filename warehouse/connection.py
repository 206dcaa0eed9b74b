"""The one place that opens DuckDB."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb


class WarehouseBusy(RuntimeError):
    """Another process holds the database file (DuckDB allows one read-write process)."""


def connect(
    db_path: str | Path, read_only: bool = False, config: dict[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file; readers pass read_only=True, sandboxed sessions their DuckDB `config`."""
    path = Path(db_path)
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `newsetl ingest` first")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(path), read_only=read_only, config=config or {})
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusy(f"{path} is in use by another process: {exc}") from exc
        raise
