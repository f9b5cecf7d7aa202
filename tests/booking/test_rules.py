"""Pure marketplace rules: windows, overlaps, refunds and recurrence across a daylight-saving change."""

from datetime import UTC, datetime, timedelta

import pytest

from peerlearn.booking.rules import (
    booking_opens_check,
    describe_refund_policy,
    learner_can_cancel,
    overlaps,
    refund_for_learner_cancel,
    weekly_occurrences,
)
from peerlearn.models.enums import RefundPolicy

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def h(hours: float) -> timedelta:
    return timedelta(hours=hours)


@pytest.mark.parametrize(
    "a, b, expected",
    [
        ((0, 1), (1, 2), False),  # back to back is fine
        ((0, 1), (0.5, 1.5), True),
        ((0, 3), (1, 2), True),  # contains
        ((2, 3), (0, 1), False),
    ],
)
def test_overlaps(a, b, expected):
    assert overlaps(T0 + h(a[0]), T0 + h(a[1]), T0 + h(b[0]), T0 + h(b[1])) is expected


def test_buffer_turns_back_to_back_into_overlap():
    assert overlaps(T0, T0 + h(1), T0 + h(1), T0 + h(2), buffer=timedelta(minutes=15))
    assert not overlaps(T0, T0 + h(1), T0 + h(1.25), T0 + h(2), buffer=timedelta(minutes=15))


def test_booking_window():
    assert booking_opens_check(T0, 60, T0 - h(2)) is None
    assert "60 minutes" in booking_opens_check(T0, 60, T0 - timedelta(minutes=30))
    assert "already started" in booking_opens_check(T0, 0, T0 + timedelta(minutes=1))


def test_cancellation_cutoff():
    assert learner_can_cancel(T0, 24, T0 - h(25))
    assert not learner_can_cancel(T0, 24, T0 - h(24))
    assert not learner_can_cancel(T0, 24, T0 - h(3))


@pytest.mark.parametrize(
    "policy, percent, expected",
    [
        (RefundPolicy.FULL, 0, 2999),
        (RefundPolicy.PARTIAL, 50, 1499),
        (RefundPolicy.PARTIAL, 100, 2999),
        (RefundPolicy.NONE, 50, 0),
    ],
)
def test_refund_amounts(policy, percent, expected):
    assert refund_for_learner_cancel(2999, policy, percent) == expected


def test_refund_policy_is_described_before_booking():
    assert describe_refund_policy(RefundPolicy.PARTIAL, 40, 12) == (
        "Cancel up to 12 hours before the start for a 40% refund; after that, cancelling is not possible."
    )


def test_weekly_series_keeps_local_time_across_dst():
    # 18:00 in Berlin on 2026-03-19 (UTC+1); Europe switches to summer time on 2026-03-29 (UTC+2).
    start = datetime(2026, 3, 19, 17, 0, tzinfo=UTC)
    occurrences = weekly_occurrences(start, start + h(1), 3, "Europe/Berlin")
    assert [s.hour for s, _ in occurrences] == [17, 17, 16]  # UTC hours move so local time stays 18:00
    assert all(e - s == h(1) for s, e in occurrences)


def test_weekly_series_in_utc_is_exactly_weekly():
    occurrences = weekly_occurrences(T0, T0 + h(1), 4)
    assert [s - T0 for s, _ in occurrences] == [timedelta(weeks=w) for w in range(4)]


def test_a_one_hour_cut_off_reads_in_the_singular():
    assert describe_refund_policy(RefundPolicy.FULL, 0, 1) == (
        "Cancel up to 1 hour before the start for a full refund; after that, cancelling is not possible."
    )
