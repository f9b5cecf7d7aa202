"""Email copies of notifications (with calendar invites) go out once, from an outbox in the database."""

from datetime import timedelta

from peerlearn.booking.actions import book_session, cancel_booking
from peerlearn.jobs import run_due_jobs
from peerlearn.models.types import utcnow
from peerlearn.platform import mailer, notifications
from tests.factories import make_session, make_user


def test_confirmation_and_cancellation_emails_carry_calendar_invites_once(db, monkeypatch):
    sent = []
    monkeypatch.setattr(
        notifications, "send_email", lambda to, subject, body, ics=None: sent.append((to, subject, ics))
    )
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, title="Rust ownership", start_in=timedelta(days=3))
    booking, _ = book_session(learner, sid, db=db)
    db.commit()
    assert notifications.deliver_pending_emails(db=db) == 1  # the mentor's in-app note has no email copy
    db.commit()
    to, subject, ics = sent[0]
    assert to == learner.email and "Booked: Rust ownership" in subject
    assert "METHOD:REQUEST" in ics and f"UID:session-{sid}-user-{learner.id}@peerlearn" in ics and "DTSTART:" in ics
    assert notifications.deliver_pending_emails(db=db) == 0  # sent once

    cancel_booking(learner, booking.id, db=db)
    db.commit()
    notifications.deliver_pending_emails(db=db)
    db.commit()
    cancel_ics = sent[-1][2]
    assert "METHOD:CANCEL" in cancel_ics and f"UID:session-{sid}-user-{learner.id}@peerlearn" in cancel_ics


def test_console_email_without_smtp(caplog):
    with caplog.at_level("INFO", logger="peerlearn.mail"):
        mailer.send_email(
            "a@example.org", "Hello", "Body text", ics="BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
        )
    assert "Subject: Hello" in caplog.text and "invite.ics" in caplog.text


def test_scheduler_expires_holds_from_the_database(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=1000, capacity=1)
    book_session(learner, sid, db=db)
    db.commit()
    done = run_due_jobs(now=utcnow() + timedelta(minutes=15))
    assert done["expire_holds"] == 1
    assert run_due_jobs(now=utcnow() + timedelta(minutes=16))["expire_holds"] == 0
