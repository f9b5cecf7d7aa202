"""What every provider event needs before it is applied, for bookings and subscriptions alike: the gateway settings
and the (provider, event id) record under a unique constraint that makes every delivery idempotent."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from peerlearn.config import get_settings
from peerlearn.models import WebhookEvent
from peerlearn.payments.base import PaymentEvent
from peerlearn.payments.registry import PaymentSettings


def payment_settings() -> PaymentSettings:
    s = get_settings()
    return PaymentSettings(
        stripe_secret_key=s.stripe_secret_key,
        stripe_webhook_secret=s.stripe_webhook_secret,
        stripe_api_base=s.stripe_api_base,
        razorpay_key_id=s.razorpay_key_id,
        razorpay_key_secret=s.razorpay_key_secret,
        razorpay_webhook_secret=s.razorpay_webhook_secret,
        razorpay_base_url=s.razorpay_base_url,
        simulated_secret=f"simulated:{s.secret_key}",
        public_base_url=s.base_url,
        allow_simulated=not s.is_production,
    )


def record_event(event: PaymentEvent, *, db: Session) -> bool:
    """Insert the event id; False when it was seen before (the unique constraint decides, even across workers)."""
    try:
        with db.begin_nested():
            db.add(WebhookEvent(provider=event.provider, event_id=event.event_id, kind=event.kind.value))
            db.flush()
    except IntegrityError:
        return False
    return True
