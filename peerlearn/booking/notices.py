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


def approval_needed(session: LearningSession, *, body: str, db: Session) -> None:
    notifications.notify(
        session.mentor_id,
        NotificationKind.BOOKING_MADE,
        f"Approval needed: {session.title}",
        body=body,
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
        body=learner_body,
        link=links.session_link(session_id),
        session_id=session_id,
        db=db,
    )
    notifications.notify(
        session.mentor_id,
        NotificationKind.BOOKING_MADE,
        f"New booking: {session.title}",
        body=mentor_body,
        link=links.teach_session_link(session_id),
        db=db,
        email=False,
    )
