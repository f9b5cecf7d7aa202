"""Reminders before a session go out once each."""

from datetime import timedelta

from sqlmodel import select

from peerlearn.booking import actions as bookings
from peerlearn.booking.reminders import send_due_reminders
from peerlearn.models import Notification, Profile
from peerlearn.models.enums import (
    NotificationKind,
)
from peerlearn.models.types import utcnow
from tests.factories import make_session, make_user


def test_reminders_are_sent_once_each(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, start_in=timedelta(hours=30))
    bookings.book_session(learner, sid, db=db)
    db.commit()
    now = utcnow()
    assert send_due_reminders(db=db, now=now) == 0
    assert send_due_reminders(db=db, now=now + timedelta(hours=7)) == 1  # 23 h before
    assert send_due_reminders(db=db, now=now + timedelta(hours=8)) == 0
    assert send_due_reminders(db=db, now=now + timedelta(hours=29, minutes=30)) == 1  # 30 min before
    assert send_due_reminders(db=db, now=now + timedelta(hours=29, minutes=40)) == 0
    db.commit()
    reminders = db.exec(select(Notification).where(Notification.kind == NotificationKind.REMINDER)).all()
    assert len(reminders) == 2


def test_the_reminder_and_its_email_lead_to_the_live_room_with_the_times_in_the_learners_zone(db, monkeypatch):
    from peerlearn.platform import notifications
    from peerlearn.platform.notifications import deliver_pending_emails

    mailed: list[tuple[str, str]] = []
    monkeypatch.setattr(notifications, "send_email", lambda to, subject, body, ics=None: mailed.append((to, body)))
    mentor, learner = make_user(db, mentor=True), make_user(db)
    profile = db.get(Profile, learner.id) or Profile(user_id=learner.id)
    profile.timezone = "Asia/Kolkata"
    db.add(profile)
    sid = make_session(db, mentor, start_in=timedelta(hours=3))
    bookings.book_session(learner, sid, db=db)
    db.commit()
    assert send_due_reminders(db=db, now=utcnow() + timedelta(hours=2, minutes=30)) == 1
    db.commit()
    [reminder] = db.exec(select(Notification).where(Notification.kind == NotificationKind.REMINDER)).all()
    assert reminder.link == f"/room/{sid}"
    assert "GMT+5:30 (Asia/Kolkata)" in reminder.body and "live room opens" in reminder.body
    assert "UTC" not in reminder.body
    deliver_pending_emails(db=db)
    [body] = [body for to, body in mailed if to == learner.email and "live room" in body]
    assert body.rstrip().endswith(f"/room/{sid}")
