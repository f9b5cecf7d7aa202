"""Editing a booked session tells the learners holding a seat what changed, in their zone; nobody else hears of it,
and a description-only edit (a typo fix) sends nothing."""

from datetime import timedelta

from sqlmodel import select

from peerlearn.booking import actions as bookings
from peerlearn.catalog.actions import update_session
from peerlearn.models import Notification
from peerlearn.models.catalog import LearningSessionUpdate
from peerlearn.models.enums import NotificationKind, RefundPolicy
from peerlearn.platform.notifications import deliver_pending_emails
from tests.factories import make_session, make_user


def _notes(db, user) -> list[Notification]:
    db.expire_all()
    return list(db.exec(select(Notification).where(Notification.user_id == user.id)))


def test_a_booked_learner_hears_of_a_new_title_and_terms_with_the_time_in_their_zone(db, caplog):
    mentor = make_user(db, mentor=True)
    booked = make_user(db, timezone="Asia/Kolkata")
    bystander = make_user(db, timezone="Asia/Kolkata")
    sid = make_session(db, mentor, title="SQL basics", start_in=timedelta(days=5))
    booking, _ = bookings.book_session(booked, sid, db=db)  # a free seat: confirmed at once
    db.commit()
    before = {n.id for n in _notes(db, booked)}

    update_session(mentor, sid, LearningSessionUpdate(title="SQL joins", refund_policy=RefundPolicy.NONE), db=db)
    db.commit()

    new = [n for n in _notes(db, booked) if n.id not in before]
    assert [n.kind for n in new] == [NotificationKind.SESSION_CHANGED]
    note = new[0]
    assert note.title == "Changed: SQL joins"
    assert "It is now called \u201cSQL joins\u201d (was \u201cSQL basics\u201d)." in note.body
    assert "New cancellation terms: Cancel up to 24 hours before the start for no refund" in note.body
    assert "GMT+5:30 (Asia/Kolkata), as before." in note.body and "UTC" not in note.body
    assert note.link == f"/bookings/{booking.id}" and note.email_wanted
    assert _notes(db, bystander) == []  # not booked: not told

    with caplog.at_level("INFO"):
        deliver_pending_emails(db=db)
    assert "invite.ics" in caplog.text  # the e-mail updates the calendar event (same uid, new title)


def test_a_description_only_edit_sends_nothing(db):
    mentor, booked = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor)
    bookings.book_session(booked, sid, db=db)
    db.commit()
    before = len(_notes(db, booked))

    update_session(mentor, sid, LearningSessionUpdate(description="Bring a laptop with Python 3.12."), db=db)
    update_session(mentor, sid, LearningSessionUpdate(title="Intro to Python"), db=db)  # the same title again
    db.commit()
    assert len(_notes(db, booked)) == before


def test_a_learner_who_cancelled_is_not_told(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, start_in=timedelta(days=5))
    booking, _ = bookings.book_session(learner, sid, db=db)
    bookings.cancel_booking(learner, booking.id, db=db)
    db.commit()
    before = len(_notes(db, learner))
    update_session(mentor, sid, LearningSessionUpdate(title="Python, renamed"), db=db)
    db.commit()
    assert len(_notes(db, learner)) == before
