"""Publication times as sources write them, read into aware UTC datetimes (pure: the zone is passed in, no clock).

One rule everywhere: a time that states its offset (`Z`, `+00:00`, `-05:00`) keeps it; a naive time is read in
the source's zone (setting `timezone`, default Asia/Shanghai: China Standard Time, UTC+8, no daylight saving);
the warehouse stores the instant in UTC. A bare date is the start of that day in the source's zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Shanghai"

# Chinese and slashed forms fromisoformat does not read: `2023年5月12日 10:20`, `2023/05/12 10:20:00`.
_CN_DATE = re.compile(
    r"(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?"
    r"(?:\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?\s*(Z|[+-]\d{2}:?\d{2})?"
)


@dataclass(frozen=True)
class Published:
    """When an article was published."""

    at: datetime  # aware, UTC
    local_date: date  # the calendar date in the source's zone
    has_time: (
        bool  # False when the source gave a date only (then `at` is that day's start in the source's zone)
    )


def zone_named(name: str) -> tzinfo:
    """The IANA time zone called `name` (e.g. Asia/Shanghai, UTC); ValueError when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r} (an IANA name such as Asia/Shanghai or UTC)") from exc


def _parse(text: str) -> tuple[datetime, bool] | None:
    """The datetime as written (aware only when it states an offset) and whether it has a time of day."""
    try:
        return datetime.fromisoformat(text), len(text) > 10
    except ValueError:
        pass
    match = _CN_DATE.search(text)
    if not match:
        return None
    y, mo, d, h, mi, s, offset = match.groups()
    iso = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    if h is not None:
        iso += f"T{int(h):02d}:{mi}:{s or '00'}{offset or ''}"
    try:
        return datetime.fromisoformat(iso), h is not None
    except ValueError:  # 2023-02-30, 25:00
        return None


def parse_published(value: str | None, zone: tzinfo) -> Published | None:
    """A publication date or datetime as sources write it, read in `zone` when it states no offset."""
    if not value or not value.strip():
        return None
    parsed = _parse(value.strip())
    if parsed is None:
        return None
    moment, has_time = parsed
    if not has_time:
        moment = moment.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return Published(moment.astimezone(UTC), moment.astimezone(zone).date(), has_time)


def naive_utc(moment: datetime | None) -> datetime | None:
    """An aware datetime as naive UTC, the convention of the warehouse's TIMESTAMP columns (all UTC)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()}: times must be aware before they are stored")
    return moment.astimezone(UTC).replace(tzinfo=None)
