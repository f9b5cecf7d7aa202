"""The .ics invite a booking e-mail carries: UTC event times, the start in the recipient's zone in its text,
one stable UID per person and session, lines folded as RFC 5545 asks."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from peerlearn.booking.actions import book_session
from peerlearn.models.types import utcnow
from peerlearn.platform import notifications
from peerlearn.platform.calendar_invite import build_invite
from tests.factories import make_session, make_user


def _unfolded(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def test_event_times_are_utc_whatever_zone_the_times_carry():
    kolkata = ZoneInfo("Asia/Kolkata")
    ics = build_invite(
        uid="session-1-user-2@peerlearn",
        title="Rust",
        description="",
        start_at=datetime(2026, 12, 8, 18, 0, tzinfo=kolkata),
        end_at=datetime(2026, 12, 8, 19, 0, tzinfo=kolkata),
        url="https://peerlearn.example/sessions/1",
        organizer_email="noreply@peerlearn.example",
        stamp=datetime(2026, 12, 4, 2, 0, tzinfo=UTC),
    )
    lines = _unfolded(ics)
    assert "DTSTART:20261208T123000Z" in lines and "DTEND:20261208T133000Z" in lines
    assert "DTSTAMP:20261204T020000Z" in lines
    assert "TZID" not in ics and "VTIMEZONE" not in ics  # UTC times need no zone definitions


def test_long_lines_are_folded_at_75_octets_without_splitting_characters():
    ics = build_invite(
        uid="u@peerlearn",
        title="Tamil for beginners: தமிழ் " * 6,
        description="Line one, with; punctuation\nline two",
        start_at=datetime(2026, 12, 8, 12, 30, tzinfo=UTC),
        end_at=datetime(2026, 12, 8, 13, 30, tzinfo=UTC),
        url="https://peerlearn.example/sessions/1",
        organizer_email="noreply@peerlearn.example",
        stamp=datetime(2026, 12, 4, 2, 0, tzinfo=UTC),
    )
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))
    assert "SUMMARY:" + "Tamil for beginners: தமிழ் " * 6 in _unfolded(ics)
    assert "DESCRIPTION:Line one\\, with\\; punctuation\\nline two" in _unfolded(ics)


def test_a_kolkata_learners_invite_names_her_time_and_invites_her(db, monkeypatch):
    sent: list[tuple[str, str | None]] = []
    monkeypatch.setattr(notifications, "send_email", lambda to, subject, body, ics=None: sent.append((to, ics)))
    mentor, learner = make_user(db, mentor=True), make_user(db, timezone="Asia/Kolkata", name="Asha Rao")
    day = utcnow().date() + timedelta(days=4)
    start = datetime(day.year, day.month, day.day, 12, 30, tzinfo=UTC)
    sid = make_session(db, mentor, title="Rust ownership", start_in=start - utcnow())
    book_session(learner, sid, db=db)
    db.commit()
    notifications.deliver_pending_emails(db=db)
    [(to, ics)] = sent
    assert to == learner.email and ics is not None
    lines = _unfolded(ics)
    assert f"DTSTART:{start:%Y%m%d}T123000Z" in lines and f"DTEND:{start:%Y%m%d}T133000Z" in lines
    assert f"UID:session-{sid}-user-{learner.id}@peerlearn" in lines
    [description] = [line for line in lines if line.startswith("DESCRIPTION:")]
    assert "18:00 GMT+5:30 (Asia/Kolkata)" in description and "UTC" not in description
    assert f'ATTENDEE;CN="Asha Rao";ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{learner.email}' in lines
