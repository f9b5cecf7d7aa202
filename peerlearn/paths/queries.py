"""Reads for learning paths: journeys (who completed what, in which order, how they rated it), where a learner
is, paths with their progress, and the sessions of a step."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from peerlearn.booking.rules import SEAT_HOLDING
from peerlearn.models import (
    Booking,
    Category,
    LearningPath,
    LearningPathStep,
    LearningSession,
    PathFollow,
    Review,
    SessionSkill,
    Skill,
    UserSkill,
)
from peerlearn.models.enums import SessionStatus
from peerlearn.models.types import saved_id
from peerlearn.paths.mining import JourneyStep
from peerlearn.paths.public import CURATED_LABEL, MINED_LABEL, PathPublic, PathStepPublic, StepStatus
from peerlearn.paths.rules import DONE_STATUSES, LEVELS, VocabularySkill, level_rank
from peerlearn.platform.errors import NotFoundError


@dataclass(frozen=True)
class TimedStep:
    at: datetime
    step: JourneyStep


def completed_journeys(
    *, db: Session, learner_ids: list[int] | None = None, before: datetime | None = None
) -> dict[int, list[TimedStep]]:
    """Each learner's completed sessions in start order (one step per skill of the session, skills by name), with
    the learner's rating when they left one; sessions starting at or after ``before`` are left out."""
    query = (
        select(Booking.learner_id, LearningSession, Skill.name, Review.rating)
        .join(LearningSession, col(LearningSession.id) == Booking.session_id)
        .join(SessionSkill, col(SessionSkill.session_id) == LearningSession.id)
        .join(Skill, col(Skill.id) == SessionSkill.skill_id)
        .outerjoin(Review, col(Review.booking_id) == Booking.id)
        .where(col(Booking.status).in_(list(DONE_STATUSES)))
        .order_by(col(Booking.learner_id), col(LearningSession.start_at), col(Booking.id), col(Skill.name))
    )
    if learner_ids is not None:
        query = query.where(col(Booking.learner_id).in_(learner_ids))
    if before is not None:
        query = query.where(col(LearningSession.start_at) < before)
    journeys: dict[int, list[TimedStep]] = defaultdict(list)
    for learner_id, session, skill, rating in db.exec(query):
        step = JourneyStep(skill, level_rank(session.level), float(rating) if rating is not None else None)
        journeys[learner_id].append(TimedStep(session.start_at, step))
    return dict(journeys)


def journeys_version(*, db: Session) -> tuple[int, ...]:
    """Changes whenever ``completed_journeys`` may answer differently: how many completed bookings and reviews
    there are, their ratings' sum, and the sessions' last update (a level or skill edited)."""
    completed = db.exec(
        select(sa.func.count(col(Booking.id)), sa.func.coalesce(sa.func.sum(col(Booking.id)), 0)).where(
            col(Booking.status).in_(list(DONE_STATUSES))
        )
    ).one()
    reviews = db.exec(select(sa.func.count(col(Review.id)), sa.func.coalesce(sa.func.sum(col(Review.rating)), 0))).one()
    updated = db.exec(select(sa.func.max(col(LearningSession.updated_at)))).one()
    counts = (int(v or 0) for v in (*completed, *reviews))
    return (*counts, round(updated.timestamp() * 1_000_000) if updated else 0)


# ---------------------------------------------------------------- the learner: what they hold, booked and did


def skill_vocabulary(*, db: Session) -> list[VocabularySkill]:
    rows = db.exec(
        select(Skill.name, Category.name)
        .outerjoin(Category, col(Category.id) == Skill.category_id)
        .order_by(Skill.name)
    )
    return [VocabularySkill(name, category or "") for name, category in rows]


def held_levels(learner_id: int, *, db: Session) -> dict[str, int]:
    """Where the learner is: each skill's highest level on their profile or among their completed sessions."""
    held: dict[str, int] = {}
    for name, level in db.exec(
        select(Skill.name, UserSkill.level)
        .join(Skill, col(Skill.id) == UserSkill.skill_id)
        .where(col(UserSkill.user_id) == learner_id)
    ):
        held[name] = max(held.get(name, -1), level_rank(level))
    for step in completed_journeys(db=db, learner_ids=[learner_id]).get(learner_id, []):
        held[step.step.skill] = max(held.get(step.step.skill, -1), step.step.level)
    return held


@dataclass(frozen=True)
class LearnerProgress:
    done: dict[int, int]  # skill id -> highest level rank completed
    booked: dict[int, int]  # skill id -> highest level rank with a seat in an upcoming session


def learner_progress(learner_id: int, *, db: Session, now: datetime) -> LearnerProgress:
    done: dict[int, int] = {}
    booked: dict[int, int] = {}
    for status, level, start_at, skill_id in db.exec(
        select(Booking.status, LearningSession.level, LearningSession.start_at, SessionSkill.skill_id)
        .join(LearningSession, col(LearningSession.id) == Booking.session_id)
        .join(SessionSkill, col(SessionSkill.session_id) == LearningSession.id)
        .where(col(Booking.learner_id) == learner_id, col(Booking.status).in_(list(DONE_STATUSES | SEAT_HOLDING)))
    ):
        rank = level_rank(level)
        if status in DONE_STATUSES:
            done[skill_id] = max(done.get(skill_id, -1), rank)
        elif start_at > now:
            booked[skill_id] = max(booked.get(skill_id, -1), rank)
    return LearnerProgress(done, booked)


