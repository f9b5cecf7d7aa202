"""Reading subscriptions: plans, a mentor's plan in effect at a time, and the recurring-revenue figures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, func, select

from peerlearn.config import get_settings
from peerlearn.models import Subscription, SubscriptionCharge, SubscriptionPlan, SubscriptionPrice
from peerlearn.models.subscription import SubscriptionStatus
from peerlearn.subscriptions.rules import LIVE, State, benefits_apply, commission_bps_for, monthly_minor


def state_of(sub: Subscription) -> State:
    return State(
        status=sub.status,
        period_end_at=sub.current_period_end_at,
        cancel_at_period_end=sub.cancel_at_period_end,
        grace_until_at=sub.grace_until_at,
    )


def active_plans(*, db: Session) -> list[tuple[SubscriptionPlan, list[SubscriptionPrice]]]:
    """The plans on offer (the default free one first) with their prices."""
    plans = db.exec(
        select(SubscriptionPlan)
        .where(col(SubscriptionPlan.active).is_(True))
        .order_by(col(SubscriptionPlan.is_default).desc(), col(SubscriptionPlan.id))
    ).all()
    prices = db.exec(select(SubscriptionPrice).where(col(SubscriptionPrice.plan_id).in_([p.id for p in plans]))).all()
    by_plan: dict[int, list[SubscriptionPrice]] = defaultdict(list)
    for price in prices:
        by_plan[price.plan_id].append(price)
    return [(plan, sorted(by_plan[plan.id or 0], key=lambda p: (p.currency, p.interval))) for plan in plans]


def live_subscription(mentor_id: int, *, db: Session) -> Subscription | None:
    """The mentor's subscription that is trialing, active or past due (at most one: an upgrade ends the old)."""
    return db.exec(
        select(Subscription)
        .where(Subscription.mentor_id == mentor_id, col(Subscription.status).in_(list(LIVE)))
        .order_by(col(Subscription.id).desc())
    ).first()


def latest_subscription(mentor_id: int, *, db: Session) -> Subscription | None:
    return db.exec(
        select(Subscription).where(Subscription.mentor_id == mentor_id).order_by(col(Subscription.id).desc())
    ).first()


def plan_in_effect(mentor_id: int, at: datetime, *, db: Session) -> SubscriptionPlan | None:
    """The paid plan whose benefits the mentor has at ``at``; None: the default free plan (today's behaviour)."""
    sub = live_subscription(mentor_id, db=db)
    if sub is None or sub.started_at is None or sub.started_at > at or not benefits_apply(state_of(sub), at):
        return None
    return db.get(SubscriptionPlan, sub.plan_id)


def commission_bps_at(mentor_id: int, at: datetime, *, db: Session) -> int:
    plan = plan_in_effect(mentor_id, at, db=db)
    return commission_bps_for(plan.commission_bps if plan else None, get_settings().commission_rate)


def pro_mentor_ids(mentor_ids: list[int], at: datetime, *, db: Session) -> set[int]:
    """Which of these mentors show the Pro badge at ``at``."""
    if not mentor_ids:
        return set()
    rows = db.exec(
        select(Subscription, SubscriptionPlan)
        .join(SubscriptionPlan, col(SubscriptionPlan.id) == Subscription.plan_id)
        .where(col(Subscription.mentor_id).in_(mentor_ids), col(Subscription.status).in_(list(LIVE)))
    ).all()
    return {sub.mentor_id for sub, plan in rows if plan.pro_badge and benefits_apply(state_of(sub), at)}


@dataclass
class RecurringRevenue:
    """Figures computed from subscriptions (not from commission) for one currency, in minor units."""

    currency: str
    mrr_minor: int = 0  # monthly recurring revenue of the paying subscriptions now (a trial pays nothing yet)
    arr_minor: int = 0  # 12 x MRR
    churned_mrr_minor: int = 0  # MRR of subscriptions that ended in the range (an upgrade is not churn)
    expansion_mrr_minor: int = 0  # added MRR of upgrades in the range
    subscribers_by_plan: dict[str, int] = field(default_factory=dict)
    trials_ended: int = 0  # trials whose end fell in the range
    trials_converted: int = 0  # ... of which paid afterwards

    @property
    def trial_conversion(self) -> float | None:
        return self.trials_converted / self.trials_ended if self.trials_ended else None


