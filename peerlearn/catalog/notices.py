"""What the learners who booked are told when the mentor edits their session.

Only what a learner relies on to come and to decide whether to stay counts: when it is, what it is called, its
level and language, and the cancellation terms (the refund they would get). A description, skills, capacity or
notice edit sends nothing: the session page always shows the current text, and a typo fix is not worth an e-mail.
(While anyone is booked, the time and price cannot change at all: catalog.actions.update_session refuses.)
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from peerlearn import links
from peerlearn.booking.rules import describe_refund_policy
from peerlearn.models import Booking, LearningSession
from peerlearn.models.enums import NotificationKind
from peerlearn.models.types import as_utc, saved_id
from peerlearn.platform import notifications
from peerlearn.platform.timefmt import format_for_user

# The fields a booked learner relies on, in the order the notice names them.
RELIED_ON = (
    "start_at",
    "end_at",
    "title",
    "level",
    "language",
    "cancellation_cutoff_hours",
    "refund_policy",
    "partial_refund_percent",
)
TERMS = {"cancellation_cutoff_hours", "refund_policy", "partial_refund_percent"}


def _value(session: LearningSession, field: str) -> Any:
    value = getattr(session, field)
    return as_utc(value) if isinstance(value, datetime) else value  # SQLite hands back naive UTC


def relied_on_snapshot(session: LearningSession) -> dict[str, Any]:
    return {field: _value(session, field) for field in RELIED_ON}


def changed_for_learners(before: dict[str, Any], session: LearningSession) -> list[str]:
    """The relied-on fields whose value the edit changed (an unchanged value sent again is no change)."""
    return [field for field in RELIED_ON if _value(session, field) != before[field]]


def _what_changed(
    before: dict[str, Any], session: LearningSession, changed: list[str], learner_id: int, db: Session
) -> list[str]:
    parts: list[str] = []
    if "start_at" in changed or "end_at" in changed:
        parts.append(f"It now starts {format_for_user(session.start_at, learner_id, db=db)}.")
    if "title" in changed:
        parts.append(f"It is now called \u201c{session.title}\u201d (was \u201c{before['title']}\u201d).")
    if "level" in changed:
        parts.append(f"Level: {session.level.value}.")
    if "language" in changed:
        parts.append(f"Language: {session.language}.")
    if TERMS & set(changed):
        terms = describe_refund_policy(
            session.refund_policy, session.partial_refund_percent, session.cancellation_cutoff_hours
        )
        parts.append(f"New cancellation terms: {terms}")
    return parts


def tell_booked_learners(
    before: dict[str, Any], session: LearningSession, bookings: list[Booking], *, db: Session
) -> int:
    """Notify (in the app and by e-mail, with an updated calendar invite) each learner holding a seat, in their
    zone; returns how many were told. Sent after the edit commits, like every notification (the outbox)."""
    changed = changed_for_learners(before, session)
    if not changed:
        return 0
    session_id = saved_id(session)
    for booking in bookings:
        learner_id = booking.learner_id
        parts = _what_changed(before, session, changed, learner_id, db)
        if "start_at" not in changed and "end_at" not in changed:
            parts.append(f"It starts {format_for_user(session.start_at, learner_id, db=db)}, as before.")
        notifications.notify(
            learner_id,
            NotificationKind.SESSION_CHANGED,
            f"Changed: {session.title}",
            body=f"The mentor changed this session. {' '.join(parts)}",
            link=links.booking_link(booking.id),
            session_id=session_id,
            db=db,
        )
    return len(bookings)
