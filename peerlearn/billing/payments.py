"""Payments for bookings: checkout, webhook events, refunds. Money is never decided by the browser.

Every provider event goes the same way: the gateway verifies the signature on
the raw body, the (provider, event id) pair is recorded under a unique
constraint (a duplicate stops there), and only then is the event applied. A
payment confirms only what was charged: a success reporting another amount or
currency waits for an admin (`needs_review`) instead.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from peerlearn import links
from peerlearn.billing.ledger import record_charge, record_refund
from peerlearn.billing.provider_events import payment_settings
from peerlearn.billing.provider_events import record_event as _record_event
from peerlearn.billing.receipts import charge_sentence
from peerlearn.booking import notices
from peerlearn.booking.rules import takes_learners
from peerlearn.config import get_settings
from peerlearn.models import Booking, LearningSession, Payment, Refund, User
from peerlearn.models.enums import BookingStatus, NotificationKind, PaymentStatus, RefundStatus
from peerlearn.models.types import linked_row, saved_id, utcnow
from peerlearn.payments.base import CheckoutRequest, PaymentError, PaymentEvent, PaymentEventKind
from peerlearn.payments.razorpay_gateway import RazorpayGateway
from peerlearn.payments.registry import gateway_by_name, select_gateway
from peerlearn.platform import notifications
from peerlearn.platform.errors import ConflictError, ErrorCode, NotFoundError, ServiceError
from peerlearn.platform.locks import lock_linked, lock_row
from peerlearn.subscriptions.actions import SUBSCRIPTION_KINDS, apply_subscription_event
from peerlearn.subscriptions.queries import commission_bps_at

log = logging.getLogger(__name__)


class PaymentServiceError(ServiceError):
    code = ErrorCode.PAYMENT_ERROR


class EventNotReadyError(ServiceError):
    """The event depends on one not seen yet (e.g. a refund before its payment): the provider should retry."""

    code = ErrorCode.INVALID_STATE


def start_checkout(booking: Booking, *, db: Session) -> Payment:
    """Create (or reuse) the payment for a booking that waits for payment, and its hosted checkout."""
    existing = db.exec(
        select(Payment).where(
            Payment.booking_id == booking.id, col(Payment.status).in_([PaymentStatus.CREATED, PaymentStatus.PENDING])
        )
    ).first()
    if existing is not None and existing.checkout_url:
        return existing
    held = db.exec(
        select(Payment.id).where(Payment.booking_id == booking.id, Payment.status == PaymentStatus.NEEDS_REVIEW)
    ).first()
    if held is not None:
        raise ConflictError(
            "An earlier payment for this booking is being checked by our team; we will contact you.",
            ErrorCode.INVALID_STATE,
        )
    learner = linked_row(User, booking.learner_id, db=db)
    session = linked_row(LearningSession, booking.session_id, db=db)
    if booking.commission_bps is None:  # the mentor's plan when the booking was made, kept for good
        booking.commission_bps = commission_bps_at(session.mentor_id, booking.created_at, db=db)
        db.add(booking)
    gateway = select_gateway(booking.currency, payment_settings())
    attempt = db.exec(select(func.count()).select_from(Payment).where(Payment.booking_id == booking.id)).one() + 1
    payment = Payment(
        booking_id=saved_id(booking),
        learner_id=booking.learner_id,
        provider=gateway.name,
        idempotency_key=f"booking-{booking.id}-attempt-{attempt}",
        amount_minor=booking.total_due_minor,
        learner_fee_minor=booking.learner_fee_minor,
        currency=booking.currency,
        status=PaymentStatus.CREATED,
    )
    db.add(payment)
    db.flush()
    base = get_settings().base_url
    # Razorpay sends the payer back with a signature to check; the others go straight to the booking page.
    success_url = (
        f"{base}/api/payments/razorpay/callback/"
        if gateway.name == "razorpay"
        else f"{base}/bookings/{booking.id}?paid=1"
    )
    hold_seconds = int((booking.hold_expires_at - utcnow()).total_seconds()) if booking.hold_expires_at else 1800
    try:
        result = gateway.create_checkout(
            CheckoutRequest(
                payment_id=saved_id(payment),
                booking_id=saved_id(booking),
                amount_minor=payment.amount_minor,
                currency=payment.currency,
                description=f"PeerLearn: {session.title}",
                customer_email=learner.email,
                success_url=success_url,
                cancel_url=f"{base}/sessions/{saved_id(session)}",
                idempotency_key=payment.idempotency_key,
                expires_in_seconds=max(hold_seconds, 1800),
            )
        )
    except PaymentError as error:
        log.warning("checkout failed for booking %s: %s (%s)", booking.id, error, error.detail)
        raise PaymentServiceError(f"The payment provider could not start a checkout: {error}") from error
    payment.provider_ref, payment.checkout_url, payment.status = (
        result.provider_ref,
        result.checkout_url,
        PaymentStatus.PENDING,
    )
    db.add(payment)
    db.flush()
    return payment


def handle_webhook(
    provider: str, raw_body: bytes, headers: Mapping[str, str], *, db: Session, now: datetime | None = None
) -> str:
    """Verify, record, apply. Returns 'applied', 'flagged', 'duplicate' or 'ignored'. A bad signature raises.

    'flagged' (the provider reported another amount or currency than was charged) is answered 200 like the
    others: the event is recorded and an admin has been told, so a redelivery would change nothing.
    """
    gateway = gateway_by_name(provider, payment_settings())
    event = gateway.parse_webhook(raw_body, headers)  # SignatureError propagates: nothing recorded
    return apply_payment_event(event, db=db, now=now)


def apply_payment_event(event: PaymentEvent, *, db: Session, now: datetime | None = None) -> str:
    now = now or utcnow()
    if event.kind == PaymentEventKind.IGNORED:
        return "ignored"
    if not _record_event(event, db=db):
        return "duplicate"
    if event.kind in SUBSCRIPTION_KINDS:
        return apply_subscription_event(event, db=db, now=now)
    handlers = {
        PaymentEventKind.PAYMENT_SUCCEEDED: _payment_succeeded,
        PaymentEventKind.PAYMENT_FAILED: _payment_failed,
        PaymentEventKind.CHECKOUT_EXPIRED: _checkout_expired,
        PaymentEventKind.REFUND_SUCCEEDED: _refund_succeeded,
    }
    return handlers[event.kind](event, db=db, now=now) or "applied"


def _payment_for(event: PaymentEvent, *, db: Session) -> Payment | None:
    query = select(Payment).where(Payment.provider == event.provider)
    if event.provider_ref:
        query = query.where(Payment.provider_ref == event.provider_ref)
    elif event.provider_payment_id:
        query = query.where(Payment.provider_payment_id == event.provider_payment_id)
    else:
        return None
    payment = db.exec(query).first()
    return lock_row(Payment, payment.id, db=db) if payment else None


def _payment_succeeded(event: PaymentEvent, *, db: Session, now: datetime) -> str | None:
    payment = _payment_for(event, db=db)
    if payment is None:
        log.warning("payment event %s for an unknown checkout %s", event.event_id, event.provider_ref)
        return None
    if payment.status in (PaymentStatus.SUCCEEDED, PaymentStatus.REFUNDED, PaymentStatus.PARTIALLY_REFUNDED):
        return None
    if payment.status == PaymentStatus.NEEDS_REVIEW:
        log.warning("payment %s is under review; event %s not applied", payment.id, event.event_id)
        return "flagged"
    mismatch = charge_mismatch(event, payment)
    if mismatch:
        _flag_for_review(payment, mismatch, db=db, now=now)
        return "flagged"
    booking = linked_row(Booking, payment.booking_id, db=db)
    session = lock_linked(LearningSession, booking.session_id, db=db)
    payment.status, payment.paid_at = PaymentStatus.SUCCEEDED, now
    payment.provider_payment_id = event.provider_payment_id or payment.provider_payment_id
    db.add(payment)
    settings = get_settings()
    record_charge(
        payment,
        mentor_id=session.mentor_id,
        commission_rate=settings.commission_rate if booking.commission_bps is None else booking.commission_bps,
        discount_minor=booking.discount_minor,
        available_at=session.end_at + timedelta(hours=settings.payout_delay_hours),
        db=db,
    )
    db.flush()
    if booking.status == BookingStatus.PENDING_PAYMENT:
        _confirm_paid(booking, session, payment, db=db, now=now)
    elif booking.status in (BookingStatus.EXPIRED, BookingStatus.CANCELLED) and _seat_still_available(session, now):
        session.seats_taken += 1
        db.add(session)
        _confirm_paid(booking, session, payment, db=db, now=now)
    elif booking.status not in (BookingStatus.CONFIRMED, BookingStatus.PENDING_APPROVAL, BookingStatus.COMPLETED):
        # The seat is gone (hold expired on a now-full session, or the session was cancelled): give the money back.
        refund_booking(booking, None, reason="Paid after the seat was released", db=db)
        booking.status = BookingStatus.REFUNDED
        db.add(booking)
        notifications.notify(
            booking.learner_id,
            NotificationKind.PAYMENT_REFUNDED,
            f"Refunded: {session.title}",
            body="Your payment arrived after your seat hold ended and the session had filled up, "
            "so we refunded it in full.",
            link=links.session_link(saved_id(session)),
            db=db,
        )
    return None


def charge_mismatch(event: PaymentEvent, payment: Payment) -> str:
    """Why the provider's report does not match what was charged ('' when it matches exactly).

    A success that does not say what was paid is not trusted either: every supported provider sends both.
    """
    problems = []
    if event.amount_minor != payment.amount_minor:
        problems.append(f"amount {event.amount_minor} instead of {payment.amount_minor}")
    if (event.currency or "").upper() != payment.currency.upper():
        problems.append(f"currency {event.currency or 'missing'} instead of {payment.currency}")
    return ", ".join(problems)


def _flag_for_review(payment: Payment, mismatch: str, *, db: Session, now: datetime) -> None:
    """Keep the booking unconfirmed and the ledger untouched; tell the admins and the learner."""
    log.error("payment %s: provider reported %s; held for review", payment.id, mismatch)
    payment.status, payment.flagged_at = PaymentStatus.NEEDS_REVIEW, now
    payment.review_reason = f"{payment.provider} reported {mismatch}"[:255]
    db.add(payment)
    notifications.notify_admins(
        NotificationKind.PAYMENT_NEEDS_REVIEW,
        f"Payment {payment.id} needs review",
        body=f"The payment for booking {payment.booking_id} (provider reference {payment.provider_ref}) was not "
        f"confirmed: {payment.review_reason}. Check it in the provider's dashboard, then refund it there or contact "
        "the learner. All payments waiting for review: GET /api/admin/payments/review/.",
        link=links.INSIGHTS,
        db=db,
    )
    notifications.notify(
        payment.learner_id,
        NotificationKind.SYSTEM,
        "We are checking your payment",
        body="The payment provider's confirmation did not match your booking's price, so your seat is not "
        "confirmed yet. Our team has been told and will get back to you.",
        link=links.booking_link(payment.booking_id),
        db=db,
        email=False,
    )


def payments_needing_review(*, db: Session) -> list[Payment]:
    return list(
        db.exec(select(Payment).where(Payment.status == PaymentStatus.NEEDS_REVIEW).order_by(col(Payment.flagged_at)))
    )


def _seat_still_available(session: LearningSession, now: datetime) -> bool:
    return takes_learners(session, now) and session.seats_taken < session.capacity


def _confirm_paid(booking: Booking, session: LearningSession, payment: Payment, *, db: Session, now: datetime) -> None:
    booking.hold_expires_at = None
    if session.requires_approval:
        booking.status = BookingStatus.PENDING_APPROVAL
        notices.approval_needed(session, body="A learner paid and waits for your approval.", db=db)
        return
    booking.status, booking.confirmed_at = BookingStatus.CONFIRMED, now
    db.add(booking)
    paid = charge_sentence(
        payment.amount_minor - payment.learner_fee_minor + booking.discount_minor,
        booking.discount_minor,
        payment.learner_fee_minor,
        payment.currency,
    )
    notices.booking_confirmed(
        booking.learner_id,
        session,
        learner_body=f"Your payment went through and your seat is confirmed. {paid}",
        db=db,
    )


def _payment_failed(event: PaymentEvent, *, db: Session, now: datetime) -> None:
    payment = _payment_for(event, db=db)
    if payment is not None and payment.status in (PaymentStatus.CREATED, PaymentStatus.PENDING):
        payment.status = PaymentStatus.FAILED
        db.add(payment)
        notifications.notify(
            payment.learner_id,
            NotificationKind.SYSTEM,
            "Payment declined",
            body="Your card was declined. Your seat stays held until the hold ends; you can try again.",
            link=links.booking_link(payment.booking_id),
            db=db,
            email=False,
        )


def _checkout_expired(event: PaymentEvent, *, db: Session, now: datetime) -> None:
    payment = _payment_for(event, db=db)
    if payment is not None and payment.status in (PaymentStatus.CREATED, PaymentStatus.PENDING):
        payment.status = PaymentStatus.EXPIRED
        db.add(payment)


def _refund_succeeded(event: PaymentEvent, *, db: Session, now: datetime) -> None:
    if event.refund_id:
        refund = db.exec(select(Refund).where(Refund.provider_refund_id == event.refund_id)).first()
        if refund is not None:
            refund.status, refund.completed_at = RefundStatus.SUCCEEDED, now
            db.add(refund)
            return
    payment = _payment_for(event, db=db)
    if payment is not None and payment.status == PaymentStatus.NEEDS_REVIEW:
        # Nothing was booked for it, so there is nothing to reverse; the admins already look at it.
        log.warning("refund event %s for payment %s under review: recorded only", event.event_id, payment.id)
        return
    if payment is None or payment.status not in (
        PaymentStatus.SUCCEEDED,
        PaymentStatus.PARTIALLY_REFUNDED,
        PaymentStatus.REFUNDED,
    ):
        # A refund of a payment we have not seen complete: let the provider deliver it again later.
        raise EventNotReadyError("This refund's payment has not been recorded yet; retry later.")
    # A refund made outside PeerLearn (e.g. in the provider's dashboard): record what is new.
    total = (
        event.refunded_total_minor
        if event.refunded_total_minor is not None
        else payment.refunded_minor + (event.amount_minor or 0)
    )
    new = min(total, payment.amount_minor) - payment.refunded_minor
    if new > 0:
        _book_refund(
            payment, new, event.refund_id or "", RefundStatus.SUCCEEDED, "Refunded at the provider", db=db, now=now
        )


def refund_booking(
    booking: Booking, amount_minor: int | None, *, reason: str, db: Session, now: datetime | None = None
) -> int:
    """Refund a booking's successful payment (all that is left when `amount_minor` is None). Returns the amount."""
    now = now or utcnow()
    paid = db.exec(
        select(Payment).where(
            Payment.booking_id == booking.id,
            col(Payment.status).in_([PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED]),
        )
    ).first()
    if paid is None:
        return 0
    payment = lock_linked(Payment, saved_id(paid), db=db)
    left = payment.amount_minor - payment.refunded_minor
    amount = left if amount_minor is None else min(amount_minor, left)
    if amount <= 0:
        return 0
    gateway = gateway_by_name(payment.provider, payment_settings())
    count = db.exec(select(func.count()).select_from(Refund).where(Refund.payment_id == payment.id)).one()
    try:
        result = gateway.refund(
            payment.provider_payment_id, amount, payment.currency, f"refund-{payment.id}-{count + 1}"
        )
    except PaymentError as error:
        log.warning("refund failed for payment %s: %s (%s)", payment.id, error, error.detail)
        raise PaymentServiceError(f"The refund could not be made right now ({error}); nothing was changed.") from error
    status = RefundStatus.SUCCEEDED if result.status == RefundStatus.SUCCEEDED else RefundStatus.PENDING
    _book_refund(payment, amount, result.provider_refund_id, status, reason, db=db, now=now)
    return amount


