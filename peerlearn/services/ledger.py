"""The double-entry ledger: every movement of money is a transaction whose entries sum to zero.

Sign convention: debits are positive, credits negative. LEARNER_FUNDS holds
cash received through a gateway; PLATFORM_REVENUE and MENTOR_PAYABLE record
who that cash belongs to.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from peerlearn.models import LedgerEntry, LedgerTransaction, Payment
from peerlearn.models.enums import LedgerAccount


def split_commission(amount_minor: int, rate: float) -> tuple[int, int]:  # replaced by peerlearn.money once it lands
    platform = (amount_minor * round(rate * 10_000) + 5_000) // 10_000
    return platform, amount_minor - platform


def record_charge(payment: Payment, *, mentor_id: int, commission_rate: float, available_at: datetime | None,
                  db: Session, at: datetime | None = None) -> LedgerTransaction:
    """A learner paid: the cash splits into platform commission and the mentor's payable."""
    platform, mentor = split_commission(payment.amount_minor, commission_rate)
    payment.platform_fee_minor = platform
    tx = LedgerTransaction(kind="charge", payment_id=payment.id, memo=f"Payment {payment.id}")
    if at is not None:
        tx.created_at = at
    db.add(tx)
    db.flush()
    db.add_all([
        LedgerEntry(transaction_id=tx.id, account=LedgerAccount.LEARNER_FUNDS, user_id=payment.learner_id,
                    amount_minor=payment.amount_minor, currency=payment.currency),
        LedgerEntry(transaction_id=tx.id, account=LedgerAccount.PLATFORM_REVENUE,
                    amount_minor=-platform, currency=payment.currency),
        LedgerEntry(transaction_id=tx.id, account=LedgerAccount.MENTOR_PAYABLE, user_id=mentor_id,
                    amount_minor=-mentor, currency=payment.currency, available_at=available_at),
    ])
    db.add(payment)
    return tx


def unbalanced_transactions(*, db: Session) -> list[tuple[int, str, int]]:
    """(transaction id, currency, sum) for every transaction that does not sum to zero."""
    rows = db.exec(
        select(LedgerEntry.transaction_id, LedgerEntry.currency, sa.func.sum(LedgerEntry.amount_minor))
        .group_by(LedgerEntry.transaction_id, LedgerEntry.currency)
        .having(sa.func.sum(LedgerEntry.amount_minor) != 0)
    ).all()
    return [(tx_id, currency, int(total)) for tx_id, currency, total in rows]
