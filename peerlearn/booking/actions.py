"""Learners' side: book, hold, cancel, reschedule; mentors approve; holds expire by themselves.

Seats are counted in `LearningSession.seats_taken`, changed only while the
session row is locked, so many learners racing for the last seat never
overbook (a CHECK constraint backs this up).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from peerlearn import links
from peerlearn.accounts.actions import require_role
from peerlearn.billing.coupons import redeem_coupon, release_coupon
from peerlearn.billing.fees import current_learner_fee
from peerlearn.billing.payments import refund_booking, start_checkout
from peerlearn.booking import notices
from peerlearn.booking.public import BookingConfirmation, BookingPublic, CancellationPreview, booking_public
from peerlearn.booking.queries import lock_listed_session
from peerlearn.booking.rules import (
    SEAT_HOLDING,
    LearnerCancellation,
    cancellation_deadline,
    check_bookable,
    closed_at,
    describe_learner_cancellation,
    describe_refund_policy,
    learner_can_cancel,
    learner_cancellation,
    overlaps,
)
from peerlearn.booking.waitlist import offer_next_seat, take_offer
from peerlearn.config import get_settings
from peerlearn.insights.interactions import log_interaction
from peerlearn.models import Booking, LearningSession, Payment, User, WaitlistEntry
from peerlearn.models.enums import (
    BookingStatus,
    InteractionKind,
    NotificationKind,
    PaymentStatus,
    SessionStatus,
    UserRole,
    WaitlistStatus,
)
from peerlearn.models.types import linked_row, saved_id, utcnow
from peerlearn.platform import notifications
from peerlearn.platform.errors import ConflictError, ErrorCode, NotFoundError, PermissionDeniedError, RuleViolationError
from peerlearn.platform.locks import lock_linked, lock_row, lock_session
from peerlearn.platform.timefmt import format_duration, format_for_user, user_zone


def _check_learner_free(
    learner_id: int, session: LearningSession, *, db: Session, ignore_booking_id: int | None = None
) -> None:
    rows = db.exec(
        select(Booking, LearningSession)
        .join(LearningSession, col(LearningSession.id) == Booking.session_id)
        .where(
            Booking.learner_id == learner_id,
            col(Booking.status).in_(list(SEAT_HOLDING)),
            LearningSession.start_at < session.end_at,
            LearningSession.end_at > session.start_at,
        )
    ).all()
    for booking, other in rows:
        if booking.id == ignore_booking_id:
            continue
        if other.id == session.id:
            raise ConflictError("You have already booked this session.", ErrorCode.ALREADY_BOOKED)
        if overlaps(session.start_at, session.end_at, other.start_at, other.end_at):
            raise ConflictError(f"This overlaps your booking of '{other.title}'.", ErrorCode.OVERLAP)


def book_session(
    learner: User,
    session_id: int,
    *,
    db: Session,
    coupon_code: str | None = None,
    now: datetime | None = None,
    zone: str | None = None,
) -> tuple[Booking, Payment | None]:
    """Take a seat. Free sessions confirm at once; paid ones hold the seat while the learner pays.

    `zone`: where a refusal quotes its times (the page's viewer zone; by default the learner's profile zone)."""
    require_role(learner, UserRole.LEARNER)
    now = now or utcnow()
    learner_id = saved_id(learner)
    session = lock_listed_session(session_id, db=db)
    check_bookable(session, learner_id, now, zone or user_zone(learner_id, db=db))
    _check_learner_free(learner_id, session, db=db)
    if not take_offer(session, learner_id, db=db, now=now):
        if session.seats_taken >= session.capacity:
            raise ConflictError("This session is full. You can join the waitlist.", ErrorCode.SESSION_FULL)
        session.seats_taken += 1
    db.add(session)
    booking = Booking(
        session_id=saved_id(session),
        learner_id=learner_id,
        price_minor=session.price_minor,
        currency=session.currency,
        created_at=now,
    )
    db.add(booking)
    db.flush()
    if coupon_code:
        redeem_coupon(coupon_code, booking, session, db=db, now=now)
    booking.learner_fee_minor = current_learner_fee(booking.amount_due_minor, booking.currency)
    payment = None
    if booking.amount_due_minor > 0:
        booking.status = BookingStatus.PENDING_PAYMENT
        booking.hold_expires_at = now + timedelta(minutes=get_settings().booking_hold_minutes)
        db.add(booking)
        db.flush()
        payment = start_checkout(booking, db=db)
    elif session.requires_approval:
        booking.status = BookingStatus.PENDING_APPROVAL
        notices.approval_needed(session, body=f"{learner.full_name} asked to join.", db=db)
    else:
        booking.status, booking.confirmed_at = BookingStatus.CONFIRMED, now
        notices.booking_confirmed(
            learner_id,
            session,
            learner_body="Your seat is confirmed.",
            mentor_body=f"{learner.full_name} booked a seat.",
            db=db,
        )
    db.add(booking)
    db.flush()
    log_interaction(db, learner_id, saved_id(session), InteractionKind.BOOK)
    return booking, payment


def _release_seat(booking: Booking, session: LearningSession, *, db: Session, now: datetime) -> None:
    """Give the seat back and offer it to the first learner waiting."""
    session.seats_taken = max(0, session.seats_taken - 1)
    db.add(session)
    offer_next_seat(session, db=db, now=now)


def expire_holds(*, db: Session, now: datetime | None = None) -> int:
    """End seat holds whose payment did not arrive in time; each seat goes back (or to the waitlist)."""
    now = now or utcnow()
    due = db.exec(
        select(Booking.id).where(Booking.status == BookingStatus.PENDING_PAYMENT, col(Booking.hold_expires_at) <= now)
    ).all()
    expired = 0
    for booking_id in due:
        if booking_id is None:  # selected from saved rows
            continue
        session = lock_linked(LearningSession, linked_row(Booking, booking_id, db=db).session_id, db=db)
        booking = lock_linked(Booking, booking_id, db=db)
        if booking.status != BookingStatus.PENDING_PAYMENT:
            continue
        booking.status, booking.hold_expires_at = BookingStatus.EXPIRED, None
        db.add(booking)
        release_coupon(booking, db=db)
        _release_seat(booking, session, db=db, now=now)
        notifications.notify(
            booking.learner_id,
            NotificationKind.SYSTEM,
            f"Seat hold ended: {session.title}",
            body="We did not receive your payment in time, so the seat was released.",
            link=links.session_link(saved_id(session)),
            db=db,
            email=False,
        )
        expired += 1
    return expired


def _own_booking(user: User, booking_id: int, *, db: Session) -> Booking:
    booking = lock_row(Booking, booking_id, db=db)
    if booking is None or booking.learner_id != user.id:
        raise NotFoundError("No such booking.")
    return booking


def _paid_for(booking: Booking, *, db: Session) -> Payment | None:
    return db.exec(
        select(Payment).where(Payment.booking_id == booking.id, Payment.status == PaymentStatus.SUCCEEDED)
    ).first()


def _cancellation(
    booking: Booking, session: LearningSession, paid: Payment | None, now: datetime, zone: str
) -> LearnerCancellation:
    paid_minor = paid.amount_minor if paid is not None else None
    currency = paid.currency if paid else booking.currency
    return learner_cancellation(booking.status, session, paid_minor, currency, now, zone)


def cancellation_preview(
    learner: User, booking_id: int, *, db: Session, now: datetime | None = None, zone: str | None = None
) -> CancellationPreview:
    """What cancelling this booking now would do, in the learner's terms (the same rule `cancel_booking` applies)."""
    now = now or utcnow()
    booking = db.get(Booking, booking_id)
    if booking is None or booking.learner_id != learner.id:
        raise NotFoundError("No such booking.")
    session = linked_row(LearningSession, booking.session_id, db=db)
    paid = _paid_for(booking, db=db)
    outcome = _cancellation(booking, session, paid, now, zone or user_zone(learner.id, db=db))
    to_card = paid is None or paid.provider != "razorpay"
    return CancellationPreview(
        booking_id=booking_id,
        title=session.title,
        statement=describe_learner_cancellation(outcome, to_card=to_card),
        allowed=outcome.refusal is None,
        refund_minor=outcome.refund_minor,
        currency=outcome.currency,
    )


