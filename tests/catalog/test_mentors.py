"""Mentor profiles and the mentor directory: only signals the data holds, filters, sorts, pages, unknown mentors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from peerlearn.booking import actions as bookings
from peerlearn.booking.reviews import ReviewCreate, reply_to_review, submit_review
from peerlearn.catalog import actions as sessions
from peerlearn.catalog.mentors import (
    MentorFilters,
    MentorSort,
    mentor_directory,
    mentor_profile,
    mentor_reviews,
    parse_mentor_filters,
)
from peerlearn.models import LearningSession, MentorProfile, User
from peerlearn.models.enums import SessionStatus, VerificationStatus
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import NotFoundError, ValidationError
from tests.factories import make_session, make_user


def _taught(db: Session, mentor: User, learners: list[User], *, skills: list[str], language: str = "English") -> int:
    """A session the mentor taught (starting in 2 h) that `learners` booked, attended, and that is now completed."""
    sid = make_session(
        db, mentor, start_in=timedelta(hours=2), min_notice_minutes=0, capacity=5, skills=skills, language=language
    )
    for learner in learners:
        bookings.book_session(learner, sid, db=db)
    sessions.complete_session(mentor, sid, db=db, now=utcnow() + timedelta(hours=4))
    db.commit()
    return sid


def _headline(db: Session, mentor: User, headline: str, **fields) -> None:
    profile = db.get(MentorProfile, mentor.id)
    profile.headline = headline
    for name, value in fields.items():
        setattr(profile, name, value)
    db.add(profile)
    db.commit()


def test_a_profile_counts_what_learners_did_and_said(db):
    mentor = make_user(db, mentor=True, name="Ada Mentor")
    _headline(db, mentor, "Data engineer, 6 years of Python", expertise=["Python", "Airflow"])
    regular, once = make_user(db, name="Rita Regular"), make_user(db, name="Otto Once")
    first = _taught(db, mentor, [regular, once], skills=["Python"])
    second = _taught(db, mentor, [regular], skills=["Python", "SQL"], language="Spanish")
    submit_review(regular, first, ReviewCreate(rating=5, comment="Clear"), db=db)
    review = submit_review(once, first, ReviewCreate(rating=3, comment="Too fast"), db=db)
    submit_review(regular, second, ReviewCreate(rating=4), db=db)
    db.commit()
    reply_to_review(mentor, review.id, "Thanks, I'll slow down.", db=db)
    upcoming = make_session(db, mentor, start_in=timedelta(days=2), title="Pandas basics")
    make_session(db, mentor, start_in=timedelta(days=3), title="Draft idea", status=SessionStatus.DRAFT)
    db.commit()

    p = mentor_profile(mentor.id, db=db)

    assert (p.full_name, p.headline) == ("Ada Mentor", "Data engineer, 6 years of Python")
    assert (p.rating_avg, p.rating_count) == (4.0, 3)
    assert p.sessions_taught == 2
    assert (p.learners_taught, p.repeat_learners) == (2, 1)  # Rita came twice, Otto once
    assert p.review_replies == 1
    assert [s.id for s in p.upcoming] == [upcoming]  # the draft is not shown
    assert p.skills[:2] == ["Python", "SQL"]  # taught most first, then stated expertise
    assert "Airflow" in p.skills
    assert set(p.languages) == {"English", "Spanish"}
    assert p.verified is False and p.years_experience == 0  # never stated, never verified: not claimed
    assert p.member_since is not None
    assert p.reviews.total == 3
    assert [r.learner_name for r in p.reviews.items][0] in {"Rita Regular", "Otto Once"}
    assert any(r.reply == "Thanks, I'll slow down." for r in p.reviews.items)

    second_page = mentor_reviews(mentor.id, db=db, page=2, page_size=2)
    assert (second_page.total, len(second_page.items)) == (3, 1)


def test_a_new_mentor_claims_nothing_and_verified_is_the_profile_status(db):
    mentor = make_user(db, mentor=True, name="New Nia")
    p = mentor_profile(mentor.id, db=db)
    assert (p.rating_count, p.sessions_taught, p.learners_taught, p.repeat_learners, p.review_replies) == (
        0,
        0,
        0,
        0,
        0,
    )
    assert p.verified is False and p.upcoming == [] and p.reviews.items == []
    _headline(db, mentor, "Verified", verification_status=VerificationStatus.VERIFIED, years_experience=7)
    p = mentor_profile(mentor.id, db=db)
    assert p.verified is True and p.years_experience == 7
    _headline(db, mentor, "Pending", verification_status=VerificationStatus.PENDING)
    assert mentor_profile(mentor.id, db=db).verified is False


def test_an_unknown_mentor_is_not_found(db):
    learner = make_user(db)
    inactive = make_user(db, mentor=True)
    inactive.is_active = False
    db.add(inactive)
    db.commit()
    for missing in (987654, learner.id, inactive.id):
        with pytest.raises(NotFoundError):
            mentor_profile(missing, db=db)
        with pytest.raises(NotFoundError):
            mentor_reviews(missing, db=db)
    directory = mentor_directory(MentorFilters(), db=db)
    assert {m.id for m in directory.items}.isdisjoint({learner.id, inactive.id})


def _market(db: Session) -> dict[str, User]:
    top = make_user(db, mentor=True, name="Tara Top")
    busy = make_user(db, mentor=True, name="Bo Busy")
    soon = make_user(db, mentor=True, name="Sam Soon")
    quiet = make_user(db, mentor=True, name="Quinn Quiet")
    _headline(db, top, "Guitar teacher", rating_avg=4.9, rating_count=20, sessions_taught=5)
    _headline(db, busy, "Python and SQL coach", rating_avg=4.2, rating_count=40, sessions_taught=50)
    _headline(db, soon, "Spanish conversation", rating_avg=3.8, rating_count=3, sessions_taught=2)
    _headline(db, quiet, "Writing mentor", expertise=["Copywriting"])
    make_session(db, top, start_in=timedelta(days=9), skills=["Guitar"], title="Guitar 1")
    make_session(db, busy, start_in=timedelta(days=5), skills=["Python"], title="Python 1")
    make_session(db, soon, start_in=timedelta(days=1), skills=["Spanish"], title="Spanish 1")
    full = make_session(db, top, start_in=timedelta(hours=12), skills=["Guitar"], capacity=1, title="Full guitar")
    session = db.get(LearningSession, full)
    session.seats_taken = 1  # a full session is no availability
    db.add(session)
    db.commit()
    return {"top": top, "busy": busy, "soon": soon, "quiet": quiet}


def _names(db: Session, **filters) -> list[str]:
    return [m.full_name for m in mentor_directory(MentorFilters(**filters), db=db).items]


def test_the_directory_sorts_filters_and_pages(db):
    m = _market(db)
    assert _names(db) == ["Tara Top", "Bo Busy", "Sam Soon", "Quinn Quiet"]
    assert _names(db, sort=MentorSort.SESSIONS_TAUGHT) == ["Bo Busy", "Tara Top", "Sam Soon", "Quinn Quiet"]
    assert _names(db, sort=MentorSort.SOONEST) == ["Sam Soon", "Bo Busy", "Tara Top", "Quinn Quiet"]

    assert _names(db, skill="python") == ["Bo Busy"]
    assert _names(db, skill="Copywriting") == ["Quinn Quiet"]  # stated expertise, no session yet
    assert _names(db, q="spanish") == ["Sam Soon"]
    assert _names(db, q="tara guitar") == ["Tara Top"]
    assert _names(db, q="nobody-teaches-this") == []
    assert _names(db, skill="%") == [] and _names(db, skill="_") == []  # a skill name, not a pattern

    page = mentor_directory(MentorFilters(page=2, page_size=3), db=db)
    assert (page.total, [x.full_name for x in page.items]) == (4, ["Quinn Quiet"])
    past_end = mentor_directory(MentorFilters(page=5, page_size=3), db=db)
    assert (past_end.total, past_end.items) == (4, [])

    top = next(x for x in mentor_directory(MentorFilters(), db=db).items if x.id == m["top"].id)
    assert top.top_skills == ["Guitar"]
    assert top.open_sessions == 1  # the full one does not count
    assert top.next_available_at is not None and top.next_available_at > utcnow() + timedelta(days=8)
    quiet = next(x for x in mentor_directory(MentorFilters(), db=db).items if x.id == m["quiet"].id)
    assert quiet.next_available_at is None and quiet.top_skills == ["Copywriting"]


def test_the_directory_reads_a_page_in_a_few_queries(db):
    _market(db)
    for _ in range(6):
        extra = make_user(db, mentor=True)
        make_session(db, extra, start_in=timedelta(days=4), skills=["Chess", "Go"])
    from sqlalchemy import event

    statements: list[str] = []
    engine = db.get_bind()

    def count(*_args) -> None:
        statements.append("q")

    event.listen(engine, "before_cursor_execute", count)
    try:
        result = mentor_directory(MentorFilters(page_size=50), db=db)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert result.total == 10
    assert 1 <= len(statements) <= 3


def test_bad_filters_are_a_validation_error():
    with pytest.raises(ValidationError):
        parse_mentor_filters(sort="cheapest")
    with pytest.raises(ValidationError):
        parse_mentor_filters(page=0)
    with pytest.raises(ValidationError):
        parse_mentor_filters(page_size=500)
    assert parse_mentor_filters(sort="soonest", q="", skill=None).sort is MentorSort.SOONEST
