"""Mentor earnings held in escrow, and payout batches (a mentor's own payout request: `payouts.py`).

A mentor's payable becomes available `PAYOUT_DELAY_HOURS` after the session
ends (the `available_at` stamped on the ledger entry). Refunds (including a
mentor's own no-show, which refunds learners) reverse the payable before it
can be paid out.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session, col, func, select

from peerlearn.billing.ledger import record_payout
from peerlearn.models import LedgerEntry, Payout, PayoutBatch, User
from peerlearn.models.enums import LedgerAccount, PayoutStatus
from peerlearn.models.types import saved_id, utcnow
from peerlearn.platform.errors import NotFoundError, RuleViolationError


class Balance(BaseModel):
    currency: str
    pending_minor: int = 0
    available_minor: int = 0
    paid_out_minor: int = 0  # handed to payouts: the requested (still on their way) and the paid
    requested_minor: int = 0  # of that, payouts not marked paid yet


def mentor_balances(mentor_id: int, *, db: Session, now: datetime | None = None) -> list[Balance]:
    """Per currency: earned but still in escrow, available to pay out, and already paid out."""
    now = now or utcnow()
    entries = db.exec(
        select(LedgerEntry).where(LedgerEntry.account == LedgerAccount.MENTOR_PAYABLE, LedgerEntry.user_id == mentor_id)
    ).all()
    earned: dict[str, dict[str, int]] = defaultdict(lambda: {"pending": 0, "available": 0, "reversed": 0, "paid": 0})
    for entry in entries:
        bucket = earned[entry.currency]
        if entry.amount_minor < 0:  # credit: money owed to the mentor
            key = "available" if entry.available_at is not None and entry.available_at <= now else "pending"
            bucket[key] += -entry.amount_minor
        else:
            paid_out = db.exec(
                select(LedgerEntry.id).where(
                    LedgerEntry.transaction_id == entry.transaction_id,
                    LedgerEntry.account == LedgerAccount.PAYOUT_CLEARING,
                )
            ).first()
            bucket["paid" if paid_out else "reversed"] += entry.amount_minor
    on_the_way: dict[str, int] = defaultdict(int)
    for payout in db.exec(select(Payout).where(Payout.mentor_id == mentor_id, Payout.status != PayoutStatus.PAID)):
        on_the_way[payout.currency] += payout.amount_minor
    balances = []
    for currency, b in sorted(earned.items()):
        # Reversals (refunds) come off what is still pending first, then off what is available.
        from_pending = min(b["reversed"], b["pending"])
        pending = b["pending"] - from_pending
        available = b["available"] - (b["reversed"] - from_pending) - b["paid"]
        balances.append(
            Balance(
                currency=currency,
                pending_minor=pending,
                available_minor=max(available, 0),
                paid_out_minor=b["paid"],
                requested_minor=on_the_way[currency],
            )
        )
    return balances


def create_payout_batch(admin: User, *, db: Session, now: datetime | None = None) -> PayoutBatch:
    """One payout per mentor and currency for everything available now."""
    now = now or utcnow()
    mentor_ids = db.exec(
        select(LedgerEntry.user_id)
        .where(LedgerEntry.account == LedgerAccount.MENTOR_PAYABLE)
        .group_by(col(LedgerEntry.user_id))
    ).all()
    batch = PayoutBatch(created_by=saved_id(admin))
    db.add(batch)
    db.flush()
    for requested in db.exec(select(Payout).where(col(Payout.batch_id).is_(None))):  # mentors' own requests
        requested.batch_id = batch.id
        db.add(requested)
    for mentor_id in mentor_ids:
        if mentor_id is None:  # every payable entry names its mentor (see ledger.record_charge)
            continue
        for balance in mentor_balances(mentor_id, db=db, now=now):
            if balance.available_minor > 0:
                payout = Payout(
                    batch_id=saved_id(batch),
                    mentor_id=mentor_id,
                    amount_minor=balance.available_minor,
                    currency=balance.currency,
                    requested_at=now,
                )
                db.add(payout)
                db.flush()
                record_payout(saved_id(payout), mentor_id, payout.amount_minor, payout.currency, db=db)
    return batch


def mark_batch_paid(batch_id: int, *, db: Session, now: datetime | None = None) -> PayoutBatch:
    batch = db.get(PayoutBatch, batch_id)
    if batch is None:
        raise NotFoundError("No such payout batch.")
    if batch.status == PayoutStatus.PAID:
        raise RuleViolationError("This batch is already marked paid.")
    now = now or utcnow()
    batch.status, batch.paid_at = PayoutStatus.PAID, now
    for payout in db.exec(select(Payout).where(Payout.batch_id == batch_id)):
        payout.status, payout.paid_at = PayoutStatus.PAID, now
        db.add(payout)
    db.add(batch)
    return batch


def batch_csv(batch_id: int, *, db: Session) -> str:
    rows = db.exec(
        select(Payout, User)
        .join(User, col(User.id) == Payout.mentor_id)
        .where(Payout.batch_id == batch_id)
        .order_by(col(Payout.id))
    ).all()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["payout_id", "mentor_id", "mentor_name", "mentor_email", "amount_minor", "currency", "status"])
    for payout, mentor in rows:
        writer.writerow(
            [
                payout.id,
                mentor.id,
                mentor.full_name,
                mentor.email,
                payout.amount_minor,
                payout.currency,
                payout.status.value,
            ]
        )
    return out.getvalue()


def payout_total(batch_id: int, *, db: Session) -> int:
    return db.exec(select(func.coalesce(func.sum(Payout.amount_minor), 0)).where(Payout.batch_id == batch_id)).one()
