"""Booking through the domain on SQLite and PostgreSQL: confirm, refuse, cancel, reschedule, approve."""

from datetime import timedelta

import pytest
from sqlmodel import select

from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.booking import actions as bookings
from peerlearn.models import Booking, Notification, Payment
from peerlearn.models.enums import (
    BookingStatus,
    NotificationKind,
    PaymentStatus,
    RefundPolicy,
)
from peerlearn.platform.errors import ConflictError, ErrorCode, RuleViolationError
from tests.factories import make_session, make_user, pay, seats


def test_free_session_confirms_at_once_and_notifies(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, capacity=3)
    booking, payment = bookings.book_session(learner, sid, db=db)
    db.commit()
    assert booking.status == BookingStatus.CONFIRMED and payment is None
    assert seats(db, sid) == 1
    kinds = {(n.user_id, n.kind) for n in db.exec(select(Notification))}
    assert (learner.id, NotificationKind.BOOKING_CONFIRMED) in kinds
    assert (mentor.id, NotificationKind.BOOKING_MADE) in kinds


@pytest.mark.parametrize(
    "setup, code",
    [
        ("own", ErrorCode.OWN_SESSION),
        ("twice", ErrorCode.ALREADY_BOOKED),
        ("overlap", ErrorCode.OVERLAP),
        ("notice", ErrorCode.NOTICE_TOO_SHORT),
        ("full", ErrorCode.SESSION_FULL),
    ],
)
def test_booking_refusals(db, setup, code):
    mentor, learner, other_mentor = make_user(db, mentor=True), make_user(db), make_user(db, mentor=True)
    sid = make_session(db, mentor, capacity=1)
    target, who = sid, learner
    if setup == "own":
        who = mentor
    elif setup == "twice":
        bookings.book_session(learner, sid, db=db)
    elif setup == "overlap":
        bookings.book_session(learner, sid, db=db)
        target = make_session(db, other_mentor, start_in=timedelta(days=3, minutes=30))
    elif setup == "notice":
        target = make_session(db, other_mentor, start_in=timedelta(minutes=30), min_notice_minutes=60)
    elif setup == "full":
        bookings.book_session(make_user(db), sid, db=db)
    db.commit()
    before = seats(db, target)
    with pytest.raises((ConflictError, RuleViolationError)) as refused:
        bookings.book_session(who, target, db=db)
    db.rollback()
    assert refused.value.code == code
    assert seats(db, target) == before


def test_cancel_before_cutoff_refunds_by_policy_and_after_cutoff_is_refused(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(
        db,
        mentor,
        price_minor=3000,
        refund_policy=RefundPolicy.PARTIAL,
        partial_refund_percent=50,
        cancellation_cutoff_hours=24,
    )
    booking, _ = bookings.book_session(learner, sid, db=db)
    db.commit()
    pay(db, booking.id)
    cancelled, refunded = bookings.cancel_booking(learner, booking.id, db=db)
    db.commit()
    assert refunded == 1500 and cancelled.status == BookingStatus.REFUNDED
    assert seats(db, sid) == 0
    assert unbalanced_transactions(db=db) == []

    late = make_session(db, mentor, start_in=timedelta(hours=5), title="Soon", cancellation_cutoff_hours=24)
    soon, _ = bookings.book_session(learner, late, db=db)
    db.commit()
    with pytest.raises(RuleViolationError) as refused:
        bookings.cancel_booking(learner, soon.id, db=db)
    assert refused.value.code == ErrorCode.CANCELLATION_CUTOFF
    assert "24 hours" in refused.value.message


def test_reschedule_moves_seat_and_payment_without_paying_again(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    first = make_session(db, mentor, price_minor=1500)
    second = make_session(db, mentor, price_minor=1500, start_in=timedelta(days=10))
    pricier = make_session(db, mentor, price_minor=9000, start_in=timedelta(days=12))
    booking, _ = bookings.book_session(learner, first, db=db)
    db.commit()
    pay(db, booking.id)
    with pytest.raises(RuleViolationError):
        bookings.reschedule_booking(learner, booking.id, pricier, db=db)
    db.rollback()
    moved = bookings.reschedule_booking(learner, booking.id, second, db=db)
    db.commit()
    assert moved.status == BookingStatus.CONFIRMED and moved.session_id == second
    assert seats(db, first) == 0 and seats(db, second) == 1
    assert db.exec(select(Payment).where(Payment.booking_id == moved.id)).first() is not None
    assert db.exec(select(Payment).where(Payment.booking_id == moved.id)).first().status == PaymentStatus.SUCCEEDED


def test_approval_decline_releases_and_refunds(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=1200, requires_approval=True)
    booking, _ = bookings.book_session(learner, sid, db=db)
    db.commit()
    pay(db, booking.id)
    db.expire_all()
    assert db.get(Booking, booking.id).status == BookingStatus.PENDING_APPROVAL
    bookings.decide_booking(mentor, booking.id, False, db=db)
    db.commit()
    assert db.get(Booking, booking.id).status == BookingStatus.DECLINED
    assert seats(db, sid) == 0
    assert db.exec(select(Payment)).first().status == PaymentStatus.REFUNDED
