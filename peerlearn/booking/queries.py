"""Reads about bookings that pages and the API share, so each question has one answer."""

from __future__ import annotations

from sqlmodel import Session, col, select

from peerlearn.booking.rules import SEAT_HOLDING
from peerlearn.models import Booking, LearningSession
from peerlearn.models.enums import SessionStatus
from peerlearn.platform.errors import NotFoundError
from peerlearn.platform.locks import lock_session


def active_booking(session_id: int, learner_id: int, *, db: Session) -> Booking | None:
    """The learner's booking that holds a seat in this session (held, awaiting payment or approval, or confirmed)."""
    return db.exec(
        select(Booking)
        .where(
            col(Booking.session_id) == session_id,
            col(Booking.learner_id) == learner_id,
            col(Booking.status).in_(list(SEAT_HOLDING)),
        )
        .order_by(col(Booking.id).desc())
    ).first()


def lock_listed_session(session_id: int, *, db: Session) -> LearningSession:
    """The session a learner asks to book or wait for, locked for its seat count; a draft is as unknown as none."""
    session = lock_session(session_id, db=db)
    if session is None or session.status == SessionStatus.DRAFT:
        raise NotFoundError("No such session.")
    return session
