"""/api/subscriptions/...: premium mentor plans, checkout (new or upgrade), the mentor's subscription, cancelling
at period end; the simulated gateway's hosted payment and an admin's controls to emit its later invoices."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from peerlearn.api.deps import DB, Admin, Mentor, route
from peerlearn.api.errors import AUTHENTICATED, PUBLIC
from peerlearn.api.params import Id
from peerlearn.models import SubscriptionPlan
from peerlearn.models.subscription import BillingInterval
from peerlearn.models.types import saved_id, utcnow
from peerlearn.platform.errors import NotFoundError
from peerlearn.subscriptions import actions, simulated
from peerlearn.subscriptions.public import (
    CheckoutStarted,
    MySubscription,
    PlanPublic,
    SubscriptionPublic,
    plan_public,
    subscription_public,
)
from peerlearn.subscriptions.queries import active_plans, latest_subscription, plan_in_effect

router = APIRouter(tags=["subscriptions"])


class CheckoutRequest(BaseModel):
    plan_id: int = Field(ge=1)
    interval: BillingInterval
    currency: str = Field(default="USD", min_length=3, max_length=3)


class CardPayment(BaseModel):
    card_number: str = Field(min_length=1, max_length=40)


@route(router, "GET", "/api/subscriptions/plans/", response_model=list[PlanPublic], responses=PUBLIC)
def plans(db: DB) -> list[PlanPublic]:
    """The plans on offer, the default free plan first, with their prices per currency and interval."""
    return [plan_public(plan, prices) for plan, prices in active_plans(db=db)]


@route(
    router,
    "POST",
    "/api/subscriptions/checkout/",
    status_code=201,
    response_model=CheckoutStarted,
    responses=AUTHENTICATED,
)
def checkout(data: CheckoutRequest, mentor: Mentor, db: DB) -> CheckoutStarted:
    """A hosted checkout for a plan; while subscribed, an upgrade charged the proration now. 404: no such plan on
    offer; 422: no price in that currency and interval; 409: already on it, or not an upgrade."""
    sub = actions.start_checkout(mentor, data.plan_id, data.interval, currency=data.currency, db=db)
    return CheckoutStarted(subscription=subscription_public(sub), checkout_url=sub.checkout_url)


@route(router, "GET", "/api/subscriptions/me/", response_model=MySubscription, responses=AUTHENTICATED)
def mine(mentor: Mentor, db: DB) -> MySubscription:
    """The plan whose benefits apply now and the mentor's latest subscription."""
    mentor_id = saved_id(mentor)
    plan = plan_in_effect(mentor_id, utcnow(), db=db)
    latest = latest_subscription(mentor_id, db=db)
    return MySubscription(
        plan_name=plan.name if plan else _default_name(db),
        subscription=subscription_public(latest) if latest else None,
    )


def _default_name(db: DB) -> str:
    default = next((plan for plan, _ in active_plans(db=db) if plan.is_default), None)
    return default.name if isinstance(default, SubscriptionPlan) else "Free"


@route(router, "POST", "/api/subscriptions/me/cancel/", response_model=SubscriptionPublic, responses=AUTHENTICATED)
def cancel(mentor: Mentor, db: DB) -> SubscriptionPublic:
    """Stop renewing: the benefits last until the paid period ends. 404: no live subscription."""
    return subscription_public(actions.cancel_at_period_end(mentor, db=db))


@route(
    router,
    "POST",
    "/api/subscriptions/simulated/{ref}/pay/",
    response_model=SubscriptionPublic,
    responses=AUTHENTICATED,
)
def pay_simulated(ref: str, data: CardPayment, mentor: Mentor, db: DB) -> SubscriptionPublic:
    """The simulated gateway's hosted page: 4242 4242 4242 4242 pays (its signed webhook is delivered to the same
    handler as a real provider's). 404: not the mentor's checkout; 409: declined, closed, or no simulated gateway."""
    return subscription_public(simulated.pay_checkout(ref, data.card_number, db=db, mentor_id=saved_id(mentor)))


@route(
    router,
    "POST",
    "/api/admin/subscriptions/{subscription_id}/simulate/{outcome}/",
    response_model=SubscriptionPublic,
    responses=AUTHENTICATED,
)
def simulate_invoice(subscription_id: Id, outcome: str, admin: Admin, db: DB) -> SubscriptionPublic:
    """Development: the simulated provider bills the next period; ``outcome`` is ``renewal`` (pays; after a failure,
    the recovery) or ``failure`` (declined). 404: not a simulated subscription or another outcome."""
    if outcome not in ("renewal", "failure"):
        raise NotFoundError("The outcome is 'renewal' or 'failure'.")
    sub = simulated.simulated_subscription(subscription_id, db=db)
    simulated.bill(sub, paid=outcome == "renewal", db=db)
    db.flush()
    db.refresh(sub)
    return subscription_public(sub)
