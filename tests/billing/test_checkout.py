"""Paying for a seat: the hold, the webhook that confirms it, a declined card, and payments that arrive late."""

from datetime import timedelta

from sqlmodel import select

from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.billing.payments import handle_webhook
from peerlearn.booking import actions as bookings
from peerlearn.models import Booking, Notification, Payment
from peerlearn.models.enums import (
    BookingStatus,
    NotificationKind,
    PaymentStatus,
)
from peerlearn.models.types import utcnow
from tests.factories import make_session, make_user, pay, seats


def test_paid_session_holds_then_confirms_on_payment_and_ledger_balances(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2500, currency="USD")
    booking, payment = bookings.book_session(learner, sid, db=db)
    db.commit()
    assert booking.status == BookingStatus.PENDING_PAYMENT
    assert booking.hold_expires_at is not None and "/pay/simulated/" in payment.checkout_url
    outcome, body, headers = pay(db, booking.id)
    assert outcome == "applied"
    db.expire_all()
    assert db.get(Booking, booking.id).status == BookingStatus.CONFIRMED
    paid = db.get(Payment, payment.id)
    assert paid.status == PaymentStatus.SUCCEEDED and paid.platform_fee_minor == 300  # 12% of 25.00
    assert unbalanced_transactions(db=db) == []
    # The same delivery again is acknowledged and changes nothing.
    assert handle_webhook("simulated", body, headers, db=db) == "duplicate"


def test_declined_card_keeps_the_hold(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=1000)
    booking, _ = bookings.book_session(learner, sid, db=db)
    db.commit()
    pay(db, booking.id, card="4000 0000 0000 0002")
    db.expire_all()
    assert db.get(Booking, booking.id).status == BookingStatus.PENDING_PAYMENT
    assert seats(db, sid) == 1


def test_hold_expires_frees_the_seat_and_a_late_payment_on_a_full_session_is_refunded(db):
    mentor, late, other = make_user(db, mentor=True), make_user(db), make_user(db)
    sid = make_session(db, mentor, price_minor=1000, capacity=1)
    booking, _ = bookings.book_session(late, sid, db=db)
    db.commit()
    assert bookings.expire_holds(db=db, now=utcnow() + timedelta(minutes=11)) == 1
    db.commit()
    assert seats(db, sid) == 0
    taken, _ = bookings.book_session(other, sid, db=db)  # someone else takes the seat
    db.commit()
    pay(db, booking.id)  # the first learner's payment lands after all
    db.expire_all()
    assert db.get(Booking, booking.id).status == BookingStatus.REFUNDED
    payment = db.exec(select(Payment).where(Payment.booking_id == booking.id)).first()
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_minor == 1000
    assert seats(db, sid) == 1
    assert unbalanced_transactions(db=db) == []
    assert any(
        n.kind == NotificationKind.PAYMENT_REFUNDED
        for n in db.exec(select(Notification).where(Notification.user_id == late.id))
    )


def test_late_payment_with_a_free_seat_confirms(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=1000, capacity=2)
    booking, _ = bookings.book_session(learner, sid, db=db)
    db.commit()
    bookings.expire_holds(db=db, now=utcnow() + timedelta(minutes=11))
    db.commit()
    pay(db, booking.id)
    db.expire_all()
    assert db.get(Booking, booking.id).status == BookingStatus.CONFIRMED
    assert seats(db, sid) == 1
