"""A small marketplace where stated interests and popularity point at different sessions, and a check that a list's
explanations name only what the learner stated."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session

from peerlearn.booking.actions import book_session
from peerlearn.models import User
from tests.factories import make_session, make_user

SKILLS = ["Machine Learning", "Japanese", "Python", "Singing", "Music Production", "Finance", "Marketing", "Guitar"]
POPULAR = ("Singing", "Music Production", "Finance", "Marketing")
INTEREST = re.compile(r"^Matches your interest in (.+)$")


def interest_market(db: Session) -> dict[str, list[int]]:
    """Two sessions per skill, each by its own mentor; the POPULAR ones are booked by a crowd of other learners."""
    ids: dict[str, list[int]] = {}
    for k, skill in enumerate(SKILLS):
        for copy in range(2):
            mentor = make_user(db, mentor=True, name=f"Mentor {k}{copy}")
            ids.setdefault(skill, []).append(
                make_session(
                    db,
                    mentor,
                    title=f"{skill} session {copy + 1}",
                    skills=[skill],
                    capacity=30,
                    start_in=timedelta(days=2 + k, hours=copy),
                )
            )
    crowd = [make_user(db, name=f"Crowd {i}") for i in range(6)]
    for learner in crowd:
        for skill in POPULAR:
            book_session(learner, ids[skill][0], db=db)
    db.commit()
    return ids


def named_interests(explanation: str) -> list[str]:
    """The interests an explanation says the learner has ('Matches your interest in A and B' -> [A, B])."""
    found = INTEREST.match(explanation)
    if not found:
        return []
    return [name.strip() for name in re.split(r", | and ", found.group(1))]


def assert_matches(items: list[tuple[list[str], str]], interests: list[str], *, top: int = 3) -> None:
    """The first `top` items teach a stated interest and say so; no item claims an interest that was not stated."""
    stated = {i.casefold() for i in interests}
    for skills, explanation in items[:top]:
        assert stated & {s.casefold() for s in skills}, (skills, explanation, interests)
        assert named_interests(explanation), explanation
    for skills, explanation in items:
        claimed = {name.casefold() for name in named_interests(explanation)}
        assert claimed <= stated, (explanation, interests)
        assert claimed <= {s.casefold() for s in skills}, (explanation, skills)


def learner(db: Session, user_id: int) -> User:
    db.rollback()  # a fresh read: see what the app committed meanwhile
    user = db.get(User, user_id)
    assert user is not None
    return user
