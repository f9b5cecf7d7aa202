"""Reminders before a session go out once each."""

from datetime import timedelta

from sqlmodel import select

from peerlearn.booking import actions as bookings
from peerlearn.booking.reminders import send_due_reminders
from peerlearn.models import Notification
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


def test_a_reminder_quotes_the_start_in_the_learners_zone(db):
    mentor, learner = make_user(db, mentor=True), make_user(db, timezone="Asia/Kolkata")
    sid = make_session(db, mentor, start_in=timedelta(hours=30))
    bookings.book_session(learner, sid, db=db)
    db.commit()
    assert send_due_reminders(db=db, now=utcnow() + timedelta(hours=7)) == 1
    [note] = db.exec(select(Notification).where(Notification.kind == NotificationKind.REMINDER)).all()
    assert note.body.endswith("GMT+5:30 (Asia/Kolkata).") and "UTC" not in note.body
