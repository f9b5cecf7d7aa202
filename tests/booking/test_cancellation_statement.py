"""What a learner is told before cancelling, and what a mentor is told: the same rule the cancellation applies."""

from datetime import UTC, datetime, timedelta

import pytest

from peerlearn.booking import actions as bookings
from peerlearn.booking.rules import (
    describe_learner_cancellation,
    describe_session_cancellation,
    learner_cancellation,
)
from peerlearn.catalog import actions as sessions
from peerlearn.models import LearningSession
from peerlearn.models.enums import BookingStatus, RefundPolicy, SessionStatus
from peerlearn.models.types import utcnow
from peerlearn.money import format_money
from peerlearn.platform.errors import ErrorCode, NotFoundError, RuleViolationError
from tests.factories import make_session, make_user, pay

T0 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


def _session(policy: RefundPolicy = RefundPolicy.FULL, percent: int = 50) -> LearningSession:
    return LearningSession(
        mentor_id=1,
        title="Intro",
        start_at=T0,
        end_at=T0 + timedelta(hours=1),
        refund_policy=policy,
        partial_refund_percent=percent,
        cancellation_cutoff_hours=24,
    )


@pytest.mark.parametrize(
    "policy, paid, status, before, expected",
    [
        (RefundPolicy.FULL, 4000, BookingStatus.CONFIRMED, 48, "You'll get a full refund of $40.00 to your card."),
        (
            RefundPolicy.PARTIAL,
            4000,
            BookingStatus.CONFIRMED,
            48,
            "You'll get a 50% refund: $20.00 of the $40.00 you paid, to your card.",
        ),
        (RefundPolicy.NONE, 4000, BookingStatus.CONFIRMED, 48, "No refund: this session's cancellation policy"),
        (RefundPolicy.FULL, None, BookingStatus.PENDING_PAYMENT, 48, "Nothing has been paid"),
        (RefundPolicy.FULL, 4000, BookingStatus.CONFIRMED, 3, "Cancelling closed at Sat 28 Feb"),
    ],
)
def test_the_statement_says_what_comes_back(policy, paid, status, before, expected):
    outcome = learner_cancellation(status, _session(policy), paid, "USD", T0 - timedelta(hours=before))
    assert describe_learner_cancellation(outcome).startswith(expected)


def test_after_the_cutoff_the_outcome_is_a_refusal_with_its_code():
    outcome = learner_cancellation(BookingStatus.CONFIRMED, _session(), 4000, "USD", T0 - timedelta(hours=3))
    assert outcome.refusal is not None and outcome.refusal.code == ErrorCode.CANCELLATION_CUTOFF
    assert outcome.refund_minor == 0


@pytest.mark.parametrize(
    "booked, paid, expected",
    [
        (3, 3, "3 learners are booked; each gets a full refund and an e-mail."),
        (1, 1, "1 learner is booked; they get a full refund and an e-mail."),
        (3, 1, "3 learners are booked; the one who paid gets a full refund, and everyone gets an e-mail."),
        (0, 0, "Nobody has booked yet."),
    ],
)
def test_mentor_statement_counts_learners(booked, paid, expected):
    assert describe_session_cancellation(booked, paid).startswith(expected)


def test_preview_states_the_refund_that_cancelling_then_makes(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=4000, refund_policy=RefundPolicy.PARTIAL, partial_refund_percent=50)
    booking, _ = bookings.book_session(learner, sid, db=db)
    db.commit()
    pay(db, booking.id)
    preview = bookings.cancellation_preview(learner, booking.id, db=db)
    assert preview.allowed and preview.refund_minor > 0
    assert format_money(preview.refund_minor, "USD") in preview.statement
    db.rollback()  # looking changed nothing: the booking is still confirmed
    _, refunded = bookings.cancel_booking(learner, booking.id, db=db)
    db.commit()
    assert refunded == preview.refund_minor


def test_preview_of_someone_elses_booking_is_not_found(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor)
    booking, _ = bookings.book_session(learner, sid, db=db)
    db.commit()
    with pytest.raises(NotFoundError) as refused:
        bookings.cancellation_preview(make_user(db), booking.id, db=db)
    assert refused.value.code == ErrorCode.NOT_FOUND


@pytest.mark.parametrize("after_start, word", [(timedelta(minutes=10), "live"), (timedelta(hours=2), "ended")])
def test_mentor_cannot_cancel_a_live_or_ended_session(db, after_start, word):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, start_in=timedelta(hours=2), minutes=60)
    bookings.book_session(learner, sid, db=db)
    db.commit()
    later = utcnow() + timedelta(hours=2) + after_start
    allowed, statement = sessions.session_cancellation_preview(mentor, sid, db=db, now=later)
    assert not allowed and word in statement
    with pytest.raises(RuleViolationError) as refused:
        sessions.cancel_session(mentor, sid, db=db, now=later)
    db.rollback()
    assert refused.value.code == ErrorCode.SESSION_STARTED
    assert db.get(LearningSession, sid).status == SessionStatus.PUBLISHED


def test_mentor_preview_before_the_start_counts_booked_and_paid(db):
    mentor = make_user(db, mentor=True)
    sid = make_session(db, mentor, price_minor=2000, capacity=5)
    for n in range(3):
        booking, _ = bookings.book_session(make_user(db), sid, db=db)
        db.commit()
        if n < 2:
            pay(db, booking.id)
    allowed, statement = sessions.session_cancellation_preview(mentor, sid, db=db)
    assert allowed
    assert statement == "3 learners are booked; the 2 who paid get a full refund, and everyone gets an e-mail."
