"""Reviews: only after an attended, completed session, once; the mentor replies once."""

from datetime import timedelta

import pytest

from peerlearn.booking import actions as bookings
from peerlearn.booking.reviews import ReviewCreate, reply_to_review, submit_review
from peerlearn.catalog import actions as sessions
from peerlearn.models import Booking, Review
from peerlearn.models.enums import (
    AttendanceStatus,
    BookingStatus,
)
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import ConflictError, RuleViolationError
from tests.factories import make_session, make_user


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
