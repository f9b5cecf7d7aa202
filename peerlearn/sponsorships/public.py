"""Read models of sponsored placements."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict

from peerlearn.models.sponsorship import PricingModel, SponsorshipStatus


class SponsorshipPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    mentor_id: int
    session_id: int
    targets: list[str]
    starts_on: date
    ends_on: date
    currency: str
    budget_minor: int
    daily_cap_minor: int
    pricing: PricingModel
    bid_minor: int
    status: SponsorshipStatus
    spent_minor: int
    refunded_minor: int
    created_at: datetime
    ended_at: datetime | None


class SponsorshipReport(SponsorshipPublic):
    """What a mentor sees: delivery, clicks (and how many were billed), bookings attributed within 7 days of a
    click, spend."""

    impressions: int
    clicks: int
    billed_clicks: int
    attributed_bookings: int
    balance_minor: int
