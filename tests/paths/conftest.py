"""A small marketplace whose learners have travelled Excel -> SQL -> Python -> Data analysis (well rated), with an
upcoming session for each step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlmodel import Session

from peerlearn.models import Booking, Review, User
from peerlearn.models.enums import AttendanceStatus, BookingStatus, SkillLevel
from peerlearn.models.types import utcnow
from tests.factories import make_session, make_user

ROUTE = [("Excel", SkillLevel.BEGINNER), ("SQL", SkillLevel.BEGINNER), ("Python", SkillLevel.BEGINNER)]
GOAL = ("Data analysis", SkillLevel.INTERMEDIATE)


@dataclass
class Market:
    mentor: User
    upcoming: dict[str, int]  # skill -> an upcoming session's id, at the route's level


def completed(db: Session, learner: User, session_id: int, rating: int | None, mentor: User) -> None:
    booking = Booking(
        session_id=session_id,
        learner_id=learner.id,
        status=BookingStatus.COMPLETED,
        attendance=AttendanceStatus.ATTENDED,
    )
    db.add(booking)
    db.flush()
    if rating is not None:
        db.add(
            Review(
                booking_id=booking.id, session_id=session_id, learner_id=learner.id, mentor_id=mentor.id, rating=rating
            )
        )


def build_market(db: Session, suffix: str = "") -> Market:
    """``suffix`` makes the skill names unique ('Excel qx1'), for a database other tests share."""
    mentor = make_user(db, mentor=True, name="Mira Mentor")
    past_now = utcnow() - timedelta(days=60)
    past: dict[str, int] = {}
    for i, (skill, level) in enumerate([*ROUTE, GOAL]):
        past[skill] = make_session(
            db,
            mentor,
            now=past_now,
            start_in=timedelta(days=1 + i),
            title=f"{skill}{suffix} ({level.value})",
            skills=[f"{skill}{suffix}"],
            level=level,
            capacity=20,
        )
    for n in range(3):
        learner = make_user(db, name=f"Past learner {n}")
        for skill, _ in [*ROUTE, GOAL]:
            completed(db, learner, past[skill], 5, mentor)
    db.commit()
    upcoming = {
        skill: make_session(
            db,
            mentor,
            start_in=timedelta(days=2 + i),
            title=f"Next {skill}{suffix}",
            skills=[f"{skill}{suffix}"],
            level=level,
            capacity=5,
            min_notice_minutes=0,
        )
        for i, (skill, level) in enumerate([*ROUTE, GOAL])
    }
    return Market(mentor, upcoming)


@pytest.fixture
def market(db: Session) -> Market:
    return build_market(db)
