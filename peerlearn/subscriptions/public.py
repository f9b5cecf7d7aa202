"""What the API and pages show of plans and a mentor's subscription."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from peerlearn.models import Subscription, SubscriptionPlan, SubscriptionPrice
from peerlearn.models.subscription import BillingInterval, SubscriptionStatus


class PricePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    currency: str
    interval: BillingInterval
    amount_minor: int


class PlanPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    is_default: bool
    commission_bps: int | None = Field(description="Commission on bookings; null: the platform's rate")
    pro_badge: bool
    directory_priority: int
    advanced_analytics: bool
    seats_bonus: int
    trial_days: int
    prices: list[PricePublic] = []


class SubscriptionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    plan_id: int
    interval: BillingInterval
    amount_minor: int
    currency: str
    status: SubscriptionStatus
    current_period_start_at: datetime | None
    current_period_end_at: datetime | None
    trial_end_at: datetime | None
    cancel_at_period_end: bool
    grace_until_at: datetime | None
    prorated_minor: int
    provider: str
    checkout_url: str


class CheckoutStarted(BaseModel):
    subscription: SubscriptionPublic
    checkout_url: str


class MySubscription(BaseModel):
    plan_name: str = Field(description="The plan whose benefits apply now ('Free' without a subscription)")
    subscription: SubscriptionPublic | None = Field(description="The latest subscription, live or not")


def plan_public(plan: SubscriptionPlan, prices: list[SubscriptionPrice]) -> PlanPublic:
    public = PlanPublic.model_validate(plan)
    public.prices = [PricePublic.model_validate(p) for p in prices]
    return public


def subscription_public(sub: Subscription) -> SubscriptionPublic:
    return SubscriptionPublic.model_validate(sub)
