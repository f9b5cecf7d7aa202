"""The booking domain's read models: a learner's booking and a session's reviews as the pages and the API show them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, computed_field
from sqlmodel import Session, col, select

from peerlearn.booking.rules import SEAT_HOLDING, learner_can_cancel
from peerlearn.live.room import room_window
from peerlearn.models import Booking, LearningSession, Payment, Review
from peerlearn.models.enums import AttendanceStatus, BookingStatus, PaymentStatus
from peerlearn.models.types import utcnow


class BookingPublic(BaseModel):
    id: int
    session_id: int
    session_title: str
    start_at: datetime
    end_at: datetime
    status: BookingStatus
    price_minor: int
    discount_minor: int
    amount_due_minor: int  # the price after the coupon
    learner_fee_minor: int = 0  # the service fee on top of it
    currency: str
    hold_expires_at: datetime | None = None
    checkout_url: str | None = None
    payment_id: int | None = None
    can_cancel: bool = False
    can_review: bool = False
    room_opens_at: datetime | None = None  # the live room's window (live.room.room_window)
    room_closes_at: datetime | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def total_due_minor(self) -> int:
        """What the learner pays: the price after the coupon plus the service fee."""
        return self.amount_due_minor + self.learner_fee_minor


class CancellationPreview(BaseModel):
    """What cancelling a booking now would do, said before the learner confirms."""

    booking_id: int
    title: str
    statement: str  # e.g. "You'll get a full refund of $40.00 to your card."
    allowed: bool
    refund_minor: int
    currency: str


class BookingConfirmation(BaseModel):
    """Everything the booking's confirmation page states: the booking, who teaches it, how to get in, and what
    cancelling would do now (the rule `cancel_booking` applies, in the learner's terms)."""

    booking: BookingPublic
    mentor_id: int
    mentor_name: str
    room_opens_minutes_before: int
    cancellation: str  # e.g. "You'll get a full refund of $40.00 to your card."
    refund_policy: str  # "Cancel up to 24 hours before the start for a full refund; after that, ..."


class ReviewPublic(BaseModel):
    id: int
    session_id: int
    learner_name: str
    rating: int
    comment: str
    reply: str
    created_at: datetime


def can_review(booking: Booking, *, db: Session) -> bool:
    if booking.status != BookingStatus.COMPLETED or booking.attendance != AttendanceStatus.ATTENDED:
        return False
    return db.exec(select(Review.id).where(Review.booking_id == booking.id)).first() is None


def booking_public(
    booking: Booking, session: LearningSession, *, db: Session, now: datetime | None = None
) -> BookingPublic:
    now = now or utcnow()
    checkout_url = None
    room_opens_at, room_closes_at = room_window(session)
    paid = db.exec(
        select(Payment.id)
        .where(Payment.booking_id == booking.id, col(Payment.paid_at).is_not(None))
        .order_by(col(Payment.id).desc())
    ).first()
    if booking.status == BookingStatus.PENDING_PAYMENT:
        payment = db.exec(
            select(Payment)
            .where(Payment.booking_id == booking.id, Payment.status == PaymentStatus.PENDING)
            .order_by(col(Payment.id).desc())
        ).first()
        checkout_url = payment.checkout_url if payment else None
    return BookingPublic.model_validate(
        {
            **booking.model_dump(),
            "session_title": session.title,
            "start_at": session.start_at,
            "end_at": session.end_at,
            "amount_due_minor": booking.amount_due_minor,
            "checkout_url": checkout_url,
            "payment_id": paid,
            "can_cancel": booking.status in SEAT_HOLDING
            and learner_can_cancel(session.start_at, session.cancellation_cutoff_hours, now),
            "can_review": can_review(booking, db=db),
            "room_opens_at": room_opens_at,
            "room_closes_at": room_closes_at,
        }
    )
