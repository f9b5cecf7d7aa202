"""Paths for a typed goal, mined from completed journeys; following one, booking its next step and completing it
advances the path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from peerlearn.booking import actions as bookings
from peerlearn.catalog import actions as sessions
from peerlearn.models import Profile, Skill, UserSkill
from peerlearn.models.enums import SkillLevel
from peerlearn.models.types import utcnow
from peerlearn.paths import actions as paths
from peerlearn.paths.mining import PathOutcome
from peerlearn.paths.public import RankedBy
from peerlearn.platform.errors import NotFoundError, PermissionDeniedError, ValidationError
from tests.factories import make_session, make_user
from tests.paths.conftest import Market


def statuses(path) -> list[tuple[str, str]]:
    return [(s.skill, s.status.value) for s in path.steps]


def test_a_typed_goal_gets_the_mined_route_from_where_the_learner_is(db, market: Market) -> None:
    learner = make_user(db)
    db.commit()

    found = paths.find_paths("Data analyst", learner=learner, db=db)
    db.commit()

    assert found.outcome is PathOutcome.FOUND and found.goal_skills == ["Data analysis"]
    [path] = found.paths
    assert [(s.skill, s.level) for s in path.steps] == [
        ("Excel", SkillLevel.BEGINNER),
        ("SQL", SkillLevel.BEGINNER),
        ("Python", SkillLevel.BEGINNER),
        ("Data analysis", SkillLevel.INTERMEDIATE),
    ]
    assert not path.curated and path.label == "Mined from learners' journeys"
    assert path.steps[0].learners == 3
    assert statuses(path)[0] == ("Excel", "next")
    again = paths.find_paths("data analyst", learner=learner, db=db)
    assert again.paths[0].id == path.id  # the same route is stored once


def test_the_goal_comes_from_the_profile_when_none_is_typed(db, market: Market) -> None:
    learner = make_user(db)
    profile = db.get(Profile, learner.id)
    profile.career_objective = "Data analyst"
    db.add(profile)
    db.commit()

    found = paths.find_paths(None, learner=learner, db=db)

    assert found.goal == "Data analyst" and found.goal_skills == ["Data analysis"]
    with pytest.raises(ValidationError):
        paths.find_paths("  ", learner=make_user(db), db=db)
    with pytest.raises(ValidationError):
        paths.find_paths("x" * 201, learner=learner, db=db)


def test_goals_reached_unknown_or_untravelled_say_so_with_no_mined_path(db, market: Market) -> None:
    learner = make_user(db)
    db.commit()

    unknown = paths.find_paths("Underwater basket weaving", learner=learner, db=db)
    assert unknown.outcome is PathOutcome.NO_GOAL and unknown.paths == []
    make_session(db, market.mentor, skills=["Japanese"], title="Japanese", start_in=timedelta(days=9))  # never taken
    untravelled = paths.find_paths("Conversational Japanese", learner=learner, db=db)
    assert untravelled.outcome is PathOutcome.UNREACHABLE and untravelled.goal_skills == ["Japanese"]
    assert untravelled.paths == [] and "Japanese" in untravelled.message
    skill = db.exec(select(Skill).where(Skill.name == "Data analysis")).one()
    db.add(UserSkill(user_id=learner.id, skill_id=skill.id, level=SkillLevel.ADVANCED))
    db.commit()
    reached = paths.find_paths("Data analyst", learner=learner, db=db)
    assert reached.outcome is PathOutcome.ALREADY_REACHED and reached.paths == []
    assert "already" in reached.message


def test_following_a_path_booking_its_next_step_and_completing_it_advances_the_path(db, market: Market) -> None:
    learner = make_user(db)
    db.commit()
    [path] = paths.find_paths("Data analyst", learner=learner, db=db).paths
    db.commit()

    followed = paths.follow_path(path.id, learner, db=db)
    db.commit()
    assert followed.following and followed.next_position == 1
    assert paths.follow_path(path.id, learner, db=db).following  # following again changes nothing
    [mine] = paths.my_paths(learner, db=db)
    assert mine.id == path.id and mine.done_steps == 0

    detail = paths.path_detail(path.id, learner=learner, db=db)
    assert [s.id for s in detail.next_sessions] == [market.upcoming["Excel"]]
    assert detail.ranked_by in (RankedBy.RECOMMENDER, RankedBy.START_TIME)

    booking, _ = bookings.book_session(learner, market.upcoming["Excel"], db=db)
    db.commit()
    [mine] = paths.my_paths(learner, db=db)
    assert statuses(mine)[:2] == [("Excel", "booked"), ("SQL", "next")]
    assert mine.next_position == 2

    later = utcnow() + timedelta(days=2, hours=2)  # after the Excel session, before the SQL one
    sessions.complete_session(market.mentor, market.upcoming["Excel"], db=db, now=later)
    db.commit()

    [mine] = paths.my_paths(learner, db=db, now=later)
    assert statuses(mine) == [("Excel", "done"), ("SQL", "next"), ("Python", "later"), ("Data analysis", "later")]
    assert mine.done_steps == 1 and not mine.complete
    detail = paths.path_detail(path.id, learner=learner, db=db, now=later)
    assert [s.id for s in detail.next_sessions] == [market.upcoming["SQL"]]


def test_a_learner_who_holds_the_first_skills_starts_further_along(db, market: Market) -> None:
    learner = make_user(db)
    db.commit()
    for name in ("Excel", "SQL"):
        skill = db.exec(select(Skill).where(Skill.name == name)).one()
        db.add(UserSkill(user_id=learner.id, skill_id=skill.id, level=SkillLevel.INTERMEDIATE))
    db.commit()

    [path] = paths.find_paths("Data analyst", learner=learner, db=db).paths

    assert [s.skill for s in path.steps] == ["Python", "Data analysis"]


def test_curated_paths_are_listed_alongside_and_labelled(db, market: Market) -> None:
    admin, learner = make_user(db, admin=True), make_user(db)
    db.commit()
    with pytest.raises(PermissionDeniedError):
        paths.create_curated_path(learner, "Data analyst", [("SQL", SkillLevel.BEGINNER)], db=db)
    with pytest.raises(ValidationError):
        paths.create_curated_path(admin, "Data analyst", [("Cobol", SkillLevel.BEGINNER)], db=db)
    curated = paths.create_curated_path(
        admin, "Data analyst", [("SQL", SkillLevel.BEGINNER), ("Data analysis", SkillLevel.INTERMEDIATE)], db=db
    )
    db.commit()

    found = paths.find_paths("Data analyst", learner=learner, db=db)

    assert [p.curated for p in found.paths] == [False, True]
    assert found.paths[1].id == curated.id and found.paths[1].label == "Curated by PeerLearn"


def test_an_unknown_path_is_not_found(db, market: Market) -> None:
    learner = make_user(db)
    db.commit()
    with pytest.raises(NotFoundError):
        paths.follow_path(9999, learner, db=db)
    with pytest.raises(NotFoundError):
        paths.path_detail(9999, learner=learner, db=db)


def test_new_well_rated_journeys_change_the_mined_path(db, market: Market) -> None:
    from tests.paths.conftest import completed

    learner = make_user(db)
    db.commit()
    before = paths.find_paths("Data analyst", learner=learner, db=db).paths[0]
    assert [s.skill for s in before.steps][:2] == ["Excel", "SQL"]
    past = utcnow() - timedelta(days=30)
    shortcut = make_session(db, market.mentor, now=past, start_in=timedelta(days=1), skills=["Excel"], capacity=9)
    analysis = make_session(
        db, market.mentor, now=past, start_in=timedelta(days=2), skills=["Data analysis"], level="intermediate"
    )
    for _ in range(5):  # five learners went Excel -> Data analysis directly and liked it
        someone = make_user(db)
        completed(db, someone, shortcut, 5, market.mentor)
        completed(db, someone, analysis, 5, market.mentor)
    db.commit()

    after = paths.find_paths("Data analyst", learner=learner, db=db).paths[0]

    assert [s.skill for s in after.steps] == ["Excel", "Data analysis"]
    assert after.id != before.id
