"""A mentor asks for their available earnings: the ledger stays balanced, the available balance drops by what was
asked, nobody can ask for more than is there or less than the minimum, and the history shows each payout."""

from datetime import timedelta

import pytest

from peerlearn.billing.earnings import create_payout_batch, mark_batch_paid, mentor_balances
from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.billing.payouts import payout_history, request_payout
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import ErrorCode, PermissionDeniedError, RuleViolationError
from tests.billing.test_earnings import paid_booking
from tests.factories import make_user, token_for

LATER = timedelta(days=1, hours=50)  # past the escrow delay of a session that starts tomorrow


def _earned(db, price_minor: int = 10000):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    paid_booking(db, mentor, learner, price_minor=price_minor, start_in=timedelta(days=1), minutes=60)
    return mentor


def test_a_payout_request_moves_the_available_balance_and_keeps_the_ledger_balanced(db):
    mentor = _earned(db)
    later = utcnow() + LATER
    [before] = mentor_balances(mentor.id, db=db, now=later)
    assert before.available_minor == 8800

    payout = request_payout(mentor, "USD", 3000, db=db, now=later)
    db.commit()
    [after] = mentor_balances(mentor.id, db=db, now=later)
    assert (after.available_minor, after.requested_minor, after.paid_out_minor) == (5800, 3000, 3000)
    assert unbalanced_transactions(db=db) == []

    [row] = payout_history(mentor.id, db=db)
    assert (row.id, row.amount_minor, row.currency, row.status) == (payout.id, 3000, "USD", "draft")

    request_payout(mentor, "USD", db=db, now=later)  # no amount: all that is left
    [left] = mentor_balances(mentor.id, db=db, now=later)
    assert (left.available_minor, left.requested_minor) == (0, 8800)
    assert [p.amount_minor for p in payout_history(mentor.id, db=db)] == [5800, 3000]


def test_nobody_can_overdraw_or_ask_below_the_minimum(db):
    mentor = _earned(db)
    later = utcnow() + LATER
    with pytest.raises(RuleViolationError) as over:
        request_payout(mentor, "USD", 8801, db=db, now=later)
    assert over.value.code == ErrorCode.PAYOUT_OVER_AVAILABLE
    assert over.value.message == "You asked for $88.01, but $88.00 is available."
    with pytest.raises(RuleViolationError) as small:
        request_payout(mentor, "USD", 999, db=db, now=later)
    assert small.value.code == ErrorCode.PAYOUT_BELOW_MINIMUM
    assert "Payouts start at $10.00" in small.value.message
    with pytest.raises(RuleViolationError) as escrow:  # still in escrow: nothing available yet
        request_payout(mentor, "USD", db=db)
    assert escrow.value.code == ErrorCode.PAYOUT_BELOW_MINIMUM
    with pytest.raises(PermissionDeniedError):
        request_payout(make_user(db), "USD", db=db, now=later)
    assert payout_history(mentor.id, db=db) == []


def test_the_admins_next_batch_takes_a_request_and_marks_it_paid_without_paying_twice(db):
    mentor, admin = _earned(db), make_user(db, admin=True)
    later = utcnow() + LATER
    request_payout(mentor, "USD", 5000, db=db, now=later)
    batch = create_payout_batch(admin, db=db, now=later)  # takes the request and the 38.00 left
    mark_batch_paid(batch.id, db=db, now=later)
    db.commit()
    [balance] = mentor_balances(mentor.id, db=db, now=later)
    assert (balance.available_minor, balance.requested_minor, balance.paid_out_minor) == (0, 0, 8800)
    assert sorted((p.amount_minor, p.status) for p in payout_history(mentor.id, db=db)) == [
        (3800, "paid"),
        (5000, "paid"),
    ]
    assert unbalanced_transactions(db=db) == []


def test_rest_payouts_request_and_list(api, db):
    mentor = _earned(db)
    headers = token_for(db, mentor)
    too_much = api.post("/api/payouts/", json={"currency": "USD", "amount_minor": 10**6}, headers=headers)
    assert too_much.status_code == 409 and too_much.json()["error"]["code"] == "payout_over_available"
    assert api.post("/api/payouts/", json={"amount_minor": -5}, headers=headers).status_code == 422
    assert api.get("/api/payouts/").status_code == 401
    assert api.get("/api/payouts/", headers=headers).json() == []
