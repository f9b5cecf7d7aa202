"""The simulated gateway's recurring mode, driven in-process: paying a subscription checkout and the provider's
later invoices (renewal paid or failed). Each produces the signed webhook the simulated provider sends, delivered to
the same handler as a real provider's (signature, idempotency, then the state machine)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from peerlearn.billing.payments import handle_webhook
from peerlearn.billing.provider_events import payment_settings
from peerlearn.models import Subscription
from peerlearn.models.subscription import SubscriptionStatus
from peerlearn.models.types import utcnow
from peerlearn.payments.base import PaymentError
from peerlearn.payments.registry import gateway_by_name
from peerlearn.payments.simulated import Delivery, SimulatedGateway
from peerlearn.platform.errors import ConflictError, ErrorCode, NotFoundError
from peerlearn.subscriptions import rules
from peerlearn.subscriptions.actions import SubscriptionError, first_charge_minor, trial_days_for


def _gateway() -> SimulatedGateway:
    try:
        gateway = gateway_by_name("simulated", payment_settings())
    except PaymentError as error:
        raise SubscriptionError(str(error)) from error
    assert isinstance(gateway, SimulatedGateway)
    return gateway


def checkout(provider_ref: str, *, db: Session, mentor_id: int | None = None) -> Subscription:
    """The subscription of a simulated checkout (only the mentor's own when ``mentor_id`` is given)."""
    sub = db.exec(
        select(Subscription).where(Subscription.provider == "simulated", Subscription.provider_ref == provider_ref)
    ).first()
    if sub is None or (mentor_id is not None and sub.mentor_id != mentor_id):
        raise NotFoundError("No such checkout.")
    return sub


def simulated_subscription(subscription_id: int, *, db: Session) -> Subscription:
    sub = db.get(Subscription, subscription_id)
    if sub is None or sub.provider != "simulated":
        raise NotFoundError("No such subscription on the simulated gateway.")
    return sub


def pay_delivery(
    provider_ref: str, card_number: str, *, db: Session, now: datetime | None = None, mentor_id: int | None = None
) -> Delivery:
    """The signed ``subscription.activated`` webhook for paying this checkout with ``card_number``."""
    now = now or utcnow()
    sub = checkout(provider_ref, db=db, mentor_id=mentor_id)
    if sub.status != SubscriptionStatus.INCOMPLETE:
        raise ConflictError("This checkout is already closed.", ErrorCode.INVALID_STATE)
    trial_days = trial_days_for(sub, db=db)  # a trial's first period is the trial
    end = now + timedelta(days=trial_days) if trial_days else rules.period_end(now, sub.interval)
    try:
        return _gateway().complete_subscription(
            provider_ref,
            card_number,
            amount_minor=first_charge_minor(sub, db=db),
            currency=sub.currency,
            period_start_at=now,
            period_end_at=end,
        )
    except PaymentError as error:
        raise SubscriptionError(str(error)) from error


def pay_checkout(
    provider_ref: str, card_number: str, *, db: Session, now: datetime | None = None, mentor_id: int | None = None
) -> Subscription:
    """The hosted page, in-process: pay, and deliver the signed webhook to the webhook handler."""
    body, headers = pay_delivery(provider_ref, card_number, db=db, now=now, mentor_id=mentor_id)
    handle_webhook("simulated", body, headers, db=db, now=now)
    return checkout(provider_ref, db=db)


def invoice_delivery(sub: Subscription, *, paid: bool) -> Delivery:
    """The provider's next invoice for ``sub``: the period after the current one, paid or declined."""
    if not sub.provider_subscription_id or sub.current_period_end_at is None:
        raise ConflictError("This subscription has not started.", ErrorCode.INVALID_STATE)
    start = sub.current_period_end_at
    return _gateway().subscription_invoice(
        sub.provider_subscription_id,
        paid=paid,
        amount_minor=sub.amount_minor,
        currency=sub.currency,
        period_start_at=start,
        period_end_at=rules.period_end(start, sub.interval),
    )


def bill(sub: Subscription, *, paid: bool, db: Session, now: datetime | None = None) -> str:
    """Emit and deliver the next invoice (renewal, or a failure; after a failure, ``paid=True`` is the recovery)."""
    body, headers = invoice_delivery(sub, paid=paid)
    return handle_webhook("simulated", body, headers, db=db, now=now)


def cancel_at_provider(sub: Subscription, *, db: Session, now: datetime | None = None) -> str:
    body, headers = _gateway().subscription_cancelled(sub.provider_subscription_id)
    return handle_webhook("simulated", body, headers, db=db, now=now)
