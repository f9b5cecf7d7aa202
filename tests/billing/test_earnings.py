"""Escrow, payouts and receipts."""

from datetime import timedelta

from sqlmodel import select

from peerlearn.billing.earnings import batch_csv, create_payout_batch, mark_batch_paid, mentor_balances
from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.billing.payments import handle_webhook, simulated_pay
from peerlearn.booking.actions import book_session, cancel_booking
from peerlearn.models import Payment
from peerlearn.models.types import utcnow
from tests.factories import make_session, make_user, token_for


def paid_booking(db, mentor, learner, **session_fields):
    sid = make_session(db, mentor, **session_fields)
    booking, payment = book_session(learner, sid, db=db)
    db.commit()
    handle_webhook("simulated", *simulated_pay(payment.provider_ref, "4242424242424242", db=db), db=db)
    db.commit()
    return sid, booking


def test_earnings_stay_in_escrow_until_48h_after_the_session_then_pay_out_once(db):
    mentor, learner, admin = make_user(db, mentor=True), make_user(db), make_user(db, admin=True)
    paid_booking(db, mentor, learner, price_minor=10000, start_in=timedelta(days=1), minutes=60)
    [balance] = mentor_balances(mentor.id, db=db)
    assert (balance.currency, balance.pending_minor, balance.available_minor) == ("USD", 8800, 0)

    later = utcnow() + timedelta(days=1, hours=50)
    [balance] = mentor_balances(mentor.id, db=db, now=later)
    assert (balance.pending_minor, balance.available_minor) == (0, 8800)

    batch = create_payout_batch(admin, db=db, now=later)
    db.commit()
    [balance] = mentor_balances(mentor.id, db=db, now=later)
    assert (balance.available_minor, balance.paid_out_minor) == (0, 8800)
    assert "8800,USD" in batch_csv(batch.id, db=db)
    empty = create_payout_batch(admin, db=db, now=later)  # nothing is paid twice
    assert batch_csv(empty.id, db=db).count("\n") == 1
    mark_batch_paid(batch.id, db=db)
    db.commit()
    assert unbalanced_transactions(db=db) == []


def test_refunded_booking_leaves_nothing_to_pay_out(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    _, booking = paid_booking(db, mentor, learner, price_minor=4000)
    cancel_booking(learner, booking.id, db=db)
    db.commit()
    [balance] = mentor_balances(mentor.id, db=db, now=utcnow() + timedelta(days=30))
    assert balance.pending_minor == 0 and balance.available_minor == 0


def test_receipt_pdf_shows_the_fee_and_is_private(api, db):
    mentor, learner, stranger = make_user(db, mentor=True), make_user(db), make_user(db)
    paid_booking(db, mentor, learner, price_minor=2500)
    payment = db.exec(select(Payment)).one()
    response = api.get(f"/api/payments/{payment.id}/receipt/", headers=token_for(db, learner))
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert api.get(f"/api/payments/{payment.id}/receipt/", headers=token_for(db, stranger)).status_code == 404
    listed = api.get("/api/payments/", headers=token_for(db, learner)).json()
    assert listed[0]["platform_fee_minor"] == 300 and listed[0]["status"] == "succeeded"
    earnings = api.get("/api/mentor/earnings/", headers=token_for(db, mentor)).json()
    assert earnings[0]["pending_minor"] == 2200
    assert api.get("/api/mentor/earnings/", headers=token_for(db, learner)).status_code == 403


def test_admin_creates_a_coupon_and_learners_use_it(api, db):
    admin, learner, mentor = make_user(db, admin=True), make_user(db), make_user(db, mentor=True)
    sid = make_session(db, mentor, price_minor=4000)
    spec = {"code": "spring-25", "kind": "percent", "value": 25, "max_uses": 10}
    assert api.post("/api/admin/coupons/", json=spec, headers=token_for(db, learner)).status_code == 403
    assert api.post("/api/admin/coupons/", json=spec, headers=token_for(db, admin)).status_code == 201
    bad = api.post("/api/admin/coupons/", json={**spec, "code": "too-much", "value": 150}, headers=token_for(db, admin))
    assert bad.status_code == 422 and "1 to 100" in bad.json()["error"]["message"]
    booked = api.post(
        f"/api/sessions/{sid}/book/", json={"coupon_code": "SPRING-25"}, headers=token_for(db, learner)
    ).json()
    assert booked["discount_minor"] == 1000 and booked["amount_due_minor"] == 3000
    wrong = api.post(
        f"/api/sessions/{make_session(db, mentor, price_minor=4000, start_in=timedelta(days=9))}/book/",
        json={"coupon_code": "NOPE"},
        headers=token_for(db, make_user(db)),
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "coupon_invalid"
