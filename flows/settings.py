"""Configuration: config/settings.toml and config/sources.toml, overridden by NEWSETL_* environment variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SETTINGS_FILE = PROJECT_ROOT / "config" / "settings.toml"
SOURCES_FILE = PROJECT_ROOT / "config" / "sources.toml"


@dataclass(frozen=True)
class Settings:
    db_path: str = "newsetl.duckdb"
    default_paths: tuple[str, ...] = ("samples",)
    batch_size: int = 200
    transform_workers: int = min(2, os.cpu_count() or 1)
    user_agent: str = "newsetl/0.1 (+https://github.com/newsetl/newsetl)"
    allow_hosts: tuple[str, ...] = ()
    connect_timeout: float = 5.0
    total_timeout: float = 30.0
    max_response_bytes: int = 10 * 2**20
    max_redirects: int = 5
    retries: int = 3
    min_interval_per_host: float = 1.0
    max_concurrency_per_host: int = 2
    respect_robots: bool = True
    sources_file: str = str(SOURCES_FILE)
    # How long a run waits for the DuckDB file while a reader has it open, before the run fails with the reason.
    write_wait_seconds: float = 60.0
    # Publish <db>.read.duckdb (a consistent copy for long analysis) after every completed run.
    publish_snapshot: bool = True


@dataclass(frozen=True)
class Source:
    """A configured web source (config/sources.toml)."""

    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()  # local files/folders/globs, for a source that is a drop folder
    charset: str | None = None
    min_interval_per_host: float | None = None
    max_articles: int | None = None
    allow_pattern: str | None = None
    schedule: str | None = None  # cron, for deployments
    db_path: str | None = None


def _coerce(name: str, kind: Any, value: Any) -> Any:
    kind = str(kind)
    if kind.startswith("tuple"):
        items = (
            value.split(os.pathsep if name == "default_paths" else ",") if isinstance(value, str) else value
        )
        return tuple(str(v).strip() for v in items if str(v).strip())
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes", "on")
    return str(value)


def load_settings(path: Path | None = None) -> Settings:
    """Settings from the TOML file (when present) and the environment (NEWSETL_<KEY>)."""
    path = Path(os.environ.get("NEWSETL_SETTINGS", path or SETTINGS_FILE))
    values: dict[str, Any] = {}
    if path.is_file():
        with path.open("rb") as handle:
            values.update(tomllib.load(handle))
    types = {f.name: f.type for f in fields(Settings)}
    unknown = set(values) - set(types)
    if unknown:
        raise ValueError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
    for name in types:
        env = os.environ.get(f"NEWSETL_{name.upper()}")
        if env is not None:
            values[name] = env
    values = {name: _coerce(name, types[name], value) for name, value in values.items()}
    if "default_paths" in values:
        # Relative default paths are relative to the project, so `make run` works from any directory.
        values["default_paths"] = tuple(
            str(p if Path(p).is_absolute() else PROJECT_ROOT / p) for p in values["default_paths"]
        )
    if values.get("batch_size", 1) < 1:
        raise ValueError("batch_size must be >= 1")
    return Settings(**values)


def load_sources(path: str | Path) -> dict[str, Source]:
    """Configured sources by name; a missing file means none."""
    path = Path(path)
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    known = {f.name: f.type for f in fields(Source)}
    sources: dict[str, Source] = {}
    for entry in data.get("sources", []):
        unknown = set(entry) - set(known)
        if unknown:
            raise ValueError(f"{path}: source {entry.get('name')!r} has unknown keys {sorted(unknown)}")
        if "name" not in entry:
            raise ValueError(f"{path}: every [[sources]] entry needs a name")
        values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()}
        # A drop-folder source's relative paths are relative to the project, like default_paths.
        values["paths"] = tuple(
            p if Path(p).is_absolute() or "://" in p else str(PROJECT_ROOT / p)
            for p in values.get("paths", ())
        )
        sources[entry["name"]] = Source(**values)
    return sources
