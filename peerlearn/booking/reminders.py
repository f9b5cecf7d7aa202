"""Reminders 24 hours and 1 hour before a session, each sent once (the flags live on the booking).

A reminder leads to the live room: its page says when the room opens until it does, then lets the learner in."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from peerlearn import links
from peerlearn.live.room import room_window
from peerlearn.models import Booking, LearningSession
from peerlearn.models.enums import BookingStatus, NotificationKind
from peerlearn.models.types import utcnow
from peerlearn.platform import notifications
from peerlearn.platform.timefmt import format_local, user_zone

WINDOWS = (
    ("reminder_24h_sent_at", timedelta(hours=24), "tomorrow"),
    ("reminder_1h_sent_at", timedelta(hours=1), "in an hour"),
)


def send_due_reminders(*, db: Session, now: datetime | None = None) -> int:
    now = now or utcnow()
    sent = 0
    for flag, lead, when in WINDOWS:
        column = getattr(Booking, flag)
        rows = db.exec(
            select(Booking, LearningSession)
            .join(LearningSession, col(LearningSession.id) == Booking.session_id)
            .where(
                Booking.status == BookingStatus.CONFIRMED,
                column.is_(None),
                LearningSession.start_at > now,
                LearningSession.start_at <= now + lead,
            )
        ).all()
        for booking, session in rows:
            if flag == "reminder_24h_sent_at" and session.start_at - now <= timedelta(hours=1):
                setattr(booking, flag, now)  # too late for the day-before reminder; the hour-before one follows
            else:
                tz = user_zone(booking.learner_id, db=db)
                opens, _closes = room_window(session)
                notifications.notify(
                    booking.learner_id,
                    NotificationKind.REMINDER,
                    f"Starts {when}: {session.title}",
                    body=(
                        f"Your session starts {format_local(session.start_at, tz)}. "
                        f"The live room opens {format_local(opens, tz)}; join it here:"
                    ),
                    link=links.room_link(session.id),
                    db=db,
                )
                setattr(booking, flag, now)
                sent += 1
            db.add(booking)
    return sent
