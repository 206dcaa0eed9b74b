"""Publication times: stated offsets kept, naive times read in the source's zone, instants in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tasks.transforms.datetimes import naive_utc, parse_published, zone_named

SHANGHAI = zone_named("Asia/Shanghai")


@pytest.mark.parametrize(
    ("given", "at", "local_date", "has_time"),
    [
        ("2023-05-12T10:20:00-05:00", datetime(2023, 5, 12, 15, 20), date(2023, 5, 12), True),
        # 22:00 in UTC-5 is 11:00 the next day in Shanghai: the local date is the source's, not the writer's.
        ("2023-05-12T22:00:00-05:00", datetime(2023, 5, 13, 3, 0), date(2023, 5, 13), True),
        ("2023-05-12T10:20:00+08:00", datetime(2023, 5, 12, 2, 20), date(2023, 5, 12), True),
        ("2023-05-12T02:20:00Z", datetime(2023, 5, 12, 2, 20), date(2023, 5, 12), True),
        ("2023-05-12T02:20:00+00:00", datetime(2023, 5, 12, 2, 20), date(2023, 5, 12), True),
        ("2023-05-12T10:20:00.250+0800", datetime(2023, 5, 12, 2, 20, 0, 250000), date(2023, 5, 12), True),
        ("2023-05-12 10:20", datetime(2023, 5, 12, 2, 20), date(2023, 5, 12), True),
        ("2023年5月12日 10:20", datetime(2023, 5, 12, 2, 20), date(2023, 5, 12), True),
        ("2023/05/12 10:20:00 +0000", datetime(2023, 5, 12, 10, 20), date(2023, 5, 12), True),
        ("2023-05-12", datetime(2023, 5, 11, 16, 0), date(2023, 5, 12), False),
        ("2023年05月12日", datetime(2023, 5, 11, 16, 0), date(2023, 5, 12), False),
    ],
    ids=["minus-5", "minus-5-next-day", "plus-8", "zulu", "plus-0", "compact-offset", "naive", "chinese-naive", "slashed-offset",
         "date", "chinese-date"],
)  # fmt: skip
def test_parse_published(given: str, at: datetime, local_date: date, has_time: bool) -> None:
    published = parse_published(given, SHANGHAI)
    assert published is not None
    assert published.at == at.replace(tzinfo=UTC)
    assert published.at.utcoffset() is not None and published.at.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert (published.local_date, published.has_time) == (local_date, has_time)


@pytest.mark.parametrize("given", ["明天", "2023-13-40", "2023-02-30 10:00", "", "   ", None])
def test_unreadable_dates_are_none(given: str | None) -> None:
    assert parse_published(given, SHANGHAI) is None


def test_naive_times_follow_the_source_zone() -> None:
    new_york = parse_published("2023-05-12 10:20", zone_named("America/New_York"))
    utc = parse_published("2023-05-12 10:20", zone_named("UTC"))
    assert new_york is not None and new_york.at == datetime(2023, 5, 12, 14, 20, tzinfo=UTC)  # EDT, UTC-4
    assert utc is not None and utc.at == datetime(2023, 5, 12, 10, 20, tzinfo=UTC)
    # A stated offset wins over the zone.
    stated = parse_published("2023-05-12T10:20:00+08:00", zone_named("America/New_York"))
    assert stated is not None and stated.at == datetime(2023, 5, 12, 2, 20, tzinfo=UTC)


def test_unknown_zone_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Asia/Shangai'"):
        zone_named("Asia/Shangai")


def test_naive_utc_refuses_naive_datetimes() -> None:
    assert naive_utc(datetime(2023, 5, 12, 10, 20, tzinfo=SHANGHAI)) == datetime(2023, 5, 12, 2, 20)
    with pytest.raises(ValueError, match="must be aware"):
        naive_utc(datetime(2023, 5, 12, 10, 20))
