"""An admin pays one mentor's payout request from the dashboard: it leaves the queue, reads as paid in the mentor's
history, nobody can pay it twice, and only admins may."""

import pytest

from peerlearn.billing.earnings import batch_csv, mentor_balances
from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.billing.payouts import approve_payout, payout_history, payouts_to_approve, request_payout
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import ConflictError, NotFoundError, PermissionDeniedError
from tests.billing.test_payouts import LATER, _earned
from tests.factories import make_user


def test_an_admin_pays_a_request_and_it_leaves_the_queue(db):
    mentor, admin = _earned(db), make_user(db, admin=True)
    later = utcnow() + LATER
    payout = request_payout(mentor, "USD", 3000, db=db, now=later)
    db.commit()
    [waiting] = payouts_to_approve(db=db)
    assert (waiting.id, waiting.mentor_name, waiting.amount_minor, waiting.currency) == (
        payout.id,
        mentor.full_name,
        3000,
        "USD",
    )

    paid = approve_payout(admin, payout.id, db=db, now=later)
    db.commit()
    assert paid.status == "paid" and paid.paid_at is not None
    assert payouts_to_approve(db=db) == []
    [row] = payout_history(mentor.id, db=db)
    assert row.status == "paid"
    assert f"{payout.id},{mentor.id}," in batch_csv(paid.batch_id, db=db)  # its own batch, like any other
    [balance] = mentor_balances(mentor.id, db=db, now=later)
    assert (balance.available_minor, balance.paid_out_minor) == (5800, 3000)  # paying moves no more money
    assert unbalanced_transactions(db=db) == []

    with pytest.raises(ConflictError):
        approve_payout(admin, payout.id, db=db, now=later)


def test_only_admins_approve_and_unknown_requests_are_not_found(db):
    mentor, admin = _earned(db), make_user(db, admin=True)
    payout = request_payout(mentor, "USD", db=db, now=utcnow() + LATER)
    with pytest.raises(PermissionDeniedError):
        approve_payout(mentor, payout.id, db=db)
    with pytest.raises(NotFoundError):
        approve_payout(admin, 999_999, db=db)
    assert [p.id for p in payouts_to_approve(db=db)] == [payout.id]
