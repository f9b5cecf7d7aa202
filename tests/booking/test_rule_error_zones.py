"""A refusal that quotes a deadline quotes it in the zone of the person refused: the page's viewer zone when the
page passes it, else (REST) the person's profile zone; never a bare UTC time."""

from datetime import UTC, datetime, timedelta

import pytest

from peerlearn.booking import actions as bookings
from peerlearn.booking.rules import booking_opens_check
from peerlearn.platform.errors import ErrorCode, RuleViolationError
from tests.factories import make_session, make_user

START = datetime(2026, 12, 8, 12, 30, tzinfo=UTC)


def test_the_booking_deadline_is_quoted_in_the_given_zone():
    now = START - timedelta(minutes=10)
    said = booking_opens_check(START, 30, now, "Asia/Kolkata") or ""
    assert said.startswith("Bookings closed at Tue 8 Dec")  # with ' 2026' once that is not this year
    assert said.endswith(", 17:30 GMT+5:30 (Asia/Kolkata), 30 minutes before the start.")
    assert "07:00 EST (America/New_York)" in (booking_opens_check(START, 30, now, "America/New_York") or "")
    assert booking_opens_check(START, 30, START - timedelta(hours=1), "Asia/Kolkata") is None


def _late_session(db, mentor, **fields) -> int:
    """A session starting in 20 minutes: its bookings closed 10 minutes ago (30 minutes' notice)."""
    return make_session(db, mentor, start_in=timedelta(minutes=20), min_notice_minutes=30, **fields)


def test_the_page_passes_its_viewer_zone_and_rest_falls_back_to_the_profile_zone(db):
    mentor, learner = make_user(db, mentor=True), make_user(db, timezone="Asia/Kolkata")
    sid = _late_session(db, mentor)
    with pytest.raises(RuleViolationError) as on_page:
        bookings.book_session(learner, sid, db=db, zone="America/New_York")  # the page's zone switcher says so
    db.rollback()
    assert on_page.value.code == ErrorCode.NOTICE_TOO_SHORT
    assert "(America/New_York), 30 minutes before the start" in on_page.value.message
    with pytest.raises(RuleViolationError) as over_rest:
        bookings.book_session(learner, sid, db=db)
    db.rollback()
    assert "GMT+5:30 (Asia/Kolkata), 30 minutes before the start" in over_rest.value.message
    assert "UTC" not in over_rest.value.message


def test_a_cancellation_after_the_cutoff_quotes_the_cutoff_in_the_viewers_zone(db):
    mentor, learner = make_user(db, mentor=True), make_user(db, timezone="Asia/Kolkata")
    sid = make_session(db, mentor, start_in=timedelta(hours=3), cancellation_cutoff_hours=24)
    booking, _ = bookings.book_session(learner, sid, db=db)
    db.commit()
    with pytest.raises(RuleViolationError) as refused:
        bookings.cancel_booking(learner, booking.id, db=db, zone="Europe/Berlin")
    db.rollback()
    assert refused.value.code == ErrorCode.CANCELLATION_CUTOFF
    assert refused.value.message.startswith("Cancelling closed at ")
    assert "(Europe/Berlin), 24 hours before the start." in refused.value.message
    preview = bookings.cancellation_preview(learner, booking.id, db=db)  # REST: the profile's zone
    assert not preview.allowed and "GMT+5:30 (Asia/Kolkata), 24 hours before the start." in preview.statement
