"""Premium mentor subscriptions: plans admins edit, their prices, a mentor's subscription and its charges."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from peerlearn.models.types import enum_field, utc_field


class BillingInterval(StrEnum):
    MONTH = "month"
    YEAR = "year"


class SubscriptionStatus(StrEnum):
    INCOMPLETE = "incomplete"  # checkout started, nothing paid yet
    TRIALING = "trialing"
    ACTIVE = "active"
    PAST_DUE = "past_due"  # a renewal failed; benefits kept until grace_until
    CANCELLED = "cancelled"  # ended on purpose (at period end, or replaced by an upgrade)
    EXPIRED = "expired"  # ended unpaid (grace ran out, or the checkout was never paid)


class SubscriptionPlan(SQLModel, table=True):
    """A plan is data: its benefits are what the code enforces."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=sa.String(60), unique=True)
    is_default: bool = Field(default=False, description="The free plan every mentor has without a subscription")
    commission_bps: int | None = Field(default=None, description="Commission on bookings; None: the platform's rate")
    pro_badge: bool = False
    directory_priority: int = Field(default=0, description="Higher first in the mentor directory's default sort")
    advanced_analytics: bool = False
    seats_bonus: int = Field(default=0, description="Extra concurrent group seats")
    trial_days: int = 0
    active: bool = True
    created_at: datetime = utc_field(default_now=True)


class SubscriptionPrice(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("plan_id", "currency", "interval", name="uq_plan_price"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="subscriptionplan.id", index=True)
    currency: str = Field(sa_type=sa.String(3))
    interval: BillingInterval = enum_field(BillingInterval.MONTH)
    amount_minor: int


class Subscription(SQLModel, table=True):
    """One row per plan a mentor held; an upgrade ends the old row and starts a new one (``replaces_id``)."""

    id: int | None = Field(default=None, primary_key=True)
    mentor_id: int = Field(foreign_key="user.id", index=True)
    plan_id: int = Field(foreign_key="subscriptionplan.id", index=True)
    interval: BillingInterval = enum_field(BillingInterval.MONTH)
    amount_minor: int = Field(description="The recurring price per interval")
    currency: str = Field(sa_type=sa.String(3))
    status: SubscriptionStatus = enum_field(SubscriptionStatus.INCOMPLETE, index=True)
    current_period_start_at: datetime | None = utc_field(nullable=True)
    current_period_end_at: datetime | None = utc_field(nullable=True)
    trial_end_at: datetime | None = utc_field(nullable=True)
    cancel_at_period_end: bool = False
    grace_until_at: datetime | None = utc_field(nullable=True)
    replaces_id: int | None = Field(default=None, foreign_key="subscription.id")
    prorated_minor: int = Field(default=0, description="Charged at checkout for an upgrade")
    provider: str = Field(sa_type=sa.String(20))
    provider_ref: str = Field(default="", sa_type=sa.String(120), index=True, description="The checkout reference")
    provider_subscription_id: str = Field(default="", sa_type=sa.String(120), index=True)
    provider_customer_id: str = Field(default="", sa_type=sa.String(120))
    checkout_url: str = Field(default="", sa_type=sa.String(1000))
    created_at: datetime = utc_field(default_now=True, index=True)
    started_at: datetime | None = utc_field(nullable=True)
    ended_at: datetime | None = utc_field(nullable=True, index=True)


class SubscriptionCharge(SQLModel, table=True):
    """Money a mentor paid (or failed to pay) for a subscription; paid ones are in the ledger."""

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="subscription.id", index=True)
    kind: str = Field(sa_type=sa.String(20), description="initial, renewal, proration")
    amount_minor: int
    currency: str = Field(sa_type=sa.String(3))
    succeeded: bool = True
    provider_payment_id: str = Field(default="", sa_type=sa.String(120))
    refunded_minor: int = 0
    created_at: datetime = utc_field(default_now=True, index=True)
