"""Sessions similar to one: sharing skills or category, upcoming and bookable."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, func, select

from peerlearn.catalog.public import to_public
from peerlearn.models import LearningSession, SessionSkill
from peerlearn.models.catalog import LearningSessionPublic
from peerlearn.models.enums import SessionStatus
from peerlearn.models.types import utcnow


def similar_sessions(
    session_id: int, *, db: Session, limit: int = 4, now: datetime | None = None
) -> list[LearningSessionPublic]:
    now = now or utcnow()
    source = db.get(LearningSession, session_id)
    if source is None:
        return []
    skill_ids = select(SessionSkill.skill_id).where(SessionSkill.session_id == session_id)
    shared = (
        select(SessionSkill.session_id, func.count().label("shared"))
        .where(col(SessionSkill.skill_id).in_(skill_ids))
        .group_by(col(SessionSkill.session_id))
        .subquery()
    )
    rows = db.exec(
        select(LearningSession)
        .outerjoin(shared, shared.c.session_id == LearningSession.id)
        .where(
            LearningSession.id != session_id,
            LearningSession.status == SessionStatus.PUBLISHED,
            LearningSession.start_at > now,
            (shared.c.shared > 0) | (LearningSession.category_id == source.category_id),
        )
        .order_by(func.coalesce(shared.c.shared, 0).desc(), col(LearningSession.start_at))
        .limit(limit)
    ).all()
    return to_public(list(rows), db=db)