def _book_refund(
    payment: Payment,
    amount: int,
    provider_refund_id: str,
    status: RefundStatus,
    reason: str,
    *,
    db: Session,
    now: datetime,
) -> Refund:
    refund = Refund(
        payment_id=saved_id(payment),
        amount_minor=amount,
        currency=payment.currency,
        status=status,
        provider_refund_id=provider_refund_id,
        reason=reason,
        completed_at=now if status == RefundStatus.SUCCEEDED else None,
    )
    db.add(refund)
    db.flush()
    booking = linked_row(Booking, payment.booking_id, db=db)
    session = linked_row(LearningSession, booking.session_id, db=db)
    record_refund(payment, refund, mentor_id=session.mentor_id, discount_minor=booking.discount_minor, db=db)
    payment.refunded_minor += amount
    payment.status = (
        PaymentStatus.REFUNDED if payment.refunded_minor >= payment.amount_minor else PaymentStatus.PARTIALLY_REFUNDED
    )
    db.add(payment)
    return refund


def payment_for_booking(booking_id: int, learner: User, *, db: Session) -> Payment:
    booking = db.get(Booking, booking_id)
    if booking is None or (booking.learner_id != learner.id and not learner.is_admin):
        raise NotFoundError("No such booking.")
    payment = db.exec(select(Payment).where(Payment.booking_id == booking_id).order_by(col(Payment.id).desc())).first()
    if payment is None:
        raise ConflictError("This booking has no payment.", ErrorCode.INVALID_STATE)
    return payment


