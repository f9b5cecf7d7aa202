"""Form input to service input: local time to UTC across DST, prices, numbers, bad input."""

from datetime import UTC, datetime

import pytest

from peerlearn.ui.forms import FormError, local_to_utc, price_to_minor, skill_list, whole_number


def test_local_time_converts_to_utc_on_both_sides_of_a_dst_change():
    assert local_to_utc("2026-03-28", "18:00", "Europe/Berlin") == datetime(2026, 3, 28, 17, 0, tzinfo=UTC)
    assert local_to_utc("2026-03-30", "18:00", "Europe/Berlin") == datetime(2026, 3, 30, 16, 0, tzinfo=UTC)
    assert local_to_utc("2026-07-01", "09:30", "Asia/Kolkata") == datetime(2026, 7, 1, 4, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "date, time, tz", [("", "18:00", "UTC"), ("2026-13-01", "10:00", "UTC"), ("2026-01-01", "10:00", "Mars/Base")]
)
def test_bad_dates_and_zones_are_refused(date, time, tz):
    with pytest.raises(FormError):
        local_to_utc(date, time, tz)


def test_prices_become_minor_units_and_bad_prices_are_refused():
    assert price_to_minor("25.50", "USD") == 2550
    assert price_to_minor("", "USD") == 0
    assert price_to_minor("1,200", "JPY") == 1200
    with pytest.raises(FormError, match="not a price"):
        price_to_minor("12.345", "USD")
    with pytest.raises(FormError):
        price_to_minor("cheap", "USD")


def test_numbers_and_skills():
    assert whole_number("8", "Capacity", low=1, high=500) == 8
    with pytest.raises(FormError, match="between 1 and 500"):
        whole_number("0", "Capacity", low=1, high=500)
    assert skill_list(" Python, SQL ,, ") == ["Python", "SQL"]
