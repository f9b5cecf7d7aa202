"""The subscription state machine, periods, proration and MRR arithmetic, without a database."""

from datetime import UTC, datetime, timedelta

import pytest

from peerlearn.models.subscription import BillingInterval
from peerlearn.models.subscription import SubscriptionStatus as S
from peerlearn.subscriptions.rules import (
    State,
    TransitionError,
    benefits_apply,
    commission_bps_for,
    grace_until,
    monthly_minor,
    next_status,
    period_end,
    proration_minor,
)
from peerlearn.subscriptions.rules import (
    SubscriptionEvent as E,
)

NOW = datetime(2026, 3, 1, tzinfo=UTC)
END = datetime(2026, 4, 1, tzinfo=UTC)


def test_paying_activates_or_starts_a_trial():
    assert next_status(State(S.INCOMPLETE), E.ACTIVATED, now=NOW) == S.ACTIVE
    assert next_status(State(S.INCOMPLETE), E.ACTIVATED, now=NOW, trial=True) == S.TRIALING


def test_failure_is_past_due_with_grace_then_expires_unless_paid():
    active = State(S.ACTIVE, period_end_at=END)
    assert next_status(active, E.PAYMENT_FAILED, now=END) == S.PAST_DUE
    past_due = State(S.PAST_DUE, period_end_at=END, grace_until_at=grace_until(END))
    assert benefits_apply(past_due, END + timedelta(days=6))
    assert next_status(past_due, E.PERIOD_ENDED, now=END + timedelta(days=6)) == S.PAST_DUE
    assert next_status(past_due, E.RENEWED, now=END + timedelta(days=6)) == S.ACTIVE
    assert next_status(past_due, E.PERIOD_ENDED, now=END + timedelta(days=7)) == S.EXPIRED
    assert not benefits_apply(past_due, END + timedelta(days=7))


def test_cancel_at_period_end_keeps_benefits_until_the_end():
    cancelling = State(S.ACTIVE, period_end_at=END, cancel_at_period_end=True)
    assert benefits_apply(cancelling, END - timedelta(seconds=1))
    assert next_status(cancelling, E.PERIOD_ENDED, now=END - timedelta(seconds=1)) == S.ACTIVE
    assert next_status(cancelling, E.PERIOD_ENDED, now=END) == S.CANCELLED
    assert not benefits_apply(cancelling, END)
    assert not benefits_apply(State(S.CANCELLED, period_end_at=END), NOW)


def test_events_that_make_no_sense_are_refused():
    with pytest.raises(TransitionError):
        next_status(State(S.CANCELLED), E.RENEWED, now=NOW)
    with pytest.raises(TransitionError):
        next_status(State(S.ACTIVE), E.ACTIVATED, now=NOW)


def test_periods_follow_the_calendar():
    assert period_end(datetime(2026, 1, 31, tzinfo=UTC), BillingInterval.MONTH) == datetime(2026, 2, 28, tzinfo=UTC)
    assert period_end(datetime(2026, 12, 15, tzinfo=UTC), BillingInterval.MONTH) == datetime(2027, 1, 15, tzinfo=UTC)
    assert period_end(datetime(2028, 2, 29, tzinfo=UTC), BillingInterval.YEAR) == datetime(2029, 2, 28, tzinfo=UTC)


def test_upgrade_halfway_costs_half_the_difference():
    start, end = datetime(2026, 4, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC)  # 30 days
    halfway = start + timedelta(days=15)
    assert proration_minor(1500, 3000, period_start_at=start, period_end_at=end, at=halfway) == 750
    # 10 of 30 days left: 1001 / 3 = 333.67 -> 334 (half-up)
    assert proration_minor(1000, 2001, period_start_at=start, period_end_at=end, at=start + timedelta(days=20)) == 334
    assert proration_minor(3000, 1500, period_start_at=start, period_end_at=end, at=halfway) == 0  # no refund
    assert proration_minor(1500, 3000, period_start_at=start, period_end_at=end, at=end) == 0


def test_a_yearly_price_counts_a_twelfth_in_mrr_and_the_free_plan_keeps_the_platform_rate():
    assert monthly_minor(15000, BillingInterval.YEAR) == 1250
    assert monthly_minor(10000, BillingInterval.YEAR) == 833  # 833.33
    assert monthly_minor(1500, BillingInterval.MONTH) == 1500
    assert commission_bps_for(None, 0.12) == 1200
    assert commission_bps_for(800, 0.12) == 800
