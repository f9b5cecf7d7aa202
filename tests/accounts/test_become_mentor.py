"""A learner adds teaching to the account they have (domain and REST): the mentor role, a headline, their past kept."""

import pytest
from sqlmodel import select

from peerlearn.accounts import actions as accounts
from peerlearn.booking import actions as bookings
from peerlearn.models import Booking, MentorProfile, User
from peerlearn.models.enums import UserRole
from peerlearn.models.users import MentorProfileCreate
from peerlearn.platform.errors import ConflictError, ErrorCode
from tests.factories import make_session, make_user, token_for

MENTOR = "/api/users/mentor/"


def test_a_learner_becomes_a_mentor_and_keeps_their_bookings(db):
    learner, other_mentor = make_user(db), make_user(db, mentor=True)
    booked, _ = bookings.book_session(learner, make_session(db, other_mentor), db=db)
    db.commit()
    accounts.become_mentor(
        learner, MentorProfileCreate(headline="  Data engineer  ", expertise=["Python", " python ", "SQL"]), db=db
    )
    db.commit()
    db.expire_all()
    user = db.get(User, learner.id)
    assert set(user.roles) == {UserRole.LEARNER, UserRole.MENTOR}
    profile = db.get(MentorProfile, learner.id)
    assert profile.headline == "Data engineer" and profile.expertise == ["Python", "SQL"]
    assert db.exec(select(Booking).where(Booking.learner_id == learner.id)).one().id == booked.id
    make_session(db, user, title="My first class")  # the mentor's desk is open to them now


def test_an_account_that_already_teaches_is_refused(db):
    mentor = make_user(db, mentor=True)
    with pytest.raises(ConflictError) as refused:
        accounts.become_mentor(mentor, MentorProfileCreate(headline="Again"), db=db)
    assert refused.value.code == ErrorCode.ALREADY_MENTOR


def test_rest_become_mentor(api, db):
    learner = make_user(db)
    headers = token_for(db, learner)
    short = api.post(MENTOR, json={"headline": " a "}, headers=headers)
    assert short.status_code == 422 and short.json()["error"]["code"] == "validation_error"
    assert api.post(MENTOR, json={"headline": "Chess coach"}).status_code == 401

    made = api.post(MENTOR, json={"headline": "Chess coach", "expertise": ["Chess"]}, headers=headers)
    assert made.status_code == 201
    assert set(made.json()["user"]["roles"]) == {"learner", "mentor"}
    assert made.json()["headline"] == "Chess coach"

    again = api.post(MENTOR, json={"headline": "Chess coach"}, headers=headers)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_mentor"
