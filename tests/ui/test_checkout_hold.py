"""The checkout page says how long the seat is held, in the viewer's zone, and says so when the hold has run out."""

from datetime import UTC, datetime, timedelta

from peerlearn.booking import actions as bookings
from peerlearn.ui.format.bookings import hold_left
from peerlearn.ui.states.checkout import _read_checkout
from tests.factories import make_session, make_user

NOW = datetime(2026, 12, 4, 13, 30, tzinfo=UTC)


def test_the_hold_reads_minutes_and_seconds_and_when_it_ends_in_the_viewers_zone():
    note = hold_left(NOW + timedelta(minutes=9, seconds=41), NOW, "Asia/Kolkata")
    assert note == "Seat held for 9:41 · until 19:09 GMT+5:30 (Asia/Kolkata)"


def test_the_last_second_still_counts_and_then_the_hold_is_over():
    expires = NOW + timedelta(minutes=10)
    assert hold_left(expires, expires - timedelta(milliseconds=300), "UTC").startswith("Seat held for 0:01 ")
    assert hold_left(expires, expires, "UTC") == ""
    assert hold_left(None, NOW, "UTC") == ""


def test_a_held_seat_is_counted_down_and_an_expired_one_is_over(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2500)
    booking, payment = bookings.book_session(learner, sid, db=db)
    db.commit()
    assert payment is not None and payment.provider_ref
    read = _read_checkout(payment.provider_ref, db)
    assert read.hold_expires_at == booking.hold_expires_at and not read.hold_ended
    assert read.session_id == sid

    assert booking.hold_expires_at is not None
    bookings.expire_holds(db=db, now=booking.hold_expires_at + timedelta(seconds=1))
    db.commit()
    read = _read_checkout(payment.provider_ref, db)
    assert read.hold_expires_at is None and read.hold_ended  # the page says the hold ran out, no card form