# ---------------------------------------------------------------- paths


def path_steps(path_ids: list[int], *, db: Session) -> dict[int, list[tuple[LearningPathStep, str]]]:
    steps: dict[int, list[tuple[LearningPathStep, str]]] = defaultdict(list)
    if not path_ids:
        return {}
    for step, name in db.exec(
        select(LearningPathStep, Skill.name)
        .join(Skill, col(Skill.id) == LearningPathStep.skill_id)
        .where(col(LearningPathStep.path_id).in_(path_ids))
        .order_by(col(LearningPathStep.path_id), col(LearningPathStep.position))
    ):
        steps[step.path_id].append((step, name))
    return dict(steps)


def to_public(paths: list[LearningPath], *, db: Session, learner_id: int | None, now: datetime) -> list[PathPublic]:
    """Paths with the learner's progress on each step (none when nobody is logged in)."""
    ids = [saved_id(p) for p in paths]
    steps = path_steps(ids, db=db)
    progress = learner_progress(learner_id, db=db, now=now) if learner_id is not None else LearnerProgress({}, {})
    followed = (
        set(
            db.exec(
                select(PathFollow.path_id).where(
                    col(PathFollow.learner_id) == learner_id, col(PathFollow.path_id).in_(ids)
                )
            )
        )
        if learner_id is not None and ids
        else set()
    )
    out = []
    for path in paths:
        public_steps = []
        next_position = None
        for step, name in steps.get(saved_id(path), []):
            rank = level_rank(step.level)
            if progress.done.get(step.skill_id, -1) >= rank:
                status = StepStatus.DONE
            elif progress.booked.get(step.skill_id, -1) >= rank:
                status = StepStatus.BOOKED
            elif next_position is None:
                status, next_position = StepStatus.NEXT, step.position
            else:
                status = StepStatus.LATER
            public_steps.append(
                PathStepPublic(
                    position=step.position,
                    skill=name,
                    level=step.level,
                    status=status,
                    learners=step.learners,
                    probability=round(step.probability, 4),
                )
            )
        done = sum(s.status == StepStatus.DONE for s in public_steps)
        out.append(
            PathPublic(
                id=saved_id(path),
                goal=path.goal,
                goal_skills=path.goal_skills,
                curated=path.curated,
                label=CURATED_LABEL if path.curated else MINED_LABEL,
                steps=public_steps,
                following=saved_id(path) in followed,
                done_steps=done,
                next_position=next_position,
                complete=bool(public_steps) and done == len(public_steps),
            )
        )
    return out


def get_path(path_id: int, *, db: Session) -> LearningPath:
    path = db.get(LearningPath, path_id)
    if path is None:
        raise NotFoundError("No such learning path.")
    return path


def followed_paths(learner_id: int, *, db: Session) -> list[LearningPath]:
    return list(
        db.exec(
            select(LearningPath)
            .join(PathFollow, col(PathFollow.path_id) == LearningPath.id)
            .where(col(PathFollow.learner_id) == learner_id)
            .order_by(col(PathFollow.started_at).desc(), col(PathFollow.id).desc())
        )
    )


@dataclass(frozen=True)
class NextStep:
    skill: str
    level: int  # level rank (see rules.level_rank)
    goal: str


def next_steps(learner_id: int, *, db: Session, now: datetime) -> list[NextStep]:
    """The next step of every path the learner follows and has not finished, the path followed last first: what the
    recommender boosts ('Next on your path to <goal>')."""
    followed = followed_paths(learner_id, db=db)
    if not followed:
        return []  # one query for the many learners who follow none
    out = []
    for path in to_public(followed, db=db, learner_id=learner_id, now=now):
        step = next((s for s in path.steps if s.position == path.next_position), None)
        if step is not None:
            out.append(NextStep(step.skill, level_rank(step.level), path.goal))
    return out


def curated_paths(*, db: Session) -> list[LearningPath]:
    return list(db.exec(select(LearningPath).where(col(LearningPath.curated)).order_by(col(LearningPath.id))))


def upcoming_sessions_for_step(
    step: LearningPathStep, *, learner_id: int | None, db: Session, now: datetime, limit: int = 6
) -> list[LearningSession]:
    """Bookable sessions in the step's skill at its level or above, soonest first; never the learner's own or one
    they already hold a seat in."""
    query = (
        select(LearningSession)
        .join(SessionSkill, col(SessionSkill.session_id) == LearningSession.id)
        .where(
            col(SessionSkill.skill_id) == step.skill_id,
            col(LearningSession.status) == SessionStatus.PUBLISHED,
            col(LearningSession.start_at) > now,
            col(LearningSession.seats_taken) < col(LearningSession.capacity),
            col(LearningSession.level).in_([lv for lv in LEVELS if level_rank(lv) >= level_rank(step.level)]),
        )
        .order_by(col(LearningSession.start_at), col(LearningSession.id))
        .limit(limit * 4)
    )
    if learner_id is not None:
        mine = select(Booking.session_id).where(
            col(Booking.learner_id) == learner_id, col(Booking.status).in_(list(SEAT_HOLDING))
        )
        query = query.where(col(LearningSession.mentor_id) != learner_id, col(LearningSession.id).not_in(mine))
    return list(db.exec(query))