def cancel_booking(
    learner: User, booking_id: int, *, db: Session, now: datetime | None = None, zone: str | None = None
) -> tuple[Booking, int]:
    """Cancel before the cut-off, refunded as the session's policy says. Returns the booking and the refund.
    `zone`: where a refusal quotes the cut-off (the page's viewer zone; by default the learner's profile zone)."""
    now = now or utcnow()
    booking = _own_booking(learner, booking_id, db=db)
    session = lock_linked(LearningSession, booking.session_id, db=db)
    paid = _paid_for(booking, db=db)
    outcome = _cancellation(booking, session, paid, now, zone or user_zone(learner.id, db=db))
    if outcome.refusal is not None:
        raise outcome.refusal
    refunded = 0
    if paid is not None:
        amount = outcome.refund_minor
        refunded = refund_booking(booking, amount, reason="Cancelled by the learner", db=db, now=now) if amount else 0
    else:
        release_coupon(booking, db=db)
    booking.status = BookingStatus.REFUNDED if refunded else BookingStatus.CANCELLED
    booking.cancelled_at, booking.cancel_reason, booking.hold_expires_at = now, "Cancelled by the learner", None
    db.add(booking)
    _release_seat(booking, session, db=db, now=now)
    session_id = saved_id(session)
    notifications.notify(
        saved_id(learner),
        NotificationKind.BOOKING_CANCELLED,
        f"Cancelled: {session.title}",
        body=f"Your booking for {format_for_user(session.start_at, saved_id(learner), db=db)} is cancelled."
        + (" A refund is on its way." if refunded else ""),
        link=links.session_link(session_id),
        session_id=session_id,
        db=db,
    )
    notifications.notify(
        session.mentor_id,
        NotificationKind.BOOKING_CANCELLED,
        f"A learner cancelled: {session.title}",
        link=links.teach_session_link(session_id),
        db=db,
        email=False,
    )
    db.flush()
    return booking, refunded


