"""Signals: notifications, interaction events for the recommender, experiments, analytics inputs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from peerlearn.models.enums import ExperimentStatus, InteractionKind, NotificationKind
from peerlearn.models.types import enum_field, utc_field


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: NotificationKind = enum_field(NotificationKind.SYSTEM)
    title: str = Field(sa_type=sa.String(200))
    body: str = Field(default="", sa_type=sa.Text)
    link: str = Field(default="", sa_type=sa.String(300))
    session_id: int | None = Field(default=None, foreign_key="learningsession.id")
    created_at: datetime = utc_field(default_now=True, index=True)
    read_at: datetime | None = utc_field(nullable=True)
    email_wanted: bool = Field(default=False, index=True)
    emailed_at: datetime | None = utc_field(nullable=True)


class InteractionEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    session_id: int | None = Field(default=None, foreign_key="learningsession.id", index=True)
    kind: InteractionKind = enum_field(InteractionKind.VIEW, index=True)
    value: float = 1.0
    source: str = Field(default="", sa_type=sa.String(40), description="e.g. recommendations, search")
    created_at: datetime = utc_field(default_now=True, index=True)


class Experiment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(sa_type=sa.String(60), unique=True)
    name: str = Field(sa_type=sa.String(120))
    status: ExperimentStatus = enum_field(ExperimentStatus.DRAFT)
    variants: list[dict[str, Any]] = Field(
        default_factory=list, sa_type=sa.JSON, description="[{name, weight, config}]"
    )
    primary_metric: str = Field(default="bookings_per_exposed_learner", sa_type=sa.String(60))
    baseline_rate: float = 0.05
    minimum_detectable_effect: float = 0.2
    created_at: datetime = utc_field(default_now=True)
    started_at: datetime | None = utc_field(nullable=True)
    stopped_at: datetime | None = utc_field(nullable=True)


class ExperimentAssignment(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("experiment_id", "user_id", name="uq_assignment_experiment_user"),)

    id: int | None = Field(default=None, primary_key=True)
    experiment_id: int = Field(foreign_key="experiment.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    variant: str = Field(sa_type=sa.String(60))
    assigned_at: datetime = utc_field(default_now=True)
    exposed_at: datetime | None = utc_field(nullable=True)


class MarketingSpend(SQLModel, table=True):
    """Entered by admins per month, for acquisition cost."""

    id: int | None = Field(default=None, primary_key=True)
    month: date = Field(index=True)
    amount_minor: int
    currency: str = Field(sa_type=sa.String(3))


class EvaluationRun(SQLModel, table=True):
    """Figures from an offline evaluation or model training, shown on dashboards."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(sa_type=sa.String(40), index=True)
    figures: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: datetime = utc_field(default_now=True)