def payments_of(user: User, *, db: Session) -> list[Payment]:
    return list(db.exec(select(Payment).where(Payment.learner_id == user.id).order_by(col(Payment.created_at).desc())))


def verify_razorpay_callback(query: Mapping[str, str], *, db: Session) -> int | None:
    """The booking id when the callback's signature matches the payment link we created, else None.

    The link id to verify against comes from our own Payment row (found by the
    reference id we set), never from the query string alone.
    """
    reference = query.get("razorpay_payment_link_reference_id", "")
    payment = db.exec(select(Payment).where(Payment.idempotency_key == reference)).first() if reference else None
    if payment is None or payment.provider != "razorpay":
        return None
    gateway = gateway_by_name("razorpay", payment_settings())
    if not isinstance(gateway, RazorpayGateway):  # only Razorpay sends the payer back with a signature
        return None
    return payment.booking_id if gateway.verify_callback(payment.provider_ref, dict(query)) else None


def simulated_checkout(provider_ref: str, *, db: Session) -> Payment:
    payment = db.exec(
        select(Payment).where(Payment.provider == "simulated", Payment.provider_ref == provider_ref)
    ).first()
    if payment is None:
        raise NotFoundError("No such checkout.")
    return payment


def simulated_pay(provider_ref: str, card_number: str, *, db: Session) -> tuple[bytes, dict[str, str]]:
    """The signed webhook the simulated provider would send for this card (the caller delivers it)."""
    from peerlearn.payments.simulated import SimulatedGateway

    payment = simulated_checkout(provider_ref, db=db)
    if payment.status not in (PaymentStatus.CREATED, PaymentStatus.PENDING, PaymentStatus.FAILED):
        raise ConflictError("This checkout is already closed.", ErrorCode.INVALID_STATE)
    gateway = gateway_by_name("simulated", payment_settings())
    assert isinstance(gateway, SimulatedGateway)
    try:
        return gateway.complete(provider_ref, card_number, payment.amount_minor, payment.currency)
    except PaymentError as error:
        raise PaymentServiceError(str(error)) from error


def pay_simulated_checkout(provider_ref: str, card_number: str, *, db: Session) -> bool:
    """The simulated provider's hosted page, in-process: the card is charged or declined, and the signed webhook the
    provider sends is verified, recorded and applied through the same path a real provider's takes. True when paid."""
    body, headers = simulated_pay(provider_ref, card_number, db=db)
    handle_webhook("simulated", body, headers, db=db)
    return simulated_checkout(provider_ref, db=db).status == PaymentStatus.SUCCEEDED