def reschedule_booking(
    learner: User,
    booking_id: int,
    target_session_id: int,
    *,
    db: Session,
    now: datetime | None = None,
    zone: str | None = None,
) -> Booking:
    """Move a confirmed booking to another session of the same mentor at the same price, without paying again.
    `zone`: where a refusal quotes its times (the page's viewer zone; by default the learner's profile zone)."""
    now = now or utcnow()
    booking = _own_booking(learner, booking_id, db=db)
    if booking.status != BookingStatus.CONFIRMED:
        raise RuleViolationError("Only a confirmed booking can be rescheduled.", ErrorCode.RESCHEDULE_NOT_ALLOWED)
    if target_session_id == booking.session_id:
        raise ConflictError("That is the session you already booked.", ErrorCode.RESCHEDULE_NOT_ALLOWED)
    # Lock both sessions in id order so two reschedules in opposite directions cannot deadlock.
    first, second = sorted({booking.session_id, target_session_id})
    locked = {first: lock_session(first, db=db), second: lock_session(second, db=db)}
    source, target = locked[booking.session_id], locked[target_session_id]
    if source is None:
        raise LookupError(f"LearningSession {booking.session_id} is missing")  # the booking's foreign key keeps it
    if target is None or target.status != SessionStatus.PUBLISHED:
        raise NotFoundError("No such session to move to.")
    if (
        target.mentor_id != source.mentor_id
        or target.price_minor != source.price_minor
        or target.currency != source.currency
    ):
        raise RuleViolationError(
            "You can move only to a session of the same mentor at the same price.", ErrorCode.RESCHEDULE_NOT_ALLOWED
        )
    learner_id = saved_id(learner)
    zone = zone or user_zone(learner_id, db=db)
    if not learner_can_cancel(source.start_at, source.cancellation_cutoff_hours, now):
        deadline = cancellation_deadline(source.start_at, source.cancellation_cutoff_hours)
        raise RuleViolationError(
            f"Changes {closed_at(deadline, format_duration(source.cancellation_cutoff_hours, 'hour'), zone)}.",
            ErrorCode.CANCELLATION_CUTOFF,
        )
    check_bookable(target, learner_id, now, zone)
    _check_learner_free(learner_id, target, db=db, ignore_booking_id=booking.id)
    if not take_offer(target, learner_id, db=db, now=now):
        if target.seats_taken >= target.capacity:
            raise ConflictError("That session is full.", ErrorCode.SESSION_FULL)
        target.seats_taken += 1
    moved = Booking(
        session_id=saved_id(target),
        learner_id=learner_id,
        status=BookingStatus.CONFIRMED,
        price_minor=booking.price_minor,
        discount_minor=booking.discount_minor,
        learner_fee_minor=booking.learner_fee_minor,
        currency=booking.currency,
        coupon_id=booking.coupon_id,
        created_at=now,
        confirmed_at=now,
        rescheduled_from_id=booking.id,
    )
    db.add(moved)
    db.flush()
    for payment in db.exec(select(Payment).where(Payment.booking_id == booking.id)):
        payment.booking_id = saved_id(moved)  # the money follows the seat
        db.add(payment)
    booking.status, booking.cancelled_at, booking.cancel_reason = (
        BookingStatus.CANCELLED,
        now,
        f"Rescheduled to booking {moved.id}",
    )
    booking.coupon_id = None
    db.add_all([booking, target])
    _release_seat(booking, source, db=db, now=now)
    notifications.notify(
        learner_id,
        NotificationKind.BOOKING_CANCELLED,
        f"Moved from: {source.title}",
        body=f"Your booking moved to {format_for_user(target.start_at, learner_id, db=db)}.",
        link=links.session_link(saved_id(target)),
        session_id=source.id,
        db=db,
    )
    notifications.notify(
        learner_id,
        NotificationKind.BOOKING_RESCHEDULED,
        f"Rescheduled: {target.title}",
        body="Your seat in the new session is confirmed.",
        link=links.session_link(saved_id(target)),
        session_id=target.id,
        db=db,
    )
    db.flush()
    return moved


