"""Coupons: checked and counted on the server, exactly once per booking even under concurrent use."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlmodel import Session, col, delete, select

from peerlearn.models import Booking, Coupon, CouponRedemption, LearningSession
from peerlearn.models.enums import CouponKind
from peerlearn.models.inputs import Currency, RowId
from peerlearn.models.types import saved_id
from peerlearn.money import percent_of
from peerlearn.platform.errors import ConflictError, ErrorCode, ValidationError
from peerlearn.platform.locks import lock_row


def _invalid(message: str) -> ValidationError:
    """The code given does not apply: invalid input for this request (422), not a state conflict."""
    return ValidationError(message, ErrorCode.COUPON_INVALID)


def discount_for(coupon: Coupon, session: LearningSession, now: datetime) -> int:
    """The discount in minor units, or an error that says why the coupon does not apply."""
    if not coupon.active:
        raise _invalid("This coupon is no longer active.")
    if coupon.expires_at is not None and coupon.expires_at <= now:
        raise _invalid("This coupon has expired.")
    if coupon.max_uses is not None and coupon.used_count >= coupon.max_uses:
        raise _invalid("This coupon has been used up.")
    if coupon.mentor_id is not None and coupon.mentor_id != session.mentor_id:
        raise _invalid("This coupon is for another mentor's sessions.")
    if coupon.session_id is not None and coupon.session_id != session.id:
        raise _invalid("This coupon is for another session.")
    if session.price_minor == 0:
        raise _invalid("This session is free; no coupon needed.")
    if coupon.kind == CouponKind.PERCENT:
        discount = percent_of(session.price_minor, coupon.value * 100)  # value is a percentage
    else:
        if coupon.currency.upper() != session.currency:
            raise _invalid(f"This coupon is in {coupon.currency}, the session is priced in {session.currency}.")
        discount = coupon.value
    if discount >= session.price_minor:
        raise _invalid("This coupon would cover the whole price; it cannot be used on this session.")
    return discount


def redeem_coupon(code: str, booking: Booking, session: LearningSession, *, db: Session, now: datetime) -> int:
    """Lock the coupon, check it, count one use for this booking; returns the discount."""
    found = db.exec(select(Coupon).where(col(Coupon.code) == code.strip().upper())).first()
    coupon = lock_row(Coupon, saved_id(found), db=db) if found is not None else None
    if coupon is None:
        raise _invalid(f"No coupon '{code.strip()}'.")
    discount = discount_for(coupon, session, now)
    coupon.used_count += 1
    db.add(coupon)
    db.add(CouponRedemption(coupon_id=saved_id(coupon), booking_id=saved_id(booking)))
    booking.coupon_id, booking.discount_minor = coupon.id, discount
    db.add(booking)
    return discount


def release_coupon(booking: Booking, *, db: Session) -> None:
    """Give a use back when a booking ends before it was paid."""
    if booking.coupon_id is None:
        return
    coupon = lock_row(Coupon, booking.coupon_id, db=db)
    if coupon is not None:  # the booking's foreign key keeps it; checked so a missing row cannot fail the release
        coupon.used_count = max(0, coupon.used_count - 1)
        db.add(coupon)
    db.exec(delete(CouponRedemption).where(col(CouponRedemption.booking_id) == booking.id))
    booking.coupon_id, booking.discount_minor = None, 0
    db.add(booking)


class CouponCreate(BaseModel):
    code: str = Field(min_length=3, max_length=40, pattern=r"^[A-Za-z0-9_-]+$")
    kind: CouponKind = CouponKind.PERCENT
    value: int = Field(gt=0, le=100_000_000, description="Percent (1-100) or a fixed amount in minor units")
    currency: Currency | Literal[""] = ""
    expires_at: datetime | None = None
    max_uses: int | None = Field(default=None, ge=1, le=1_000_000)
    mentor_id: RowId | None = None
    session_id: RowId | None = None


def create_coupon(data: CouponCreate, *, db: Session) -> Coupon:
    code = data.code.strip().upper()
    if data.kind == CouponKind.PERCENT and not 1 <= data.value <= 100:
        raise _invalid("A percentage coupon takes a value from 1 to 100.")
    if data.kind == CouponKind.FIXED and len(data.currency) != 3:
        raise _invalid("A fixed-amount coupon needs its currency.")
    if db.exec(select(Coupon.id).where(Coupon.code == code)).first() is not None:
        raise ConflictError(f"The code {code} is taken.", ErrorCode.COUPON_INVALID)
    coupon = Coupon(
        code=code,
        kind=data.kind,
        value=data.value,
        currency=data.currency.upper(),
        expires_at=data.expires_at,
        max_uses=data.max_uses,
        mentor_id=data.mentor_id,
        session_id=data.session_id,
    )
    db.add(coupon)
    db.flush()
    return coupon
