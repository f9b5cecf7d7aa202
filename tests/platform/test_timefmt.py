"""Times people read: the viewer's zone, named; DST handled by the zone data; the year only when it is not this year."""

from datetime import UTC, datetime

import pytest

from peerlearn.platform.timefmt import format_local, format_time, format_time_zoned, valid_zone

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("America/New_York", "Mon 5 Jan, 12:00 EST (America/New_York)"),
        ("Europe/Berlin", "Mon 5 Jan, 18:00 GMT+1 (Europe/Berlin)"),
        ("Asia/Kolkata", "Mon 5 Jan, 22:30 GMT+5:30 (Asia/Kolkata)"),
        ("Europe/London", "Mon 5 Jan, 17:00 GMT (Europe/London)"),
        ("America/Sao_Paulo", "Mon 5 Jan, 14:00 GMT-3 (America/Sao_Paulo)"),
        ("Australia/Sydney", "Tue 6 Jan, 04:00 GMT+11 (Australia/Sydney)"),  # the next day there
        ("UTC", "Mon 5 Jan, 17:00 UTC"),
    ],
)
def test_a_time_is_shown_in_the_viewers_zone_with_the_zone_named(zone: str, expected: str) -> None:
    assert format_local(datetime(2026, 1, 5, 17, 0, tzinfo=UTC), zone, now=NOW) == expected


def test_an_unknown_or_empty_zone_falls_back_to_utc() -> None:
    moment = datetime(2026, 1, 5, 17, 0, tzinfo=UTC)
    assert format_local(moment, "Mars/Olympus", now=NOW) == "Mon 5 Jan, 17:00 UTC"
    assert format_local(moment, "", now=NOW) == "Mon 5 Jan, 17:00 UTC"


def test_new_york_spring_forward_2026_03_08() -> None:
    """Clocks jump from 02:00 EST to 03:00 EDT: one UTC minute apart reads an hour apart, with the abbreviation."""
    before = datetime(2026, 3, 8, 6, 59, tzinfo=UTC)
    after = datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert format_local(before, "America/New_York", now=NOW) == "Sun 8 Mar, 01:59 EST (America/New_York)"
    assert format_local(after, "America/New_York", now=NOW) == "Sun 8 Mar, 03:00 EDT (America/New_York)"


def test_new_york_fall_back_2026_11_01() -> None:
    """01:30 happens twice; the abbreviation tells the two apart."""
    first = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    second = datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    assert format_local(first, "America/New_York", now=NOW) == "Sun 1 Nov, 01:30 EDT (America/New_York)"
    assert format_local(second, "America/New_York", now=NOW) == "Sun 1 Nov, 01:30 EST (America/New_York)"


def test_berlin_summer_time_changes_the_offset() -> None:
    assert format_local(datetime(2026, 3, 29, 0, 59, tzinfo=UTC), "Europe/Berlin", now=NOW).endswith(
        "01:59 GMT+1 (Europe/Berlin)"
    )
    assert format_local(datetime(2026, 3, 29, 1, 0, tzinfo=UTC), "Europe/Berlin", now=NOW).endswith(
        "03:00 GMT+2 (Europe/Berlin)"
    )


def test_the_year_appears_only_when_it_is_not_this_year() -> None:
    assert format_local(datetime(2027, 1, 4, 9, 0, tzinfo=UTC), "UTC", now=NOW) == "Mon 4 Jan 2027, 09:00 UTC"
    assert format_local(datetime(2025, 12, 30, 9, 0, tzinfo=UTC), "UTC", now=NOW) == "Tue 30 Dec 2025, 09:00 UTC"
    assert format_local(datetime(2026, 12, 30, 9, 0, tzinfo=UTC), "UTC", now=NOW) == "Wed 30 Dec, 09:00 UTC"


def test_this_year_is_the_viewers_year_not_utcs() -> None:
    """At 20:00 UTC on 31 Dec it is already next year in Tokyo: a session 'tomorrow' there carries no year."""
    new_year_eve = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)
    session = datetime(2027, 1, 1, 3, 0, tzinfo=UTC)  # 12:00 on 1 Jan in Tokyo
    assert format_local(session, "Asia/Tokyo", now=new_year_eve) == "Fri 1 Jan, 12:00 GMT+9 (Asia/Tokyo)"
    assert format_local(session, "America/New_York", now=new_year_eve) == "Thu 31 Dec, 22:00 EST (America/New_York)"
    assert format_local(session, "Asia/Tokyo", now=datetime(2026, 12, 31, 12, 0, tzinfo=UTC)).startswith(
        "Fri 1 Jan 2027, 12:00"
    )


def test_documents_can_always_carry_the_year() -> None:
    assert format_local(datetime(2026, 5, 1, 9, 0, tzinfo=UTC), "UTC", now=NOW, always_year=True) == (
        "Fri 1 May 2026, 09:00 UTC"
    )


def test_time_of_day_in_the_zone() -> None:
    moment = datetime(2026, 1, 5, 17, 0, tzinfo=UTC)
    assert format_time(moment, "Asia/Kolkata") == "22:30"
    assert format_time_zoned(moment, "America/New_York") == "12:00 EST (America/New_York)"


def test_valid_zone_accepts_iana_names_only() -> None:
    assert valid_zone("America/New_York") == "America/New_York"
    assert valid_zone(" Asia/Kolkata ") == "Asia/Kolkata"
    assert valid_zone("Asia/Calcutta") == "Asia/Kolkata"  # what Chromium reports for India
    for bad in ("", None, "EST5EDT; drop table", "Not/AZone", "x" * 200):
        assert valid_zone(bad) == "UTC"
