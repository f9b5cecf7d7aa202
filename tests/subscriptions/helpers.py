"""Plans for subscription tests (named apart from the seeded Free and Pro, so they behave the same everywhere)."""

from __future__ import annotations

from sqlmodel import Session

from peerlearn.models import SubscriptionPlan, SubscriptionPrice
from peerlearn.models.subscription import BillingInterval


def make_plan(
    db: Session,
    name: str,
    *,
    commission_bps: int | None = 800,
    monthly: int = 1500,
    yearly: int = 15000,
    currency: str = "USD",
    trial_days: int = 0,
    pro_badge: bool = True,
) -> SubscriptionPlan:
    plan = SubscriptionPlan(
        name=name, commission_bps=commission_bps, pro_badge=pro_badge, directory_priority=10, trial_days=trial_days
    )
    db.add(plan)
    db.flush()
    db.add(SubscriptionPrice(plan_id=plan.id, currency=currency, interval=BillingInterval.MONTH, amount_minor=monthly))
    db.add(SubscriptionPrice(plan_id=plan.id, currency=currency, interval=BillingInterval.YEAR, amount_minor=yearly))
    db.commit()
    return plan
