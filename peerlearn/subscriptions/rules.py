"""Pure subscription rules: the state machine, periods, proration, and which plan's benefits apply at a time.

States: incomplete -> (trialing | active); active -> past_due on a failed renewal (benefits kept until
``grace_until``); past_due -> active when a retry pays, -> expired when the grace ends unpaid; any live state with
``cancel_at_period_end`` -> cancelled when the period ends; an upgrade cancels the old row at once.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from peerlearn.models.subscription import BillingInterval, SubscriptionStatus
from peerlearn.money import prorate

GRACE_DAYS = 7
LIVE = frozenset({SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE})
ENDED = frozenset({SubscriptionStatus.CANCELLED, SubscriptionStatus.EXPIRED})


class SubscriptionEvent(StrEnum):
    ACTIVATED = "activated"  # the first checkout was paid (or a trial started)
    RENEWED = "renewed"  # a period's invoice was paid (also a retry after a failure)
    PAYMENT_FAILED = "payment_failed"
    CANCELLED = "cancelled"  # the provider ended it (e.g. cancelled in its portal)
    PERIOD_ENDED = "period_ended"  # time passed: cancel-at-period-end or grace may end it
    CHECKOUT_EXPIRED = "checkout_expired"


class TransitionError(ValueError):
    """The event cannot happen in this state."""


_ALLOWED: dict[SubscriptionEvent, frozenset[SubscriptionStatus]] = {
    SubscriptionEvent.ACTIVATED: frozenset({SubscriptionStatus.INCOMPLETE}),
    SubscriptionEvent.RENEWED: LIVE,
    SubscriptionEvent.PAYMENT_FAILED: LIVE,
    SubscriptionEvent.CANCELLED: LIVE | {SubscriptionStatus.INCOMPLETE},
    SubscriptionEvent.PERIOD_ENDED: LIVE,
    SubscriptionEvent.CHECKOUT_EXPIRED: frozenset({SubscriptionStatus.INCOMPLETE}),
}


@dataclass(frozen=True)
class State:
    status: SubscriptionStatus
    period_end_at: datetime | None = None
    cancel_at_period_end: bool = False
    grace_until_at: datetime | None = None


def next_status(state: State, event: SubscriptionEvent, *, now: datetime, trial: bool = False) -> SubscriptionStatus:
    """The status after ``event``; raises TransitionError when the event makes no sense in this state."""
    if state.status not in _ALLOWED[event]:
        raise TransitionError(f"{event.value} cannot happen to a {state.status.value} subscription")
    if event == SubscriptionEvent.ACTIVATED:
        return SubscriptionStatus.TRIALING if trial else SubscriptionStatus.ACTIVE
    if event == SubscriptionEvent.RENEWED:
        return SubscriptionStatus.ACTIVE
    if event == SubscriptionEvent.PAYMENT_FAILED:
        return SubscriptionStatus.PAST_DUE
    if event == SubscriptionEvent.CANCELLED:
        return SubscriptionStatus.CANCELLED
    if event == SubscriptionEvent.CHECKOUT_EXPIRED:
        return SubscriptionStatus.EXPIRED
    # PERIOD_ENDED: time has passed
    if state.status == SubscriptionStatus.PAST_DUE:
        if state.grace_until_at is not None and now >= state.grace_until_at:
            return SubscriptionStatus.EXPIRED
        return state.status
    if state.period_end_at is not None and now >= state.period_end_at and state.cancel_at_period_end:
        return SubscriptionStatus.CANCELLED
    return state.status


def grace_until(period_end_at: datetime, *, days: int = GRACE_DAYS) -> datetime:
    return period_end_at + timedelta(days=days)


def period_end(start_at: datetime, interval: BillingInterval) -> datetime:
    """One month or one year later (31 Jan + 1 month is 28/29 Feb)."""
    months = 1 if interval == BillingInterval.MONTH else 12
    year, month = divmod(start_at.month - 1 + months, 12)
    year, month = start_at.year + year, month + 1
    return start_at.replace(year=year, month=month, day=min(start_at.day, calendar.monthrange(year, month)[1]))


def benefits_apply(state: State, at: datetime) -> bool:
    """Whether the plan's benefits hold at ``at``: live and inside the paid period, or inside the grace."""
    if state.status not in LIVE:
        return False
    if state.status == SubscriptionStatus.PAST_DUE:
        return state.grace_until_at is None or at < state.grace_until_at
    return state.period_end_at is None or at < state.period_end_at or not state.cancel_at_period_end


def proration_minor(
    old_amount_minor: int, new_amount_minor: int, *, period_start_at: datetime, period_end_at: datetime, at: datetime
) -> int:
    """What an upgrade costs now: the price difference for the unused share of the current period, rounded half-up
    to the minor unit (0 for a change that costs no more)."""
    difference = new_amount_minor - old_amount_minor
    whole = int((period_end_at - period_start_at).total_seconds())
    left = int((period_end_at - max(at, period_start_at)).total_seconds())
    if difference <= 0 or whole <= 0 or left <= 0:
        return 0
    return prorate(min(left, whole), whole, difference)


def monthly_minor(amount_minor: int, interval: BillingInterval) -> int:
    """The monthly-recurring value of a price: a yearly price counts as a twelfth, rounded half-up."""
    if interval == BillingInterval.MONTH:
        return amount_minor
    return prorate(1, 12, amount_minor)


def commission_bps_for(plan_bps: int | None, default_rate: float) -> int:
    """Basis points of commission: the plan's when it sets one, else the platform's rate."""
    return plan_bps if plan_bps is not None else round(default_rate * 10_000)
