"""Taking part: bookings, waitlists, reviews, and what happened in the room."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from peerlearn.models.enums import AttendanceStatus, BookingStatus, WaitlistStatus
from peerlearn.models.types import enum_field, utc_field


class Booking(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="learningsession.id", index=True)
    learner_id: int = Field(foreign_key="user.id", index=True)
    status: BookingStatus = enum_field(BookingStatus.HELD, index=True)
    price_minor: int = 0
    discount_minor: int = 0
    learner_fee_minor: int = Field(default=0, description="Service fee fixed when the booking was held")
    commission_bps: int | None = Field(
        default=None, description="The mentor's plan rate when booked; None: the platform's rate"
    )
    currency: str = Field(default="USD", sa_type=sa.String(3))
    coupon_id: int | None = Field(default=None, foreign_key="coupon.id")
    hold_expires_at: datetime | None = utc_field(nullable=True, index=True)
    created_at: datetime = utc_field(default_now=True, index=True)
    confirmed_at: datetime | None = utc_field(nullable=True)
    cancelled_at: datetime | None = utc_field(nullable=True)
    cancel_reason: str = Field(default="", sa_type=sa.String(255))
    rescheduled_from_id: int | None = Field(default=None, foreign_key="booking.id")
    attendance: AttendanceStatus = enum_field(AttendanceStatus.UNKNOWN)
    joined_at: datetime | None = utc_field(nullable=True)
    left_at: datetime | None = utc_field(nullable=True)
    attended_seconds: int = 0
    reminder_24h_sent_at: datetime | None = utc_field(nullable=True)
    reminder_1h_sent_at: datetime | None = utc_field(nullable=True)

    @property
    def amount_due_minor(self) -> int:
        """The session's price after the coupon (the fee is not included)."""
        return max(self.price_minor - self.discount_minor, 0)

    @property
    def total_due_minor(self) -> int:
        """What the learner pays: the price after the coupon plus the service fee."""
        return self.amount_due_minor + self.learner_fee_minor


class WaitlistEntry(SQLModel, table=True):
    __table_args__ = (sa.UniqueConstraint("session_id", "learner_id", name="uq_waitlist_session_learner"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="learningsession.id", index=True)
    learner_id: int = Field(foreign_key="user.id", index=True)
    status: WaitlistStatus = enum_field(WaitlistStatus.WAITING)
    created_at: datetime = utc_field(default_now=True)
    offered_at: datetime | None = utc_field(nullable=True)
    offer_expires_at: datetime | None = utc_field(nullable=True)


class Review(SQLModel, table=True):
    __table_args__ = (sa.CheckConstraint("rating BETWEEN 1 AND 5", name="ck_review_rating_range"),)

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(foreign_key="booking.id", unique=True)
    session_id: int = Field(foreign_key="learningsession.id", index=True)
    learner_id: int = Field(foreign_key="user.id", index=True)
    mentor_id: int = Field(foreign_key="user.id", index=True)
    rating: int
    comment: str = Field(default="", sa_type=sa.Text)
    reply: str = Field(default="", sa_type=sa.Text)
    replied_at: datetime | None = utc_field(nullable=True)
    created_at: datetime = utc_field(default_now=True)


class AttendanceLog(SQLModel, table=True):
    """One connection of one participant to a live room (mentors included)."""

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="learningsession.id", index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    joined_at: datetime = utc_field()
    left_at: datetime | None = utc_field(nullable=True)


class ChatMessage(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="learningsession.id", index=True)
    user_id: int = Field(foreign_key="user.id")
    body: str = Field(sa_type=sa.Text)
    created_at: datetime = utc_field(default_now=True)


class Recording(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="learningsession.id", index=True)
    path: str = Field(sa_type=sa.String(500))
    started_at: datetime = utc_field()
    ended_at: datetime | None = utc_field(nullable=True)
    size_bytes: int = 0
