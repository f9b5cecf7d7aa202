"""Reads for learning paths: journeys (who completed what, in which order, how they rated it)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from peerlearn.models import Booking, LearningSession, Review, SessionSkill, Skill
from peerlearn.paths.mining import JourneyStep
from peerlearn.paths.rules import DONE_STATUSES, level_rank


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
        select(Booking.learner_id, LearningSession.start_at, LearningSession.level, Skill.name, Review.rating)
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
    for learner_id, start_at, level, skill, rating in db.exec(query):
        journeys[learner_id].append(
            TimedStep(start_at, JourneyStep(skill, level_rank(level), float(rating) if rating is not None else None))
        )
    return dict(journeys)
