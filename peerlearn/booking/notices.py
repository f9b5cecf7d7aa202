"""What the learner and the mentor are told when a booking is confirmed or waits for approval.

Booking a free seat (`booking.actions`) and a payment arriving for a held one (`billing.payments`) end the same way,
so both send these.
"""

from __future__ import annotations

from sqlmodel import Session

from peerlearn import links
from peerlearn.models import LearningSession
from peerlearn.models.enums import NotificationKind
from peerlearn.models.types import saved_id
from peerlearn.platform import notifications
from peerlearn.platform.timefmt import format_for_user


def starts_for(session: LearningSession, user_id: int, *, db: Session) -> str:
    """'It starts Tue 8 Dec, 18:00 GMT+5:30 (Asia/Kolkata).': the session's start as this person reads it."""
    return f"It starts {format_for_user(session.start_at, user_id, db=db)}."


def approval_needed(session: LearningSession, *, body: str, db: Session) -> None:
    notifications.notify(
        session.mentor_id,
        NotificationKind.BOOKING_MADE,
        f"Approval needed: {session.title}",
        body=f"{body} {starts_for(session, session.mentor_id, db=db)}",
        link=links.TEACH,
        db=db,
        email=False,
    )


def booking_confirmed(
    learner_id: int, session: LearningSession, *, learner_body: str, mentor_body: str = "", db: Session
) -> None:
    """The learner's seat is confirmed (mailed to them); the mentor sees a new booking in the app."""
    session_id = saved_id(session)
    notifications.notify(
        learner_id,
        NotificationKind.BOOKING_CONFIRMED,
        f"Booked: {session.title}",
        body=f"{learner_body} {starts_for(session, learner_id, db=db)}",
        link=links.session_link(session_id),
        session_id=session_id,
        db=db,
    )
    notifications.notify(
        session.mentor_id,
        NotificationKind.BOOKING_MADE,
        f"New booking: {session.title}",
        body=f"{mentor_body} {starts_for(session, session.mentor_id, db=db)}".strip(),
        link=links.teach_session_link(session_id),
        db=db,
        email=False,
    )
