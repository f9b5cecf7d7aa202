"""The booking confirmation page: what, who, when in the viewer's zone (named), how to get into the room, an "Add
to Google Calendar" link, what cancelling does, the receipt; and the calendar link's own shape."""

from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from peerlearn.booking import actions as bookings
from peerlearn.platform.calendar_invite import google_calendar_link
from peerlearn.platform.errors import NotFoundError
from peerlearn.ui.format.bookings import booking_confirmation_view
from tests.factories import make_session, make_user, pay

BASE = "https://peerlearn.example"


def test_the_google_calendar_link_is_googles_event_template_with_utc_times():
    kolkata = timezone(timedelta(hours=5, minutes=30))
    url = google_calendar_link(
        title="SQL & joins: part 2",
        start_at=datetime(2026, 12, 8, 18, 0, tzinfo=kolkata),
        end_at=datetime(2026, 12, 8, 13, 30, tzinfo=UTC),
        details="Room: https://x.example/room/3?a=1",
        location="https://x.example/room/3",
    )
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "calendar.google.com", "/calendar/render")
    query = parse_qs(parts.query)
    assert query["action"] == ["TEMPLATE"]
    assert query["text"] == ["SQL & joins: part 2"]  # the ampersand does not cut the title short
    assert query["dates"] == ["20261208T123000Z/20261208T133000Z"]
    assert query["details"] == ["Room: https://x.example/room/3?a=1"]
    assert query["location"] == ["https://x.example/room/3"]


def test_a_paid_booking_confirms_with_mentor_times_room_calendar_terms_and_receipt(db):
    mentor = make_user(db, mentor=True, name="Priya Raman")
    learner = make_user(db)
    sid = make_session(db, mentor, title="Negotiation drills", price_minor=3500, start_in=timedelta(days=4))
    booking, _ = bookings.book_session(learner, sid, db=db)
    db.commit()
    pay(db, booking.id)

    found = bookings.booking_confirmation(learner, booking.id, db=db, zone="Asia/Kolkata")
    view = booking_confirmation_view(found, "Asia/Kolkata", BASE)
    assert view.title == "Negotiation drills" and view.mentor == "Priya Raman"
    assert view.mentor_url == f"/mentors/{mentor.id}"
    assert view.starts.endswith("GMT+5:30 (Asia/Kolkata)") and view.ends.endswith("GMT+5:30 (Asia/Kolkata)")
    assert view.zone == "Times are in GMT+5:30 (Asia/Kolkata)."
    assert view.confirmed
    assert view.join.startswith("The live room opens 10 minutes before the start, ")
    assert view.room_url == f"/room/{sid}"
    query = parse_qs(urlsplit(view.google_calendar_url).query)
    assert query["text"] == ["Negotiation drills"]
    assert f"{BASE}/room/{sid}" in query["details"][0] and "Priya Raman" in query["details"][0]
    assert view.refund_policy == "Cancel up to 24 hours before the start for a full refund; after that, " + (
        "cancelling is not possible."
    )
    assert view.cancellation == "You'll get a full refund of $35.00 to your card."
    assert view.receipt_url == f"/receipts/{found.booking.payment_id}" and found.booking.payment_id


def test_an_expired_hold_offers_no_calendar_no_room_and_no_receipt(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2000)
    booking, _ = bookings.book_session(learner, sid, db=db)
    db.commit()
    assert booking.hold_expires_at is not None
    bookings.expire_holds(db=db, now=booking.hold_expires_at + timedelta(seconds=1))
    db.commit()
    view = booking_confirmation_view(bookings.booking_confirmation(learner, booking.id, db=db), "UTC", BASE)
    assert not view.confirmed and view.google_calendar_url == "" and view.cancellation == ""
    assert view.receipt_url == ""


def test_a_seat_held_while_paying_can_be_cancelled_but_has_no_calendar_yet(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    booking, _ = bookings.book_session(learner, make_session(db, mentor, price_minor=2000), db=db)
    db.commit()
    view = booking_confirmation_view(bookings.booking_confirmation(learner, booking.id, db=db), "UTC", BASE)
    assert not view.confirmed and view.google_calendar_url == ""  # not theirs until paid
    assert view.cancellation == "Nothing has been paid, so there is nothing to refund. Your seat is given back."


def test_someone_elses_booking_is_not_found(db):
    mentor, learner, other = make_user(db, mentor=True), make_user(db), make_user(db)
    booking, _ = bookings.book_session(learner, make_session(db, mentor), db=db)
    db.commit()
    with pytest.raises(NotFoundError):
        bookings.booking_confirmation(other, booking.id, db=db)
