"""Waitlists: when a seat frees, the first learner waiting gets a time-limited offer, then the next.

An offer reserves the seat (it stays counted in `seats_taken`) so nobody else
can take it while the offer stands.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from peerlearn import links
from peerlearn.accounts.actions import require_role
from peerlearn.booking.queries import lock_listed_session
from peerlearn.booking.rules import SEAT_HOLDING, takes_learners
from peerlearn.models import Booking, LearningSession, User, WaitlistEntry
from peerlearn.models.enums import NotificationKind, UserRole, WaitlistStatus
from peerlearn.models.types import linked_row, saved_id, utcnow
from peerlearn.platform import notifications
from peerlearn.platform.errors import ConflictError, ErrorCode, RuleViolationError
from peerlearn.platform.locks import lock_linked
from peerlearn.platform.timefmt import format_for_user

OFFER_MINUTES = 60


def join_waitlist(learner: User, session_id: int, *, db: Session, now: datetime | None = None) -> WaitlistEntry:
    require_role(learner, UserRole.LEARNER)
    now = now or utcnow()
    session = lock_listed_session(session_id, db=db)
    if not takes_learners(session, now):
        raise RuleViolationError("This session is not open for a waitlist.", ErrorCode.WAITLIST_NOT_ALLOWED)
    if session.mentor_id == learner.id:
        raise ConflictError("You cannot wait for your own session.", ErrorCode.OWN_SESSION)
    if session.seats_taken < session.capacity:
        raise RuleViolationError("Seats are still free: book one instead.", ErrorCode.WAITLIST_NOT_ALLOWED)
    booked = db.exec(
        select(Booking.id).where(
            Booking.session_id == session_id,
            Booking.learner_id == learner.id,
            col(Booking.status).in_(list(SEAT_HOLDING)),
        )
    ).first()
    if booked is not None:
        raise ConflictError("You have already booked this session.", ErrorCode.ALREADY_BOOKED)
    entry = db.exec(
        select(WaitlistEntry).where(WaitlistEntry.session_id == session_id, WaitlistEntry.learner_id == learner.id)
    ).first()
    if entry is not None and entry.status in (WaitlistStatus.WAITING, WaitlistStatus.OFFERED):
        raise ConflictError("You are already on the waitlist.", ErrorCode.ALREADY_BOOKED)
    if entry is None:
        entry = WaitlistEntry(session_id=session_id, learner_id=saved_id(learner))
    entry.status, entry.created_at, entry.offered_at, entry.offer_expires_at = WaitlistStatus.WAITING, now, None, None
    db.add(entry)
    db.flush()
    return entry


def waitlist_position(session_id: int, learner_id: int, *, db: Session) -> int | None:
    waiting = db.exec(
        select(WaitlistEntry.learner_id)
        .where(WaitlistEntry.session_id == session_id, WaitlistEntry.status == WaitlistStatus.WAITING)
        .order_by(col(WaitlistEntry.created_at), col(WaitlistEntry.id))
    ).all()
    return waiting.index(learner_id) + 1 if learner_id in waiting else None


def offer_next_seat(session: LearningSession, *, db: Session, now: datetime) -> WaitlistEntry | None:
    """Called with the session row locked, right after a seat was released."""
    if not takes_learners(session, now) or session.seats_taken >= session.capacity:
        return None
    entry = db.exec(
        select(WaitlistEntry)
        .where(WaitlistEntry.session_id == session.id, WaitlistEntry.status == WaitlistStatus.WAITING)
        .order_by(col(WaitlistEntry.created_at), col(WaitlistEntry.id))
    ).first()
    if entry is None:
        return None
    entry.status, entry.offered_at = WaitlistStatus.OFFERED, now
    entry.offer_expires_at = expires = min(now + timedelta(minutes=OFFER_MINUTES), session.start_at)
    session.seats_taken += 1  # reserved for this offer
    db.add_all([entry, session])
    notifications.notify(
        entry.learner_id,
        NotificationKind.WAITLIST_OFFER,
        f"A seat is free: {session.title}",
        body=f"Book it by {format_for_user(expires, entry.learner_id, db=db)}; after that it goes to "
        f"the next learner. The session starts {format_for_user(session.start_at, entry.learner_id, db=db)}.",
        link=links.session_link(saved_id(session)),
        db=db,
    )
    return entry


def take_offer(session: LearningSession, learner_id: int, *, db: Session, now: datetime) -> bool:
    """True when the learner holds a live offer for this session (its reserved seat becomes theirs)."""
    entry = db.exec(
        select(WaitlistEntry).where(
            WaitlistEntry.session_id == session.id,
            WaitlistEntry.learner_id == learner_id,
            WaitlistEntry.status == WaitlistStatus.OFFERED,
        )
    ).first()
    if entry is None or entry.offer_expires_at is None or entry.offer_expires_at <= now:
        return False
    entry.status = WaitlistStatus.ACCEPTED
    db.add(entry)
    return True


def expire_offers(*, db: Session, now: datetime | None = None) -> int:
    """Offers not taken in time lapse; each reserved seat goes to the next learner or back to the pool."""
    now = now or utcnow()
    due = db.exec(
        select(WaitlistEntry.id, WaitlistEntry.session_id).where(
            WaitlistEntry.status == WaitlistStatus.OFFERED, col(WaitlistEntry.offer_expires_at) <= now
        )
    ).all()
    for entry_id, session_id in due:
        session = lock_linked(LearningSession, session_id, db=db)
        entry = linked_row(WaitlistEntry, entry_id, db=db)
        if entry.status != WaitlistStatus.OFFERED:
            continue
        entry.status = WaitlistStatus.EXPIRED
        session.seats_taken = max(0, session.seats_taken - 1)
        db.add_all([entry, session])
        db.flush()
        offer_next_seat(session, db=db, now=now)
    return len(due)
