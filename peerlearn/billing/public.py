"""The billing domain's read models: what a learner sees of their payments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from peerlearn.models import Payment


class PaymentPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    booking_id: int
    provider: str
    amount_minor: int
    currency: str
    platform_fee_minor: int
    learner_fee_minor: int  # the service fee inside amount_minor
    refunded_minor: int
    status: str
    created_at: str

    @field_validator("created_at", mode="before")
    @classmethod
    def _iso(cls, value: Any) -> Any:
        """The API has always sent the timestamp as `datetime.isoformat()` (`+00:00`, not pydantic's `Z`)."""
        return value.isoformat() if isinstance(value, datetime) else value


def payment_public(payment: Payment) -> PaymentPublic:
    return PaymentPublic.model_validate(payment)
