"""JSON for what the CLI prints: dataclasses, dates, decimals and bytes, which the json encoder does not know."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

_FIELDS: dict[type, tuple[str, ...] | None] = {}


def field_names(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass type, None for any other type (looked up once per type)."""
    if cls not in _FIELDS:
        _FIELDS[cls] = tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None
    return _FIELDS[cls]


def json_value(value: Any) -> Any:
    """What JSON holds for a value its encoder does not know: a dataclass's fields, a date's ISO form, hex bytes."""
    names = field_names(type(value))
    if names is not None:
        return {name: getattr(value, name) for name in names}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return str(value)
