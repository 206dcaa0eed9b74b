"""Configuration: config/settings.toml, overridden by NEWSETL_* environment variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SETTINGS_FILE = PROJECT_ROOT / "config" / "settings.toml"


@dataclass(frozen=True)
class Settings:
    db_path: str = "newsetl.duckdb"
    default_paths: tuple[str, ...] = ("samples",)
    batch_size: int = 200


def load_settings(path: Path | None = None) -> Settings:
    """Settings from the TOML file (when present) and the environment."""
    path = Path(os.environ.get("NEWSETL_SETTINGS", path or SETTINGS_FILE))
    values: dict[str, object] = {}
    if path.is_file():
        with path.open("rb") as handle:
            values.update(tomllib.load(handle))
    for f in fields(Settings):
        env = os.environ.get(f"NEWSETL_{f.name.upper()}")
        if env is not None:
            values[f.name] = env.split(os.pathsep) if f.name == "default_paths" else env
    known = {f.name for f in fields(Settings)}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
    if "default_paths" in values:
        # Relative default paths are relative to the project, so `make run` works from any directory.
        values["default_paths"] = tuple(
            str(p if Path(p).is_absolute() else PROJECT_ROOT / p)
            for p in values["default_paths"]  # type: ignore[attr-defined]
        )
    if "batch_size" in values:
        values["batch_size"] = int(values["batch_size"])  # type: ignore[call-overload]
        if values["batch_size"] < 1:  # type: ignore[operator]
            raise ValueError("batch_size must be >= 1")
    return Settings(**values)  # type: ignore[arg-type]
