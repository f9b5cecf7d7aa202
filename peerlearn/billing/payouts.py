"""A mentor asks for their money: a payout request out of the available balance, and the history of payouts.

Requesting moves the amount out of the mentor's payable into payout clearing at once (one balanced ledger
transaction, as an admin's batch does), so the available balance drops and the same money cannot be asked for
twice. The payout waits (`draft`, shown as pending) until an admin's next batch takes it and is marked paid.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, col, select

from peerlearn.accounts.actions import require_role
from peerlearn.billing.earnings import mark_batch_paid, mentor_balances
from peerlearn.billing.ledger import record_payout
from peerlearn.models import Payout, PayoutBatch, User
from peerlearn.models.enums import PayoutStatus, UserRole
from peerlearn.models.types import saved_id, utcnow
from peerlearn.money import format_money, normalize_currency, to_minor
from peerlearn.platform.errors import ConflictError, ErrorCode, NotFoundError, RuleViolationError, ValidationError
from peerlearn.platform.locks import lock_row

MINIMUM_PAYOUT = "10"  # in the currency's main unit: $10.00, €10.00, ₹10.00; smaller amounts wait for more


class PayoutRequest(BaseModel):
    currency: str = Field(default="USD", min_length=3, max_length=3)
    amount_minor: int | None = Field(default=None, ge=1, description="Leave out to ask for all that is available")


class PayoutPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    amount_minor: int
    currency: str
    status: str  # draft (pending: on its way) or paid
    requested_at: datetime
    paid_at: datetime | None = None


def minimum_payout(currency: str) -> int:
    return to_minor(MINIMUM_PAYOUT, currency)


def request_payout(
    mentor: User,
    currency: str = "USD",
    amount_minor: int | None = None,
    *,
    db: Session,
    now: datetime | None = None,
) -> Payout:
    """Pay out `amount_minor` (all that is available when None) of the mentor's available balance in `currency`.
    Refused below the minimum and above what is available, each with its own code."""
    require_role(mentor, UserRole.MENTOR)
    now = now or utcnow()
    try:
        code = normalize_currency(currency)
    except ValueError:
        raise ValidationError(f"'{currency}' is not a currency code (use e.g. USD, EUR, INR).") from None
    mentor_id = saved_id(mentor)
    lock_row(User, mentor_id, db=db)  # two requests at once cannot both spend the same balance
    available = next((b.available_minor for b in mentor_balances(mentor_id, db=db, now=now) if b.currency == code), 0)
    amount = available if amount_minor is None else amount_minor
    least = minimum_payout(code)
    if amount_minor is not None and amount_minor > available:
        raise RuleViolationError(
            f"You asked for {format_money(amount_minor, code)}, but {format_money(available, code)} is available.",
            ErrorCode.PAYOUT_OVER_AVAILABLE,
        )
    if amount < least:
        raise RuleViolationError(
            f"Payouts start at {format_money(least, code)}; {format_money(available, code)} is available now.",
            ErrorCode.PAYOUT_BELOW_MINIMUM,
        )
    payout = Payout(mentor_id=mentor_id, amount_minor=amount, currency=code, requested_at=now)
    db.add(payout)
    db.flush()
    record_payout(saved_id(payout), mentor_id, amount, code, db=db)
    return payout


def payout_history(mentor_id: int, *, db: Session, limit: int = 50) -> list[PayoutPublic]:
    """The mentor's payouts, newest first: requested ones and those an admin's batch made."""
    rows = db.exec(
        select(Payout)
        .where(Payout.mentor_id == mentor_id)
        .order_by(col(Payout.requested_at).desc(), col(Payout.id).desc())
        .limit(limit)
    )
    return [PayoutPublic.model_validate(p) for p in rows]


class PayoutToApprove(BaseModel):
    id: int
    mentor_name: str
    mentor_email: str
    amount_minor: int
    currency: str
    requested_at: datetime


def payouts_to_approve(*, db: Session, limit: int = 50) -> list[PayoutToApprove]:
    """Mentors' own payout requests that no batch has taken yet, oldest first."""
    rows = db.exec(
        select(Payout, User)
        .join(User, col(User.id) == Payout.mentor_id)
        .where(col(Payout.batch_id).is_(None), Payout.status == PayoutStatus.DRAFT)
        .order_by(col(Payout.requested_at), col(Payout.id))
        .limit(limit)
    ).all()
    return [
        PayoutToApprove(
            id=saved_id(p),
            mentor_name=u.full_name,
            mentor_email=u.email,
            amount_minor=p.amount_minor,
            currency=p.currency,
            requested_at=p.requested_at,
        )
        for p, u in rows
    ]


def approve_payout(admin: User, payout_id: int, *, db: Session, now: datetime | None = None) -> Payout:
    """An admin pays one mentor's request now: a batch of its own (so the payout CSV and history read as for any
    batch), marked paid by `earnings.mark_batch_paid`. The money left the mentor's balance when they asked."""
    require_role(admin, UserRole.ADMIN)
    payout = lock_row(Payout, payout_id, db=db)  # two admins clicking at once cannot pay it twice
    if payout is None:
        raise NotFoundError("No payout request with that id.")
    if payout.status == PayoutStatus.PAID:
        raise ConflictError("This payout is already paid.")
    if payout.batch_id is not None:
        raise ConflictError("This payout is in a batch already; it is paid when its batch is.")
    batch = PayoutBatch(created_by=saved_id(admin))
    db.add(batch)
    db.flush()
    payout.batch_id = saved_id(batch)
    db.add(payout)
    db.flush()
    mark_batch_paid(saved_id(batch), db=db, now=now)
    return payout
