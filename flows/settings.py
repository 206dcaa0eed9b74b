"""Configuration: one typed model for config/settings.toml and NEWSETL_* variables, one for config/sources.toml.

A value of the wrong type or an unknown key is an error naming the key and where it came from (the file or the
environment variable): TOML values must have their TOML type (`max_articles = "50"` is refused, not coerced);
environment values are text and are parsed (`NEWSETL_RESPECT_ROBOTS=ture` is refused, not read as false).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

from tasks.fetch_policy import FetchPolicy
from tasks.transforms.datetimes import DEFAULT_TIMEZONE, zone_named
from tasks.transforms.models import DEFAULT_MAX_TEXT_BYTES

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SETTINGS_FILE = PROJECT_ROOT / "config" / "settings.toml"
SOURCES_FILE = PROJECT_ROOT / "config" / "sources.toml"
ENV_PREFIX = "NEWSETL_"
# NEWSETL_* variables that are not settings: the settings file itself, and the checkout a worker runs from.
_OTHER_ENV = {"NEWSETL_SETTINGS", "NEWSETL_HOME"}

# The fetch defaults are FetchPolicy's: one place, not two copies that drift apart.
_FETCH = FetchPolicy()
_TextList = Annotated[tuple[str, ...], NoDecode]  # from the environment: a separated list, not JSON


# A Dask scheduler address: a scheme Dask's comm layer knows, then host:port ("tcp://10.0.0.5:8786").
_DASK_ADDRESS = re.compile(r"(tcp|tls|ucx|ws|wss)://[^\s/:]+(:\d{1,5})?")


def check_dask_address(value: str) -> str:
    """The address itself when it names a Dask scheduler, else ValueError saying what one looks like."""
    if not _DASK_ADDRESS.fullmatch(value):
        raise ValueError("not a Dask scheduler address (expected tcp://HOST:PORT, e.g. tcp://10.0.0.5:8786)")
    return value


class SettingsError(ValueError):
    """A configuration value that is unknown, of the wrong type or out of range; names the key and its origin."""


class Settings(BaseSettings):
    """Every setting with its default (README: Configuration)."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="forbid", frozen=True, validate_default=True
    )

    db_path: str = "newsetl.duckdb"
    default_paths: _TextList = ("samples",)
    batch_size: int = Field(200, ge=1)
    transform_workers: int = Field(default_factory=lambda: min(2, os.cpu_count() or 1), ge=1)
    user_agent: str = _FETCH.user_agent
    allow_hosts: _TextList = ()
    connect_timeout: float = Field(_FETCH.connect_timeout, gt=0)
    total_timeout: float = Field(_FETCH.total_timeout, gt=0)
    max_response_bytes: int = Field(_FETCH.max_bytes, ge=1)
    max_redirects: int = Field(_FETCH.max_redirects, ge=0)
    retries: int = Field(_FETCH.retries, ge=1)
    min_interval_per_host: float = Field(_FETCH.min_interval_per_host, ge=0)
    max_concurrency_per_host: int = Field(_FETCH.max_concurrency_per_host, ge=1)
    respect_robots: bool = _FETCH.respect_robots
    proxy: str | None = _FETCH.proxy
    ca_file: str | None = _FETCH.ca_file
    timezone: str = DEFAULT_TIMEZONE
    ner_model: str | None = None
    max_text_bytes: int = Field(DEFAULT_MAX_TEXT_BYTES, ge=1)
    sources_file: str = str(SOURCES_FILE)
    # How long a run waits for the DuckDB file while a reader has it open, before the run fails with the reason.
    write_wait_seconds: float = Field(60.0, ge=0)
    # Publish <db>.read.duckdb (a consistent copy for long analysis) after every completed run.
    publish_snapshot: bool = True
    # Transform batches on the Dask cluster at this scheduler address (tcp://HOST:8786); none: the local pool.
    dask_address: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """The environment overrides the file, whose values load_settings passes as init arguments."""
        return (env_settings, init_settings)

    @field_validator("default_paths", "allow_hosts", mode="before")
    @classmethod
    def _split_text_list(cls, value: Any, info: Any) -> Any:
        # NEWSETL_DEFAULT_PATHS is a path list (`:`-separated), NEWSETL_ALLOW_HOSTS a comma list.
        if isinstance(value, str):
            sep = os.pathsep if info.field_name == "default_paths" else ","
            return tuple(item.strip() for item in value.split(sep) if item.strip())
        return value

    @field_validator("default_paths")
    @classmethod
    def _relative_to_project(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # Relative default paths are relative to the project, so `make run` works from any directory.
        return tuple(str(p if Path(p).is_absolute() else PROJECT_ROOT / p) for p in value)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        zone_named(value)
        return value

    @field_validator("dask_address")
    @classmethod
    def _dask_address(cls, value: str | None) -> str | None:
        return None if value is None else check_dask_address(value)

    @field_validator("proxy", "ca_file", "ner_model", "dask_address", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == "" else value  # NEWSETL_PROXY= switches a configured proxy off


class Source(BaseModel):
    """A configured source (config/sources.toml)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()  # local files/folders/globs, for a source that is a drop folder
    charset: str | None = None
    min_interval_per_host: float | None = Field(None, ge=0)
    max_articles: int | None = Field(None, ge=1)
    allow_pattern: str | None = None
    schedule: str | None = None  # cron, for deployments
    db_path: str | None = None
    timezone: str | None = None  # IANA zone for times the source writes without an offset (default: settings)

    @field_validator("allow_pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from None
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            zone_named(value)
        return value

    @field_validator("paths")
    @classmethod
    def _relative_to_project(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # A drop-folder source's relative paths are relative to the project, like default_paths.
        return tuple(p if Path(p).is_absolute() or "://" in p else str(PROJECT_ROOT / p) for p in value)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {exc}") from None


def _tuples(value: Any) -> Any:
    """TOML arrays as tuples (the models' list type), so strict validation can check their items."""
    return tuple(value) if isinstance(value, list) else value


def _problem(error: Mapping[str, Any]) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return "unknown key"
    return f"{message} (got {error['input']!r})" if "input" in error else message


# Settings that were renamed: naming the new key beats listing every known one.
_RENAMED = {"max_text_chars": "max_text_bytes (bytes of UTF-8 text, not characters)"}


def _renamed_hint(keys: list[str]) -> str:
    hints = [f"{key} is now {_RENAMED[key]}" for key in keys if key in _RENAMED]
    return f"; {'; '.join(hints)}" if hints else ""


def _check_file_values(path: Path, values: dict[str, Any]) -> dict[str, Any]:
    """The file's values, each checked strictly against its setting's type (no "50" for a number)."""
    known = Settings.model_fields
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise SettingsError(
            f"{path}: unknown setting {', '.join(unknown)} (known: {', '.join(sorted(known))})"
            + _renamed_hint(unknown)
        )
    checked = {}
    for key, value in values.items():
        try:
            TypeAdapter[Any](known[key].annotation or Any).validate_python(_tuples(value), strict=True)
        except ValidationError as exc:
            raise SettingsError(f"{path}: {key}: {_problem(exc.errors()[0])}") from None
        checked[key] = _tuples(value)
    return checked


def _check_environment(environ: Mapping[str, str]) -> None:
    known = {ENV_PREFIX + name.upper() for name in Settings.model_fields} | _OTHER_ENV
    unknown = sorted(k for k in environ if k.upper().startswith(ENV_PREFIX) and k.upper() not in known)
    if unknown:
        keys = [k.upper().removeprefix(ENV_PREFIX).lower() for k in unknown]
        raise SettingsError(
            f"unknown environment variable {', '.join(unknown)} (not a newsetl setting)" + _renamed_hint(keys)
        )


def load_settings(path: Path | None = None) -> Settings:
    """Settings from the TOML file (when present; NEWSETL_SETTINGS names another) and NEWSETL_<KEY> variables."""
    path = Path(os.environ.get("NEWSETL_SETTINGS", path or SETTINGS_FILE))
    _check_environment(os.environ)
    values = _check_file_values(path, _read_toml(path)) if path.is_file() else {}
    try:
        return Settings(**values)
    except ValidationError as exc:
        error = exc.errors()[0]
        key = str(error["loc"][0]) if error["loc"] else "?"
        variable = ENV_PREFIX + key.upper()
        origin = f"environment variable {variable}" if variable in os.environ else str(path)
        raise SettingsError(f"{origin}: {key}: {_problem(error)}") from None


def load_sources(path: str | Path) -> dict[str, Source]:
    """Configured sources by name; a missing file means none."""
    path = Path(path)
    if not path.is_file():
        return {}
    data = _read_toml(path)
    if set(data) - {"sources"}:
        raise SettingsError(
            f"{path}: unknown key {', '.join(sorted(set(data) - {'sources'}))} (only [[sources]])"
        )
    sources: dict[str, Source] = {}
    for number, entry in enumerate(data.get("sources", []), start=1):
        label = f"source {entry.get('name')!r}" if isinstance(entry.get("name"), str) else f"source #{number}"
        try:
            source = Source.model_validate({key: _tuples(value) for key, value in entry.items()})
        except ValidationError as exc:
            error = exc.errors()[0]
            key = ".".join(str(part) for part in error["loc"]) or "?"
            raise SettingsError(f"{path}: {label}: {key}: {_problem(error)}") from None
        if source.name in sources:
            raise SettingsError(f"{path}: {label}: name: configured twice")
        sources[source.name] = source
    return sources
