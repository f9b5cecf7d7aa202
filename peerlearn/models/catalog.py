"""What is offered: categories, skills, and learning sessions (and their series)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
    search_tags: str = Field(
        default="", sa_type=sa.Text, description="Skill names and the mentor's name, for full-text search"
    )
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


# The weighted full-text document of a session (PostgreSQL). The GIN index below is on this exact
# expression, so searches written with it use the index.
_DOCUMENT_SQL = (
    "(setweight(to_tsvector('english'::regconfig, coalesce({t}title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce({t}search_tags, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce({t}description, '')), 'C'))"
)
SEARCH_DOCUMENT: sa.ColumnClause[Any] = sa.literal_column(_DOCUMENT_SQL.format(t="learningsession."))
sa.Index(
    "ix_learningsession_search_document",
    sa.text(_DOCUMENT_SQL.format(t="")),
    postgresql_using="gin",
    _table=LearningSession.__table__,  # type: ignore[attr-defined]  # set by SQLModel's metaclass, not in its stubs
).ddl_if(dialect="postgresql")


class SessionSkill(SQLModel, table=True):
    session_id: int = Field(foreign_key="learningsession.id", primary_key=True)
    skill_id: int = Field(foreign_key="skill.id", primary_key=True, index=True)


# ---- API/UI variants ----

from pydantic import BaseModel
from pydantic import Field as PField

from peerlearn.models.inputs import CategoryName, Currency, LanguageName, LongText, SkillName, Title


class MentorCard(BaseModel):
    id: int
    full_name: str
    headline: str = ""
    rating_avg: float = 0.0
    rating_count: int = 0
    sessions_taught: int = 0


class LearningSessionPublic(BaseModel):
    id: int
    title: str
    description: str
    skills: list[str]
    category: str | None
    level: SkillLevel
    language: str
    start_at: datetime
    end_at: datetime
    capacity: int
    spots_left: int
    price_minor: int
    currency: str
    status: SessionStatus
    mentor: MentorCard
    min_notice_minutes: int
    cancellation_cutoff_hours: int
    refund_policy: RefundPolicy
    partial_refund_percent: int
    requires_approval: bool
    series_id: int | None = None
    sponsored: bool = False  # a paid placement, shown with a "Sponsored" label


class Recurrence(BaseModel):
    """Weekly recurrence: `count` occurrences, one week apart (the first included)."""

    frequency: str = PField("weekly", pattern="^weekly$")
    count: int = PField(ge=2, le=52)


class LearningSessionCreate(BaseModel):
    title: Title
    description: LongText = ""
    skills: list[SkillName] = PField(default_factory=list, max_length=10)
    category: CategoryName | None = None
    level: SkillLevel = SkillLevel.BEGINNER
    language: LanguageName = "English"
    start_at: datetime
    end_at: datetime
    capacity: int = PField(default=1, ge=1, le=500)
    price_minor: int = PField(default=0, ge=0, le=100_000_000)
    currency: Currency = "USD"
    min_notice_minutes: int = PField(default=60, ge=0, le=60 * 24 * 30)
    cancellation_cutoff_hours: int = PField(default=24, ge=0, le=24 * 30)
    refund_policy: RefundPolicy = RefundPolicy.FULL
    partial_refund_percent: int = PField(default=50, ge=0, le=100)
    requires_approval: bool = False
    buffer_minutes: int = PField(default=0, ge=0, le=240)
    recurrence: Recurrence | None = None
    status: SessionStatus = SessionStatus.PUBLISHED


class LearningSessionUpdate(BaseModel):
    title: Title | None = None
    description: LongText | None = None
    skills: list[SkillName] | None = PField(default=None, max_length=10)
    category: CategoryName | None = None
    level: SkillLevel | None = None
    language: LanguageName | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None
    capacity: int | None = PField(default=None, ge=1, le=500)
    price_minor: int | None = PField(default=None, ge=0, le=100_000_000)
    currency: Currency | None = None
    min_notice_minutes: int | None = PField(default=None, ge=0, le=60 * 24 * 30)
    cancellation_cutoff_hours: int | None = PField(default=None, ge=0, le=24 * 30)
    refund_policy: RefundPolicy | None = None
    partial_refund_percent: int | None = PField(default=None, ge=0, le=100)
    requires_approval: bool | None = None
    buffer_minutes: int | None = PField(default=None, ge=0, le=240)