def decide_booking(mentor: User, booking_id: int, accept: bool, *, db: Session, now: datetime | None = None) -> Booking:
    """A mentor accepts or declines a booking that waits for approval (declined ones are released and refunded)."""
    now = now or utcnow()
    booking = lock_row(Booking, booking_id, db=db)
    session = lock_session(booking.session_id, db=db) if booking else None
    if booking is None or session is None or session.mentor_id != mentor.id:
        raise NotFoundError("No such booking.")
    if booking.status != BookingStatus.PENDING_APPROVAL:
        raise RuleViolationError("This booking is not waiting for approval.", ErrorCode.INVALID_STATE)
    if accept:
        booking.status, booking.confirmed_at = BookingStatus.CONFIRMED, now
        notifications.notify(
            booking.learner_id,
            NotificationKind.BOOKING_CONFIRMED,
            f"Accepted: {session.title}",
            body=f"The mentor accepted your booking. {notices.starts_for(session, booking.learner_id, db=db)}",
            link=links.session_link(saved_id(session)),
            session_id=session.id,
            db=db,
        )
    else:
        refunded = refund_booking(booking, None, reason="Declined by the mentor", db=db, now=now)
        booking.status = BookingStatus.DECLINED
        booking.cancelled_at, booking.cancel_reason = now, "Declined by the mentor"
        _release_seat(booking, session, db=db, now=now)
        notifications.notify(
            booking.learner_id,
            NotificationKind.BOOKING_CANCELLED,
            f"Declined: {session.title}",
            body="The mentor could not accept your booking for "
            f"{format_for_user(session.start_at, booking.learner_id, db=db)}."
            + (" You are refunded in full." if refunded else ""),
            link=links.session_link(saved_id(session)),
            db=db,
        )
    db.add(booking)
    db.flush()
    return booking


def list_bookings(user: User, *, db: Session, now: datetime | None = None) -> list[BookingPublic]:
    rows = db.exec(
        select(Booking, LearningSession)
        .join(LearningSession, col(LearningSession.id) == Booking.session_id)
        .where(Booking.learner_id == user.id)
        .order_by(col(LearningSession.start_at).desc())
    ).all()
    return [booking_public(b, s, db=db, now=now) for b, s in rows]


def get_booking(user: User, booking_id: int, *, db: Session) -> BookingPublic:
    booking = db.get(Booking, booking_id)
    if booking is None or booking.learner_id != user.id:
        raise NotFoundError("No such booking.")
    return booking_public(booking, linked_row(LearningSession, booking.session_id, db=db), db=db)


