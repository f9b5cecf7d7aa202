"""Money: payments, refunds, the double-entry ledger, payouts, coupons, webhook events."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from peerlearn.models.enums import CouponKind, LedgerAccount, PaymentStatus, PayoutStatus, RefundStatus
from peerlearn.models.types import enum_field, utc_field


class Payment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", index=True)
    learner_id: int = Field(foreign_key="user.id", index=True)
    provider: str = Field(sa_type=sa.String(20), index=True)
    provider_ref: str = Field(default="", sa_type=sa.String(120), index=True)
    provider_payment_id: str = Field(default="", sa_type=sa.String(120), index=True)
    idempotency_key: str = Field(sa_type=sa.String(80), unique=True)
    checkout_url: str = Field(default="", sa_type=sa.String(1000))
    amount_minor: int
    currency: str = Field(sa_type=sa.String(3))
    platform_fee_minor: int = 0
    learner_fee_minor: int = Field(default=0, description="Service fee inside amount_minor, paid by the learner")
    refunded_minor: int = 0
    status: PaymentStatus = enum_field(PaymentStatus.CREATED, index=True)
    created_at: datetime = utc_field(default_now=True, index=True)
    paid_at: datetime | None = utc_field(nullable=True, index=True)
    review_reason: str = Field(default="", sa_type=sa.String(255), description="Why it waits for an admin")
    flagged_at: datetime | None = utc_field(nullable=True)


class Refund(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    payment_id: int = Field(foreign_key="payment.id", index=True)
    amount_minor: int
    currency: str = Field(sa_type=sa.String(3))
    status: RefundStatus = enum_field(RefundStatus.PENDING)
    provider_refund_id: str = Field(default="", sa_type=sa.String(120), index=True)
    reason: str = Field(default="", sa_type=sa.String(255))
    created_at: datetime = utc_field(default_now=True, index=True)
    completed_at: datetime | None = utc_field(nullable=True)


class LedgerTransaction(SQLModel, table=True):
    """One balanced movement of money; its entries sum to zero."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_type=sa.String(24), index=True, description="charge, refund, payout")
    payment_id: int | None = Field(default=None, foreign_key="payment.id", index=True)
    refund_id: int | None = Field(default=None, foreign_key="refund.id")
    payout_id: int | None = Field(default=None, foreign_key="payout.id")
    memo: str = Field(default="", sa_type=sa.String(255))
    created_at: datetime = utc_field(default_now=True, index=True)


class LedgerEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    transaction_id: int = Field(foreign_key="ledgertransaction.id", index=True)
    account: LedgerAccount = enum_field(LedgerAccount.LEARNER_FUNDS, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    amount_minor: int = Field(description="Signed: debits positive, credits negative")
    currency: str = Field(sa_type=sa.String(3))
    available_at: datetime | None = utc_field(nullable=True, description="When a mentor payable becomes payable")


class PayoutBatch(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_by: int = Field(foreign_key="user.id")
    status: PayoutStatus = enum_field(PayoutStatus.DRAFT)
    created_at: datetime = utc_field(default_now=True)
    paid_at: datetime | None = utc_field(nullable=True)


class Payout(SQLModel, table=True):
    """Money on its way to a mentor: requested by the mentor (no batch until an admin's next batch takes it) or
    put in a batch by an admin; `draft` until the batch is marked paid."""

    id: int | None = Field(default=None, primary_key=True)
    batch_id: int | None = Field(default=None, foreign_key="payoutbatch.id", index=True)
    mentor_id: int = Field(foreign_key="user.id", index=True)
    amount_minor: int
    currency: str = Field(sa_type=sa.String(3))
    status: PayoutStatus = enum_field(PayoutStatus.DRAFT)
    requested_at: datetime = utc_field(default_now=True)
    paid_at: datetime | None = utc_field(nullable=True)


class Coupon(SQLModel, table=True):
    __table_args__ = (sa.CheckConstraint("used_count >= 0", name="ck_coupon_used_nonnegative"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(sa_type=sa.String(40), unique=True, index=True)
    kind: CouponKind = enum_field(CouponKind.PERCENT)
    value: int = Field(description="Percent (1-100) or a fixed amount in minor units")
    currency: str = Field(default="", sa_type=sa.String(3))
    expires_at: datetime | None = utc_field(nullable=True)
    max_uses: int | None = None
    used_count: int = 0
    mentor_id: int | None = Field(default=None, foreign_key="user.id")
    session_id: int | None = Field(default=None, foreign_key="learningsession.id")
    active: bool = True
    created_at: datetime = utc_field(default_now=True)


class CouponRedemption(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    coupon_id: int = Field(foreign_key="coupon.id", index=True)
    booking_id: int = Field(foreign_key="booking.id", unique=True)
    created_at: datetime = utc_field(default_now=True)


class WebhookEvent(SQLModel, table=True):
    """Provider events seen; the unique pair makes every delivery idempotent."""

    __table_args__ = (sa.UniqueConstraint("provider", "event_id", name="uq_webhook_provider_event"),)

    id: int | None = Field(default=None, primary_key=True)
    provider: str = Field(sa_type=sa.String(20))
    event_id: str = Field(sa_type=sa.String(255))
    kind: str = Field(default="", sa_type=sa.String(40))
    received_at: datetime = utc_field(default_now=True)
    processed_at: datetime | None = utc_field(nullable=True)
