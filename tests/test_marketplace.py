"""The marketplace loop through the services, on SQLite and PostgreSQL."""

from datetime import timedelta
from itertools import pairwise

import pytest
from sqlmodel import select

from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.billing.payments import handle_webhook, simulated_pay
from peerlearn.booking import actions as bookings
from peerlearn.booking.reminders import send_due_reminders
from peerlearn.booking.reviews import ReviewCreate, reply_to_review, submit_review
from peerlearn.booking.waitlist import expire_offers, join_waitlist
from peerlearn.catalog import actions as sessions
from peerlearn.models import Booking, LearningSession, Notification, Payment, Review, WaitlistEntry
from peerlearn.models.catalog import LearningSessionCreate, Recurrence
from peerlearn.models.enums import (
    AttendanceStatus,
    BookingStatus,
    NotificationKind,
    PaymentStatus,
    RefundPolicy,
    SessionStatus,
    WaitlistStatus,
)
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import ConflictError, ErrorCode, RuleViolationError
from tests.factories import make_session, make_user


def pay(db, booking_id, card="4242 4242 4242 4242"):
    payment = db.exec(select(Payment).where(Payment.booking_id == booking_id).order_by(Payment.id.desc())).first()
    body, headers = simulated_pay(payment.provider_ref, card, db=db)
    outcome = handle_webhook("simulated", body, headers, db=db)
    db.commit()
    return outcome, body, headers


def seats(db, session_id):
    db.expire_all()
    return db.get(LearningSession, session_id).seats_taken


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


def test_mentor_cancel_refunds_everyone_in_full_and_notifies(db):
    mentor = make_user(db, mentor=True)
    learners = [make_user(db) for _ in range(2)]
    sid = make_session(db, mentor, price_minor=2000, capacity=5, refund_policy=RefundPolicy.NONE)
    for learner in learners:
        booking, _ = bookings.book_session(learner, sid, db=db)
        db.commit()
        pay(db, booking.id)
    sessions.cancel_session(mentor, sid, db=db, reason="Sick")
    db.commit()
    payments = db.exec(select(Payment)).all()
    assert all(p.refunded_minor == 2000 and p.status == PaymentStatus.REFUNDED for p in payments)
    notes = db.exec(select(Notification).where(Notification.kind == NotificationKind.SESSION_CANCELLED)).all()
    assert {n.user_id for n in notes} == {l.id for l in learners}
    assert db.get(LearningSession, sid).status == SessionStatus.CANCELLED
    assert unbalanced_transactions(db=db) == []


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


def test_waitlist_offer_goes_to_first_then_next(db):
    mentor, holder, first, second = make_user(db, mentor=True), make_user(db), make_user(db), make_user(db)
    sid = make_session(db, mentor, capacity=1)
    booking, _ = bookings.book_session(holder, sid, db=db)
    db.commit()
    with pytest.raises(RuleViolationError):
        join_waitlist(make_user(db), make_session(db, make_user(db, mentor=True), capacity=3), db=db)
    db.rollback()
    join_waitlist(first, sid, db=db)
    join_waitlist(second, sid, db=db)
    db.commit()
    bookings.cancel_booking(holder, booking.id, db=db)
    db.commit()
    entries = {e.learner_id: e for e in db.exec(select(WaitlistEntry))}
    assert entries[first.id].status == WaitlistStatus.OFFERED and entries[second.id].status == WaitlistStatus.WAITING
    with pytest.raises(ConflictError):  # the seat is reserved for the offer
        bookings.book_session(make_user(db), sid, db=db)
    db.rollback()
    expire_offers(db=db, now=utcnow() + timedelta(hours=2))
    db.commit()
    db.expire_all()
    entries = {e.learner_id: e for e in db.exec(select(WaitlistEntry))}
    assert entries[first.id].status == WaitlistStatus.EXPIRED and entries[second.id].status == WaitlistStatus.OFFERED
    booked, _ = bookings.book_session(second, sid, db=db)
    db.commit()
    assert booked.status == BookingStatus.CONFIRMED and seats(db, sid) == 1


def test_reviews_after_attended_completion_once_and_mentor_replies_once(db):
    mentor, learner, absent = make_user(db, mentor=True), make_user(db), make_user(db)
    now = utcnow()
    sid = make_session(db, mentor, capacity=3, start_in=timedelta(hours=2), min_notice_minutes=0)
    ok, _ = bookings.book_session(learner, sid, db=db)
    missing, _ = bookings.book_session(absent, sid, db=db)
    db.commit()
    with pytest.raises(RuleViolationError):
        submit_review(learner, sid, ReviewCreate(rating=5), db=db)
    later = now + timedelta(hours=4)
    sessions.mark_attendance(mentor, missing.id, False, db=db, now=later)
    sessions.complete_session(mentor, sid, db=db, now=later)
    db.commit()
    assert db.get(Booking, missing.id).status == BookingStatus.NO_SHOW
    assert db.get(Booking, ok.id).attendance == AttendanceStatus.ATTENDED
    with pytest.raises(RuleViolationError):
        submit_review(absent, sid, ReviewCreate(rating=1), db=db)
    review = submit_review(learner, sid, ReviewCreate(rating=4, comment="Clear and useful"), db=db)
    db.commit()
    with pytest.raises(ConflictError):
        submit_review(learner, sid, ReviewCreate(rating=5), db=db)
    from peerlearn.models import MentorProfile

    profile = db.get(MentorProfile, mentor.id)
    assert (profile.rating_avg, profile.rating_count) == (4.0, 1)
    reply_to_review(mentor, review.id, "Thanks!", db=db)
    db.commit()
    with pytest.raises(ConflictError):
        reply_to_review(mentor, review.id, "Again", db=db)
    assert db.get(Review, review.id).reply == "Thanks!"


def test_mentor_cannot_publish_overlapping_sessions_and_series_creates_occurrences(db):
    mentor = make_user(db, mentor=True, timezone="Europe/Berlin")
    make_session(db, mentor, start_in=timedelta(days=2))
    with pytest.raises(ConflictError) as refused:
        make_session(db, mentor, start_in=timedelta(days=2, minutes=30))
    assert refused.value.code == ErrorCode.MENTOR_OVERLAP
    db.rollback()
    start = (utcnow() + timedelta(days=20)).replace(microsecond=0)
    created = sessions.create_sessions(
        mentor,
        LearningSessionCreate(
            title="Weekly Spanish",
            start_at=start,
            end_at=start + timedelta(hours=1),
            capacity=4,
            recurrence=Recurrence(count=4),
        ),
        db=db,
    )
    db.commit()
    assert len(created) == 4 and len({s.series_id for s in created}) == 1
    assert all(
        b.start_at - a.start_at in (timedelta(days=7), timedelta(days=7, hours=1), timedelta(days=7, hours=-1))
        for a, b in pairwise(created)
    )


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


def test_reminders_are_sent_once_each(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, start_in=timedelta(hours=30))
    bookings.book_session(learner, sid, db=db)
    db.commit()
    now = utcnow()
    assert send_due_reminders(db=db, now=now) == 0
    assert send_due_reminders(db=db, now=now + timedelta(hours=7)) == 1  # 23 h before
    assert send_due_reminders(db=db, now=now + timedelta(hours=8)) == 0
    assert send_due_reminders(db=db, now=now + timedelta(hours=29, minutes=30)) == 1  # 30 min before
    assert send_due_reminders(db=db, now=now + timedelta(hours=29, minutes=40)) == 0
    db.commit()
    reminders = db.exec(select(Notification).where(Notification.kind == NotificationKind.REMINDER)).all()
    assert len(reminders) == 2
