"""An admin verifies or rejects mentors who are waiting: the mentor leaves the list, their public card shows the
Verified badge only when verified, a decided mentor cannot be decided again, and only admins decide."""

import pytest

from peerlearn.accounts.actions import decide_verification
from peerlearn.accounts.queries import mentors_to_verify
from peerlearn.catalog.mentors import mentor_profile
from peerlearn.models import MentorProfile
from peerlearn.models.enums import VerificationStatus
from peerlearn.platform.errors import ConflictError, NotFoundError, PermissionDeniedError
from tests.factories import make_user


def test_admin_verifies_one_mentor_and_rejects_another(db):
    admin = make_user(db, admin=True)
    asked, unchecked = make_user(db, mentor=True, name="Asha Asked"), make_user(db, mentor=True, name="Uma Unchecked")
    db.get(MentorProfile, asked.id).verification_status = VerificationStatus.PENDING
    done = make_user(db, mentor=True)
    db.get(MentorProfile, done.id).verification_status = VerificationStatus.VERIFIED
    db.commit()
    assert [(m.full_name, m.status) for m in mentors_to_verify(db=db)] == [
        ("Asha Asked", "pending"),  # those who asked come first
        ("Uma Unchecked", "unverified"),
    ]

    decide_verification(admin, asked.id, True, db=db)
    decide_verification(admin, unchecked.id, False, db=db)
    db.commit()
    assert mentors_to_verify(db=db) == []
    assert mentor_profile(asked.id, db=db).verified is True
    assert mentor_profile(unchecked.id, db=db).verified is False
    assert db.get(MentorProfile, unchecked.id).verification_status == VerificationStatus.REJECTED
    with pytest.raises(ConflictError):
        decide_verification(admin, asked.id, False, db=db)


def test_only_admins_decide(db):
    mentor = make_user(db, mentor=True)
    with pytest.raises(PermissionDeniedError):
        decide_verification(mentor, mentor.id, True, db=db)
    with pytest.raises(NotFoundError):
        decide_verification(make_user(db, admin=True), 999_999, True, db=db)
