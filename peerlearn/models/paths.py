"""Learning paths: ordered steps (a skill at a level) toward a goal, mined from journeys or curated by an admin, and
the learners following them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from peerlearn.models.enums import SkillLevel
from peerlearn.models.types import enum_field, json_list_field, utc_field


class LearningPath(SQLModel, table=True):
    """One route to a goal. A mined route is stored once per goal and sequence of steps (``route_key``), so the
    same question asked twice answers with the same path; a curated one is written by an admin."""

    __table_args__ = (sa.UniqueConstraint("goal_key", "route_key", "curated", name="uq_learningpath_route"),)

    id: int | None = Field(default=None, primary_key=True)
    goal: str = Field(sa_type=sa.String(200), description="The goal as typed or written, e.g. 'Data analyst'")
    goal_key: str = Field(sa_type=sa.String(200), index=True, description="The goal's skill slugs and levels")
    goal_skills: list[str] = json_list_field()
    route_key: str = Field(sa_type=sa.String(64), description="SHA-256 of the steps' skill ids and levels")
    curated: bool = Field(default=False, index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = utc_field(default_now=True)


class LearningPathStep(SQLModel, table=True):
    path_id: int = Field(foreign_key="learningpath.id", primary_key=True)
    position: int = Field(primary_key=True)
    skill_id: int = Field(foreign_key="skill.id", index=True)
    level: SkillLevel = enum_field(SkillLevel.BEGINNER)
    learners: int = Field(default=0, description="Learners who made this move (0 on a curated path)")
    probability: float = Field(default=0.0, description="Share of learners at the step before who moved here")


class PathFollow(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("path_id", "learner_id", name="uq_pathfollow_path_learner"),)

    id: int | None = Field(default=None, primary_key=True)
    path_id: int = Field(foreign_key="learningpath.id", index=True)
    learner_id: int = Field(foreign_key="user.id", index=True)
    started_at: datetime = utc_field(default_now=True)
