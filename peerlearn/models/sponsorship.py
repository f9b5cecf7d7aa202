"""Sponsored placements: a mentor's prepaid campaign for one of their sessions, and its delivery events."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from peerlearn.models.enums import InteractionKind
from peerlearn.models.types import enum_field, json_list_field, utc_field


class PricingModel(StrEnum):
    CPC = "cpc"  # per billed click
    CPM = "cpm"  # per thousand impressions


class SponsorshipStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"  # ended early or by date; the unspent balance was refunded


class Sponsorship(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    mentor_id: int = Field(foreign_key="user.id", index=True)
    session_id: int = Field(foreign_key="learningsession.id", index=True)
    created_by: int = Field(foreign_key="user.id")
    targets: list[str] = json_list_field()
    starts_on: date
    ends_on: date
    currency: str = Field(sa_type=sa.String(3))
    budget_minor: int
    daily_cap_minor: int
    pricing: PricingModel = enum_field(PricingModel.CPC)
    bid_minor: int
    status: SponsorshipStatus = enum_field(SponsorshipStatus.ACTIVE, index=True)
    spent_minor: int = 0
    spent_today_minor: int = 0
    spent_day: date | None = None
    impressions: int = 0
    clicks: int = 0
    refunded_minor: int = 0
    payment_reference: str = Field(default="", sa_type=sa.String(120))
    created_at: datetime = utc_field(default_now=True)
    ended_at: datetime | None = utc_field(nullable=True)


class SponsoredEvent(SQLModel, table=True):
    """One impression or click of a sponsored item; `billed` says whether it was charged (and why not)."""

    __table_args__ = (sa.Index("ix_sponsoredevent_campaign_user", "sponsorship_id", "user_id", "kind", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    sponsorship_id: int = Field(foreign_key="sponsorship.id")
    user_id: int | None = Field(default=None, foreign_key="user.id")
    kind: InteractionKind = enum_field(InteractionKind.IMPRESSION)
    charge_minor: int = 0
    billed: bool = False
    reason: str = Field(
        default="", sa_type=sa.String(20), description="Why a click was not billed: duplicate, bot, not_delivering"
    )
    client_key: str = Field(default="", sa_type=sa.String(64), index=True)
    created_at: datetime = utc_field(default_now=True, index=True)