def booking_confirmation(
    user: User, booking_id: int, *, db: Session, now: datetime | None = None, zone: str | None = None
) -> BookingConfirmation:
    """The learner's own booking as its confirmation page states it (someone else's is as unknown as none)."""
    now = now or utcnow()
    booking = db.get(Booking, booking_id)
    if booking is None or booking.learner_id != user.id:
        raise NotFoundError("No such booking.")
    session = linked_row(LearningSession, booking.session_id, db=db)
    mentor = linked_row(User, session.mentor_id, db=db)
    paid = _paid_for(booking, db=db)
    outcome = _cancellation(booking, session, paid, now, zone or user_zone(user.id, db=db))
    public = booking_public(booking, session, db=db, now=now)
    opens = public.room_opens_at or session.start_at
    return BookingConfirmation(
        booking=public,
        mentor_id=saved_id(mentor),
        mentor_name=mentor.full_name,
        room_opens_minutes_before=max(0, int((session.start_at - opens).total_seconds() // 60)),
        cancellation=describe_learner_cancellation(outcome, to_card=paid is None or paid.provider != "razorpay"),
        refund_policy=describe_refund_policy(
            session.refund_policy, session.partial_refund_percent, session.cancellation_cutoff_hours
        ),
    )


def session_participants(mentor: User, session_id: int, *, db: Session) -> list[dict[str, Any]]:
    """Booked learners and the waitlist of one of the mentor's sessions."""
    session = db.get(LearningSession, session_id)
    if session is None or (session.mentor_id != mentor.id and not mentor.is_admin):
        raise PermissionDeniedError("Only the session's mentor can see who booked.")
    rows = db.exec(
        select(Booking, User)
        .join(User, col(User.id) == Booking.learner_id)
        .where(Booking.session_id == session_id)
        .order_by(col(Booking.created_at))
    ).all()
    waiting = db.exec(
        select(WaitlistEntry, User)
        .join(User, col(User.id) == WaitlistEntry.learner_id)
        .where(
            WaitlistEntry.session_id == session_id,
            col(WaitlistEntry.status).in_([WaitlistStatus.WAITING, WaitlistStatus.OFFERED]),
        )
        .order_by(col(WaitlistEntry.created_at))
    ).all()
    return [
        {"booking_id": b.id, "learner": u.full_name, "status": b.status.value, "attendance": b.attendance.value}
        for b, u in rows
    ] + [
        {"booking_id": None, "learner": u.full_name, "status": f"waitlist:{w.status.value}", "attendance": ""}
        for w, u in waiting
    ]


def reschedule_options(
    learner: User, booking_id: int, *, db: Session, now: datetime | None = None
) -> list[LearningSession]:
    """Sessions this booking could move to: same mentor, same price and currency, upcoming, with a seat."""
    now = now or utcnow()
    booking = db.get(Booking, booking_id)
    if booking is None or booking.learner_id != learner.id:
        raise NotFoundError("No such booking.")
    source = linked_row(LearningSession, booking.session_id, db=db)
    return list(
        db.exec(
            select(LearningSession)
            .where(
                LearningSession.mentor_id == source.mentor_id,
                LearningSession.id != source.id,
                LearningSession.status == SessionStatus.PUBLISHED,
                LearningSession.price_minor == source.price_minor,
                LearningSession.currency == source.currency,
                LearningSession.start_at > now,
                LearningSession.seats_taken < LearningSession.capacity,
            )
            .order_by(col(LearningSession.start_at))
            .limit(20)
        )
    )


def my_waitlists(learner: User, *, db: Session) -> list[tuple[WaitlistEntry, LearningSession]]:
    return list(
        db.exec(
            select(WaitlistEntry, LearningSession)
            .join(LearningSession, col(LearningSession.id) == WaitlistEntry.session_id)
            .where(
                WaitlistEntry.learner_id == learner.id,
                col(WaitlistEntry.status).in_([WaitlistStatus.WAITING, WaitlistStatus.OFFERED]),
            )
            .order_by(col(LearningSession.start_at))
        ).all()
    )