PAYING = (SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE)


def recurring_revenue(start: datetime, end: datetime, *, db: Session) -> list[RecurringRevenue]:
    """MRR, ARR, churned and expansion MRR, subscribers by plan and trial conversion, per currency."""
    rows = db.exec(
        select(Subscription, SubscriptionPlan).join(SubscriptionPlan, col(SubscriptionPlan.id) == Subscription.plan_id)
    ).all()
    subs = {sub.id: (sub, plan) for sub, plan in rows}
    successors = {sub.replaces_id: sub for sub, _ in rows if sub.replaces_id is not None and sub.started_at}
    paid_subs = set(db.exec(select(SubscriptionCharge.subscription_id).where(col(SubscriptionCharge.succeeded))).all())
    figures: dict[str, RecurringRevenue] = {}

    def of(currency: str) -> RecurringRevenue:
        return figures.setdefault(currency, RecurringRevenue(currency=currency))

    for sub, plan in subs.values():
        monthly = monthly_minor(sub.amount_minor, sub.interval)
        if sub.status in PAYING and sub.started_at is not None and sub.started_at <= end:
            figure = of(sub.currency)
            figure.mrr_minor += monthly
            figure.subscribers_by_plan[plan.name] = figure.subscribers_by_plan.get(plan.name, 0) + 1
        if sub.status == SubscriptionStatus.TRIALING and sub.started_at is not None:
            figure = of(sub.currency)
            figure.subscribers_by_plan[plan.name] = figure.subscribers_by_plan.get(plan.name, 0) + 1
        ended_in_range = sub.ended_at is not None and start <= sub.ended_at < end
        if ended_in_range and sub.id not in successors and sub.id in paid_subs:
            of(sub.currency).churned_mrr_minor += monthly
        if sub.replaces_id is not None and sub.started_at is not None and start <= sub.started_at < end:
            old, _ = subs[sub.replaces_id]
            gained = monthly - monthly_minor(old.amount_minor, old.interval)
            of(sub.currency).expansion_mrr_minor += max(gained, 0)
        if sub.trial_end_at is not None and start <= sub.trial_end_at < end:
            figure = of(sub.currency)
            figure.trials_ended += 1
            figure.trials_converted += sub.id in paid_subs
    for figure in figures.values():
        figure.arr_minor = 12 * figure.mrr_minor
    return sorted(figures.values(), key=lambda f: f.currency)


def plan_benefits_subquery(now: datetime) -> sa.Subquery:
    """Per mentor whose paid plan applies at ``now``: its ``directory_priority`` and ``pro_badge`` (the SQL form of
    ``rules.benefits_apply``, for listing queries)."""
    applies = sa.or_(
        sa.and_(
            col(Subscription.status).in_([SubscriptionStatus.ACTIVE, SubscriptionStatus.TRIALING]),
            sa.or_(
                col(Subscription.cancel_at_period_end).is_(False),
                col(Subscription.current_period_end_at) > now,
            ),
        ),
        sa.and_(
            col(Subscription.status) == SubscriptionStatus.PAST_DUE,
            sa.or_(col(Subscription.grace_until_at).is_(None), col(Subscription.grace_until_at) > now),
        ),
    )
    return (
        sa.select(
            col(Subscription.mentor_id).label("mentor_id"),
            func.max(SubscriptionPlan.directory_priority).label("priority"),
            func.max(sa.case((col(SubscriptionPlan.pro_badge), 1), else_=0)).label("pro"),
        )
        .join(SubscriptionPlan, col(SubscriptionPlan.id) == col(Subscription.plan_id))
        .where(applies, col(Subscription.started_at) <= now)
        .group_by(col(Subscription.mentor_id))
        .subquery()
    )
