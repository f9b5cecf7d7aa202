"""Keeps each session's `search_tags` (its skill names and its mentor's name) current, so full-text
search reads one row per session and PostgreSQL can index the whole weighted document."""

from __future__ import annotations

from sqlmodel import Session, col, select

from peerlearn.models import LearningSession, SessionSkill, Skill, User


def refresh_session_tags(session: LearningSession, *, db: Session) -> None:
    names = db.exec(
        select(Skill.name)
        .join(SessionSkill, col(SessionSkill.skill_id) == Skill.id)
        .where(SessionSkill.session_id == session.id)
        .order_by(Skill.name)
    ).all()
    mentor = db.get(User, session.mentor_id)
    session.search_tags = " ".join([*names, mentor.full_name if mentor else ""]).strip()
    db.add(session)


def refresh_mentor_sessions(mentor_id: int, *, db: Session) -> None:
    for session in db.exec(select(LearningSession).where(LearningSession.mentor_id == mentor_id)):
        refresh_session_tags(session, db=db)
