"""Many learners racing for the last seats never overbook (real row locks on PostgreSQL)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from peerlearn.booking.actions import book_session, expire_holds
from peerlearn.models import Booking, LearningSession
from peerlearn.models.enums import BookingStatus
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import ConflictError
from tests.factories import make_session, make_user


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)  # this is about PostgreSQL's row locks
def test_forty_learners_race_for_five_seats(database_url, db):
    from peerlearn.db import get_engine

    mentor = make_user(db, mentor=True)
    learners = [make_user(db) for _ in range(40)]
    sid = make_session(db, mentor, capacity=5, price_minor=2000)
    db.commit()

    def attempt(learner_id: int) -> str:
        with Session(get_engine(), expire_on_commit=False) as own:
            learner = own.get(type(learners[0]), learner_id)
            try:
                book_session(learner, sid, db=own)
                own.commit()
                return "won"
            except ConflictError as error:
                own.rollback()
                return error.code.value

    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = list(pool.map(attempt, [l.id for l in learners]))

    assert outcomes.count("won") == 5
    assert outcomes.count("session_full") == 35
    db.expire_all()
    assert db.get(LearningSession, sid).seats_taken == 5
    held = db.exec(select(Booking).where(Booking.session_id == sid)).all()
    assert len(held) == 5 and all(b.status == BookingStatus.PENDING_PAYMENT for b in held)

    # Nobody pays: the holds expire by themselves and every seat comes back.
    assert expire_holds(db=db, now=utcnow() + timedelta(minutes=11)) == 5
    db.commit()
    db.expire_all()
    assert db.get(LearningSession, sid).seats_taken == 0
