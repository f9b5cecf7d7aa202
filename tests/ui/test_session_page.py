"""The session page after someone else took the last seat: what the page reads then says Full, and no seat to book."""

import pytest

from peerlearn.booking import actions as bookings
from peerlearn.platform.errors import ConflictError, ErrorCode
from peerlearn.ui.states.session_detail import _read_detail
from tests.factories import make_session, make_user


def test_after_losing_the_last_seat_the_page_reads_full_and_offers_the_waitlist(db):
    mentor, first, second = make_user(db, mentor=True), make_user(db), make_user(db)
    sid = make_session(db, mentor, capacity=1)
    before = _read_detail(sid, second.id, "UTC", db)
    assert before is not None and before.spots_left == 1  # what the second learner's page showed

    bookings.book_session(first, sid, db=db)  # meanwhile someone takes the seat
    with pytest.raises(ConflictError) as refused:
        bookings.book_session(second, sid, db=db)
    assert refused.value.code == ErrorCode.SESSION_FULL

    after = _read_detail(sid, second.id, "UTC", db)  # what the state's reload after the refusal reads
    assert after is not None
    assert after.spots_left == 0  # the page shows "Full" and the waitlist button, not "1 of 1 spots left"
    assert after.my_booking_id == 0 and after.waitlist_place == 0
