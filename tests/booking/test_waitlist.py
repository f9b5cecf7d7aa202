"""A full session's waitlist: the freed seat is offered in turn, and an offer expires."""

from datetime import timedelta

import pytest
from sqlmodel import select

from peerlearn.booking import actions as bookings
from peerlearn.booking.waitlist import expire_offers, join_waitlist
from peerlearn.models import WaitlistEntry
from peerlearn.models.enums import (
    BookingStatus,
    WaitlistStatus,
)
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import ConflictError, RuleViolationError
from tests.factories import make_session, make_user, seats


def test_waitlist_offer_goes_to_first_then_next(db):
    mentor, holder, first, second = make_user(db, mentor=True), make_user(db), make_user(db), make_user(db)
    sid = make_session(db, mentor, capacity=1)
    booking, _ = bookings.book_session(holder, sid, db=db)
    db.commit()
    with pytest.raises(RuleViolationError):
        join_waitlist(make_user(db), make_session(db, make_user(db, mentor=True), capacity=3), db=db)
    db.rollback()
    join_waitlist(first, sid, db=db)
    join_waitlist(second, sid, db=db)
    db.commit()
    bookings.cancel_booking(holder, booking.id, db=db)
    db.commit()
    entries = {e.learner_id: e for e in db.exec(select(WaitlistEntry))}
    assert entries[first.id].status == WaitlistStatus.OFFERED and entries[second.id].status == WaitlistStatus.WAITING
    with pytest.raises(ConflictError):  # the seat is reserved for the offer
        bookings.book_session(make_user(db), sid, db=db)
    db.rollback()
    expire_offers(db=db, now=utcnow() + timedelta(hours=2))
    db.commit()
    db.expire_all()
    entries = {e.learner_id: e for e in db.exec(select(WaitlistEntry))}
    assert entries[first.id].status == WaitlistStatus.EXPIRED and entries[second.id].status == WaitlistStatus.OFFERED
    booked, _ = bookings.book_session(second, sid, db=db)
    db.commit()
    assert booked.status == BookingStatus.CONFIRMED and seats(db, sid) == 1
