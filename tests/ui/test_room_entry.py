"""The way into a live room, as the dashboard, the session page and the room page say it: a countdown before the
room opens, Join from the moment it opens until it closes, nothing to join after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from peerlearn.booking.public import BookingPublic
from peerlearn.live.room import CLOSES_AFTER, OPENS_BEFORE, RoomDoor
from peerlearn.models.enums import BookingStatus
from peerlearn.ui.format.bookings import booking_row
from peerlearn.ui.format.live import room_entry, room_wait, wait_text

# 09:00 UTC is 14:30 in Kolkata; the room opens at 08:50 UTC, 14:20 there
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
END = START + timedelta(hours=1)
OPENS, CLOSES = START - OPENS_BEFORE, END + CLOSES_AFTER
TZ = "Asia/Kolkata"


def entry_at(now: datetime):
    return room_entry(7, OPENS, CLOSES, START, END, now, TZ)


def test_before_the_window_it_says_when_the_room_opens_in_the_viewers_zone_and_how_long_until_then():
    entry = entry_at(OPENS - timedelta(minutes=12))
    assert not entry.can_join
    assert "14:20" in entry.note and "(Asia/Kolkata)" in entry.note and entry.note.endswith("in 12 min")


def test_the_countdown_rounds_up_so_it_never_says_zero_before_the_room_opens():
    assert entry_at(OPENS - timedelta(seconds=20)).note.endswith("in 1 min")
    assert wait_text(timedelta(hours=3, minutes=5)) == "3 h 5 min"
    assert wait_text(timedelta(days=3, hours=2)) == "3 days"


def test_join_from_the_moment_the_room_opens_and_before_the_start():
    entry = entry_at(OPENS)
    assert entry.can_join and entry.url == "/room/7"
    assert entry.note == "Room open · starts in 10 min"


def test_join_while_the_session_is_live_and_in_the_half_hour_after_it():
    assert entry_at(START + timedelta(minutes=5)).can_join
    assert entry_at(START + timedelta(minutes=5)).note == "Live now"
    after = entry_at(END + timedelta(minutes=10))
    assert after.can_join and after.note == "Ended · room open until 16:00"


def test_nothing_to_join_once_the_room_has_closed():
    entry = entry_at(CLOSES + timedelta(seconds=1))
    assert not entry.can_join and entry.note == "The room has closed"


def test_a_mentor_who_opened_the_room_early_moves_the_join_button_earlier():
    opened = START - timedelta(minutes=45)
    assert room_entry(7, opened, CLOSES, START, END, opened + timedelta(minutes=1), TZ).can_join


def booking(status: BookingStatus) -> BookingPublic:
    return BookingPublic(
        id=3,
        session_id=7,
        session_title="Intro to Python",
        start_at=START,
        end_at=END,
        status=status,
        price_minor=0,
        discount_minor=0,
        amount_due_minor=0,
        currency="EUR",
        room_opens_at=OPENS,
        room_closes_at=CLOSES,
    )


def test_a_confirmed_booking_row_gets_join_but_one_still_waiting_for_payment_does_not():
    now = START - timedelta(minutes=2)
    row = booking_row(booking(BookingStatus.CONFIRMED), TZ, now)
    assert row.can_join and row.room_url == "/room/7"
    unpaid = booking_row(booking(BookingStatus.PENDING_PAYMENT), TZ, now)
    assert not unpaid.can_join and unpaid.room_url == "" and unpaid.room_note == ""


def door(role: str, **changes) -> RoomDoor:
    fields = dict(
        session_id=7,
        title="Intro to Python",
        role=role,
        starts_at=START,
        ends_at=END,
        opens_at=OPENS,
        closes_at=CLOSES,
        booking_id=3 if role == "learner" else None,
    )
    return RoomDoor(**(fields | changes))


def test_the_not_yet_open_page_names_the_session_its_start_in_the_viewers_zone_the_wait_and_the_way_back():
    wait = room_wait(door("learner"), OPENS - timedelta(minutes=30), TZ)
    assert wait.title == "Intro to Python"
    assert "14:30" in wait.starts and "Asia/Kolkata" in wait.starts
    assert wait.note.endswith("in 30 min")
    assert wait.back_url == "/bookings/3" and not wait.can_open_early
    mentor = room_wait(door("mentor", can_open_early=True), OPENS - timedelta(minutes=30), TZ)
    assert mentor.back_url == "/teach/sessions/7" and mentor.can_open_early
