"""What a person is told about a session names its time in their own profile's zone, with the year when it is not
this year (issue #14: no more '12:30 UTC' for someone in Asia/Kolkata)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from peerlearn.booking import actions as bookings
from peerlearn.booking.waitlist import join_waitlist
from peerlearn.models import Notification
from peerlearn.models.enums import NotificationKind
from peerlearn.models.types import utcnow
from peerlearn.platform import notifications
from peerlearn.platform.notifications import deliver_pending_emails
from tests.factories import make_session, make_user


def _at_utc(days: int, hour: int, minute: int) -> datetime:
    """A moment `days` from today at hour:minute UTC."""
    day = utcnow().date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def _session_at(db, mentor, start: datetime, **fields) -> int:
    now = utcnow()
    return make_session(db, mentor, start_in=start - now, now=now, **fields)


def _day(start: datetime, zone: str) -> str:
    local = start.astimezone(ZoneInfo(zone))
    return f"{local:%a} {local.day} {local:%b}"


def _new_york(start: datetime) -> str:
    """'07:30 EST (America/New_York)' (EDT in summer)."""
    local = start.astimezone(ZoneInfo("America/New_York"))
    return f"{local:%H:%M} {'EDT' if local.dst() else 'EST'} (America/New_York)"


def _notes(db, user_id: int, kind: NotificationKind) -> list[Notification]:
    return list(db.exec(select(Notification).where(Notification.user_id == user_id, Notification.kind == kind)))


def test_a_learner_in_kolkata_is_mailed_the_sessions_time_in_ist_and_the_mentor_in_new_york_time(db, monkeypatch):
    mailed: list[tuple[str, str]] = []
    monkeypatch.setattr(notifications, "send_email", lambda to, subject, body, ics=None: mailed.append((to, body)))
    mentor = make_user(db, mentor=True, timezone="America/New_York")
    learner = make_user(db, timezone="Asia/Kolkata")
    start = _at_utc(5, 12, 30)  # 18:00 in Kolkata, 07:30 or 08:30 in New York
    sid = _session_at(db, mentor, start)
    bookings.book_session(learner, sid, db=db)
    db.commit()
    [confirmed] = _notes(db, learner.id, NotificationKind.BOOKING_CONFIRMED)
    assert f"It starts {_day(start, 'Asia/Kolkata')}, 18:00 GMT+5:30 (Asia/Kolkata)." in confirmed.body
    assert "UTC" not in confirmed.body
    [made] = _notes(db, mentor.id, NotificationKind.BOOKING_MADE)
    assert f"{_day(start, 'America/New_York')}, {_new_york(start)}" in made.body
    deliver_pending_emails(db=db)
    [body] = [body for to, body in mailed if to == learner.email]
    assert "18:00 GMT+5:30 (Asia/Kolkata)" in body and "UTC" not in body


def test_cancelling_and_a_waitlist_offer_quote_the_learners_zone(db):
    mentor = make_user(db, mentor=True)
    holder, waiting = make_user(db, timezone="Asia/Kolkata"), make_user(db, timezone="America/New_York")
    start = _at_utc(6, 12, 30)
    sid = _session_at(db, mentor, start, capacity=1)
    booking, _ = bookings.book_session(holder, sid, db=db)
    join_waitlist(waiting, sid, db=db)
    db.commit()
    bookings.cancel_booking(holder, booking.id, db=db)
    db.commit()
    [cancelled] = _notes(db, holder.id, NotificationKind.BOOKING_CANCELLED)
    assert f"Your booking for {_day(start, 'Asia/Kolkata')}, 18:00 GMT+5:30 (Asia/Kolkata) is cancelled." in (
        cancelled.body
    )
    [offer] = _notes(db, waiting.id, NotificationKind.WAITLIST_OFFER)
    assert "Book it by " in offer.body and "(America/New_York); after that" in offer.body
    assert f"starts {_day(start, 'America/New_York')}, {_new_york(start)}." in offer.body
    assert "UTC" not in offer.body


def test_a_session_next_year_is_announced_with_its_year(db):
    mentor, learner = make_user(db, mentor=True), make_user(db, timezone="Asia/Kolkata")
    start = datetime(utcnow().year + 1, 1, 5, 12, 30, tzinfo=UTC)
    sid = _session_at(db, mentor, start)
    bookings.book_session(learner, sid, db=db)
    db.commit()
    [confirmed] = _notes(db, learner.id, NotificationKind.BOOKING_CONFIRMED)
    assert f"{start:%a} 5 Jan {start.year}, 18:00 GMT+5:30 (Asia/Kolkata)" in confirmed.body
