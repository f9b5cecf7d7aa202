"""The double-entry ledger: every movement of money is a transaction whose entries sum to zero.

Sign convention: debits are positive, credits negative.
- LEARNER_FUNDS: cash received from learners through a gateway.
- COUPON_EXPENSE: what PeerLearn pays for coupon discounts (coupons are platform-funded).
- PLATFORM_REVENUE: commission on the full price (credit).
- PLATFORM_LEARNER_FEES: the learner's service fee on top of the price (credit), apart from commission.
- MENTOR_PAYABLE: what PeerLearn owes a mentor (credit), available after the escrow delay.
- PAYOUT_CLEARING: cash paid out to mentors.
- SUBSCRIPTION_FUNDS: cash received from mentors for their plan.
- PLATFORM_SUBSCRIPTION_REVENUE: subscription revenue (credit), platform revenue kept apart from commission.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from peerlearn.models import LedgerEntry, LedgerTransaction, Payment, Refund, SubscriptionCharge
from peerlearn.models.enums import LedgerAccount
from peerlearn.models.types import saved_id
from peerlearn.money import Rate, prorate, split_commission


def _transaction(
    kind: str,
    memo: str,
    *,
    db: Session,
    at: datetime | None = None,
    payment_id: int | None = None,
    refund_id: int | None = None,
    payout_id: int | None = None,
) -> LedgerTransaction:
    tx = LedgerTransaction(kind=kind, memo=memo, payment_id=payment_id, refund_id=refund_id, payout_id=payout_id)
    if at is not None:
        tx.created_at = at
    db.add(tx)
    db.flush()
    return tx


def _entry(
    tx: LedgerTransaction,
    account: LedgerAccount,
    amount: int,
    currency: str,
    *,
    user_id: int | None = None,
    available_at: datetime | None = None,
) -> LedgerEntry:
    return LedgerEntry(
        transaction_id=saved_id(tx),
        account=account,
        amount_minor=amount,
        currency=currency,
        user_id=user_id,
        available_at=available_at,
    )


def record_charge(
    payment: Payment,
    *,
    mentor_id: int,
    commission_rate: Rate,
    available_at: datetime | None,
    db: Session,
    discount_minor: int = 0,
    at: datetime | None = None,
) -> LedgerTransaction:
    """A learner paid: commission is taken on the full price; a coupon discount is the platform's expense;
    the learner's service fee (inside the amount paid) goes to its own account."""
    fee = payment.learner_fee_minor
    gross = payment.amount_minor - fee + discount_minor
    platform, mentor = split_commission(gross, commission_rate)
    payment.platform_fee_minor = platform
    db.add(payment)
    tx = _transaction("charge", f"Payment {payment.id}", payment_id=payment.id, db=db, at=at)
    entries = [
        _entry(tx, LedgerAccount.LEARNER_FUNDS, payment.amount_minor, payment.currency, user_id=payment.learner_id),
        _entry(tx, LedgerAccount.PLATFORM_REVENUE, -platform, payment.currency),
        _entry(
            tx, LedgerAccount.MENTOR_PAYABLE, -mentor, payment.currency, user_id=mentor_id, available_at=available_at
        ),
    ]
    if discount_minor:
        entries.append(_entry(tx, LedgerAccount.COUPON_EXPENSE, discount_minor, payment.currency))
    if fee:
        entries.append(_entry(tx, LedgerAccount.PLATFORM_LEARNER_FEES, -fee, payment.currency))
    db.add_all(entries)
    return tx


def record_refund(
    payment: Payment, refund: Refund, *, mentor_id: int, discount_minor: int, db: Session
) -> LedgerTransaction:
    """Reverse a charge in proportion to the refunded share (successive partial refunds add up exactly).

    The learner's service fee is given back in the same proportion as the price: refunding half of what was paid
    returns half of the fee.
    """
    amount, already = refund.amount_minor, payment.refunded_minor
    coupon_part = prorate(amount, payment.amount_minor, discount_minor, already=already)
    platform_part = prorate(amount, payment.amount_minor, payment.platform_fee_minor, already=already)
    fee_part = prorate(amount, payment.amount_minor, payment.learner_fee_minor, already=already)
    mentor_part = amount + coupon_part - platform_part - fee_part
    tx = _transaction(
        "refund", f"Refund {refund.id} of payment {payment.id}", payment_id=payment.id, refund_id=refund.id, db=db
    )
    entries = [
        _entry(tx, LedgerAccount.LEARNER_FUNDS, -amount, payment.currency, user_id=payment.learner_id),
        _entry(tx, LedgerAccount.PLATFORM_REVENUE, platform_part, payment.currency),
        _entry(tx, LedgerAccount.MENTOR_PAYABLE, mentor_part, payment.currency, user_id=mentor_id),
    ]
    if coupon_part:
        entries.append(_entry(tx, LedgerAccount.COUPON_EXPENSE, -coupon_part, payment.currency))
    if fee_part:
        entries.append(_entry(tx, LedgerAccount.PLATFORM_LEARNER_FEES, fee_part, payment.currency))
    db.add_all(entries)
    return tx


def record_payout(payout_id: int, mentor_id: int, amount: int, currency: str, *, db: Session) -> LedgerTransaction:
    tx = _transaction("payout", f"Payout {payout_id}", payout_id=payout_id, db=db)
    db.add_all(
        [
            _entry(tx, LedgerAccount.MENTOR_PAYABLE, amount, currency, user_id=mentor_id),
            _entry(tx, LedgerAccount.PAYOUT_CLEARING, -amount, currency),
        ]
    )
    return tx


def record_subscription_charge(charge: SubscriptionCharge, *, mentor_id: int, db: Session) -> LedgerTransaction:
    """A mentor paid for their plan: all of it is platform revenue."""
    tx = _transaction("subscription", f"Subscription charge {charge.id}", db=db, at=charge.created_at)
    db.add_all(
        [
            _entry(tx, LedgerAccount.SUBSCRIPTION_FUNDS, charge.amount_minor, charge.currency, user_id=mentor_id),
            _entry(tx, LedgerAccount.PLATFORM_SUBSCRIPTION_REVENUE, -charge.amount_minor, charge.currency),
        ]
    )
    return tx


def record_subscription_refund(
    charge: SubscriptionCharge, amount: int, *, mentor_id: int, db: Session
) -> LedgerTransaction:
    """Give back (part of) a subscription charge: the revenue is reversed by the same amount."""
    tx = _transaction("subscription_refund", f"Refund of subscription charge {charge.id}", db=db)
    db.add_all(
        [
            _entry(tx, LedgerAccount.SUBSCRIPTION_FUNDS, -amount, charge.currency, user_id=mentor_id),
            _entry(tx, LedgerAccount.PLATFORM_SUBSCRIPTION_REVENUE, amount, charge.currency),
        ]
    )
    return tx


def unbalanced_transactions(*, db: Session) -> list[tuple[int, str, int]]:
    """(transaction id, currency, sum) for every transaction that does not sum to zero."""
    rows = db.exec(
        select(LedgerEntry.transaction_id, LedgerEntry.currency, sa.func.sum(LedgerEntry.amount_minor))
        .group_by(col(LedgerEntry.transaction_id), col(LedgerEntry.currency))
        .having(sa.func.sum(LedgerEntry.amount_minor) != 0)
    ).all()
    return [(tx_id, currency, int(total)) for tx_id, currency, total in rows]
