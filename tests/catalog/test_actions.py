"""Mentors' sessions: a cancellation refunds and tells every learner; overlaps are refused; a series repeats."""

from datetime import timedelta
from itertools import pairwise

import pytest
from sqlmodel import select

from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.booking import actions as bookings
from peerlearn.catalog import actions as sessions
from peerlearn.models import LearningSession, Notification, Payment
from peerlearn.models.catalog import LearningSessionCreate, Recurrence
from peerlearn.models.enums import (
    NotificationKind,
    PaymentStatus,
    RefundPolicy,
    SessionStatus,
)
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import ConflictError, ErrorCode
from tests.factories import make_session, make_user, pay


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


def test_mentor_cannot_publish_overlapping_sessions_and_series_creates_occurrences(db):
    mentor = make_user(db, mentor=True, timezone="Europe/Berlin")
    make_session(db, mentor, start_in=timedelta(days=2))
    with pytest.raises(ConflictError) as refused:
        make_session(db, mentor, start_in=timedelta(days=2, minutes=30))
    assert refused.value.code == ErrorCode.MENTOR_OVERLAP
    assert "(Europe/Berlin)" in refused.value.message  # the clash is quoted in the mentor's own zone
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
