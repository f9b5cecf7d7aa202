"""Turn LearningSession rows into their public shape with a constant number of queries."""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, select

from peerlearn.models import Category, LearningSession, MentorProfile, SessionSkill, Skill, User
from peerlearn.models.catalog import LearningSessionPublic, MentorCard
from peerlearn.models.types import saved_id


def to_public(sessions: list[LearningSession], *, db: Session) -> list[LearningSessionPublic]:
    if not sessions:
        return []
    ids = [saved_id(s) for s in sessions]
    skills: dict[int, list[str]] = defaultdict(list)
    for session_id, name in db.exec(
        select(SessionSkill.session_id, Skill.name)
        .join(Skill, col(Skill.id) == SessionSkill.skill_id)
        .where(col(SessionSkill.session_id).in_(ids))
        .order_by(Skill.name)
    ):
        skills[session_id].append(name)
    category_ids = {s.category_id for s in sessions if s.category_id}
    categories = (
        dict(db.exec(select(Category.id, Category.name).where(col(Category.id).in_(category_ids))).all())
        if category_ids
        else {}
    )
    mentor_ids = {s.mentor_id for s in sessions}
    names: dict[int | None, str] = {}
    profiles: dict[int, MentorProfile] = {}
    for user_id, full_name, profile in db.exec(
        select(User.id, User.full_name, MentorProfile)
        .outerjoin(MentorProfile, col(MentorProfile.user_id) == User.id)
        .where(col(User.id).in_(mentor_ids))
    ):
        names[user_id] = full_name
        if profile is not None:
            profiles[profile.user_id] = profile

    def mentor_card(mentor_id: int) -> MentorCard:
        profile = profiles.get(mentor_id)
        return MentorCard(
            id=mentor_id,
            full_name=names.get(mentor_id, ""),
            headline=profile.headline if profile else "",
            rating_avg=profile.rating_avg if profile else 0.0,
            rating_count=profile.rating_count if profile else 0,
            sessions_taught=profile.sessions_taught if profile else 0,
        )

    return [
        LearningSessionPublic(
            id=s.id,
            title=s.title,
            description=s.description,
            skills=skills.get(saved_id(s), []),
            category=categories.get(s.category_id),
            level=s.level,
            language=s.language,
            start_at=s.start_at,
            end_at=s.end_at,
            capacity=s.capacity,
            spots_left=max(0, s.capacity - s.seats_taken),
            price_minor=s.price_minor,
            currency=s.currency,
            status=s.status,
            mentor=mentor_card(s.mentor_id),
            min_notice_minutes=s.min_notice_minutes,
            cancellation_cutoff_hours=s.cancellation_cutoff_hours,
            refund_policy=s.refund_policy,
            partial_refund_percent=s.partial_refund_percent,
            requires_approval=s.requires_approval,
            series_id=s.series_id,
        )
        for s in sessions
    ]
