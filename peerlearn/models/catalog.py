"""What is offered: categories, skills, and learning sessions (and their series)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from peerlearn.models.enums import RefundPolicy, SessionStatus, SkillLevel
from peerlearn.models.types import enum_field, utc_field


class Category(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=sa.String(80), unique=True)
    slug: str = Field(sa_type=sa.String(80), unique=True, index=True)


class Skill(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_type=sa.String(80), unique=True)
    slug: str = Field(sa_type=sa.String(80), unique=True, index=True)
    category_id: int | None = Field(default=None, foreign_key="category.id", index=True)


class SessionSeries(SQLModel, table=True):
    """A weekly recurring offer; each occurrence is its own LearningSession."""

    id: int | None = Field(default=None, primary_key=True)
    mentor_id: int = Field(foreign_key="user.id", index=True)
    rule: str = Field(sa_type=sa.String(120), description="e.g. FREQ=WEEKLY;COUNT=6")
    created_at: datetime = utc_field(default_now=True)


class LearningSession(SQLModel, table=True):
    __table_args__ = (
        sa.CheckConstraint("capacity > 0", name="ck_session_capacity_positive"),
        sa.CheckConstraint("seats_taken >= 0 AND seats_taken <= capacity", name="ck_session_seats_in_range"),
        sa.CheckConstraint("price_minor >= 0", name="ck_session_price_nonnegative"),
        sa.CheckConstraint("end_at > start_at", name="ck_session_ends_after_start"),
    )

    id: int | None = Field(default=None, primary_key=True)
    mentor_id: int = Field(foreign_key="user.id", index=True)
    series_id: int | None = Field(default=None, foreign_key="sessionseries.id", index=True)
    title: str = Field(sa_type=sa.String(200))
    description: str = Field(default="", sa_type=sa.Text)
    category_id: int | None = Field(default=None, foreign_key="category.id", index=True)
    level: SkillLevel = enum_field(SkillLevel.BEGINNER)
    language: str = Field(default="English", sa_type=sa.String(32), index=True)
    start_at: datetime = utc_field(index=True)
    end_at: datetime = utc_field()
    capacity: int = 1
    seats_taken: int = Field(default=0, description="Held + pending + confirmed seats; changed only under a row lock")
    price_minor: int = 0
    currency: str = Field(default="USD", sa_type=sa.String(3))
    min_notice_minutes: int = 60
    cancellation_cutoff_hours: int = 24
    refund_policy: RefundPolicy = enum_field(RefundPolicy.FULL)
    partial_refund_percent: int = 50
    requires_approval: bool = False
    buffer_minutes: int = 0
    status: SessionStatus = enum_field(SessionStatus.PUBLISHED, index=True)
    room_opened_at: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)


class SessionSkill(SQLModel, table=True):
    session_id: int = Field(foreign_key="learningsession.id", primary_key=True)
    skill_id: int = Field(foreign_key="skill.id", primary_key=True, index=True)
