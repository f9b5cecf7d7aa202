"""A mentor asks to be verified from their desk: the request waits in the admins' queue (oldest first, with what
to check), one at a time; a verified mentor has nothing to ask; a rejected one may ask again; the decision is told."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from peerlearn.accounts.actions import decide_verification
from peerlearn.accounts.queries import mentors_to_verify
from peerlearn.accounts.verification import request_verification, verification_of
from peerlearn.models import MentorProfile, Notification
from peerlearn.models.enums import VerificationStatus
from peerlearn.platform.errors import ConflictError, PermissionDeniedError, ValidationError
from peerlearn.ui.format.insights import mentor_rows
from peerlearn.ui.format.teaching import verification_message
from tests.factories import make_user

ASKED = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


def _titles(db, user) -> list[str]:
    return [n.title for n in db.exec(select(Notification).where(Notification.user_id == user.id))]


def test_a_mentor_asks_and_the_admins_queue_shows_them_first_with_what_to_check(db):
    admin = make_user(db, admin=True)
    never_asked = make_user(db, mentor=True, name="Quiet Mentor")
    mentor = make_user(db, mentor=True, name="Asha Rao", timezone="Asia/Kolkata")
    assert verification_message(verification_of(mentor, db=db), "Asia/Kolkata")[1]  # the form shows

    request_verification(mentor, "  https://linkedin.example/asha  ", db=db, now=ASKED)
    db.commit()

    queue = mentors_to_verify(db=db)
    assert [m.user_id for m in queue][:2] == [mentor.id, never_asked.id]
    row = mentor_rows(queue, "Asia/Kolkata")[0]
    assert row.status == "Asked Fri 4 Dec, 14:30 GMT+5:30 (Asia/Kolkata)"
    assert row.detail.endswith("\u201chttps://linkedin.example/asha\u201d")
    assert "Verification asked: Asha Rao" in _titles(db, admin)
    message, can_ask = verification_message(verification_of(mentor, db=db), "Asia/Kolkata")
    assert not can_ask and "waiting for an admin since Fri 4 Dec, 14:30 GMT+5:30 (Asia/Kolkata)" in message


def test_one_request_at_a_time_and_nothing_to_ask_once_verified(db):
    admin, mentor = make_user(db, admin=True), make_user(db, mentor=True)
    request_verification(mentor, db=db, now=ASKED)
    db.commit()
    with pytest.raises(ConflictError) as again:
        request_verification(mentor, "please", db=db, now=ASKED + timedelta(hours=1))
    assert (
        "already waiting for an admin since" in again.value.message and "One request at a time" in again.value.message
    )
    db.rollback()
    profile = db.get(MentorProfile, mentor.id)
    assert profile.verification_requested_at == ASKED and profile.verification_note == ""

    decide_verification(admin, mentor.id, True, db=db)
    db.commit()
    assert "You are verified" in _titles(db, mentor)
    with pytest.raises(ConflictError, match="already verified"):
        request_verification(mentor, db=db)


def test_a_rejected_mentor_may_ask_again(db):
    admin, mentor = make_user(db, admin=True), make_user(db, mentor=True)
    request_verification(mentor, db=db, now=ASKED)
    decide_verification(admin, mentor.id, False, db=db)
    db.commit()
    assert "Verification not granted" in _titles(db, mentor)
    assert verification_message(verification_of(mentor, db=db), "UTC")[1]
    again = request_verification(mentor, "portfolio: https://asha.example", db=db, now=ASKED + timedelta(days=2))
    assert again.status == VerificationStatus.PENDING


def test_a_learner_cannot_ask_and_a_long_note_changes_nothing(db):
    learner, mentor = make_user(db), make_user(db, mentor=True)
    with pytest.raises(PermissionDeniedError):
        request_verification(learner, db=db)
    with pytest.raises(ValidationError):
        request_verification(mentor, "x" * 301, db=db)
    assert db.get(MentorProfile, mentor.id).verification_status == VerificationStatus.UNVERIFIED
