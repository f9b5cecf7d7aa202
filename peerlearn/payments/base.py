"""What every payment gateway offers: the protocol, its data and its errors.

Gateways are pure adapters. They talk to the provider and turn its webhooks
into ``PaymentEvent``s; recording events and moving bookings and ledger
entries is the caller's job, done the same way for every provider.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from peerlearn.models.enums import RefundStatus
from peerlearn.money import normalize_currency


class PaymentEventKind(StrEnum):
    PAYMENT_SUCCEEDED = "payment_succeeded"
    PAYMENT_FAILED = "payment_failed"
    CHECKOUT_EXPIRED = "checkout_expired"
    REFUND_SUCCEEDED = "refund_succeeded"
    # Recurring products (subscriptions)
    SUBSCRIPTION_ACTIVATED = "subscription_activated"  # its first checkout was paid
    SUBSCRIPTION_RENEWED = "subscription_renewed"  # a period's invoice was paid
    SUBSCRIPTION_PAYMENT_FAILED = "subscription_payment_failed"
    SUBSCRIPTION_CANCELLED = "subscription_cancelled"  # ended at the provider
    IGNORED = "ignored"  # a genuine, verified event PeerLearn does not act on


@dataclass(frozen=True)
class CheckoutRequest:
    payment_id: int
    booking_id: int
    amount_minor: int
    currency: str
    description: str
    customer_email: str | None
    success_url: str
    cancel_url: str
    idempotency_key: str  # one per booking attempt: a retry of the same attempt reuses it
    expires_in_seconds: int = 1800


@dataclass(frozen=True)
class SubscriptionCheckoutRequest:
    subscription_id: int
    plan_name: str
    amount_minor: int  # the recurring price per interval
    first_charge_minor: int  # what is charged now (0 in a trial; the proration on an upgrade)
    currency: str
    interval: str  # "month" or "year"
    customer_email: str | None
    success_url: str
    cancel_url: str
    idempotency_key: str


@dataclass(frozen=True)
class CheckoutResult:
    provider: str
    provider_ref: str  # Stripe Checkout Session id, Razorpay payment link id, simulated ref
    checkout_url: str


@dataclass(frozen=True)
class RefundResult:
    provider: str
    provider_refund_id: str
    status: RefundStatus  # the provider's answer, normalised


@dataclass(frozen=True, kw_only=True)
class PaymentEvent:
    """A verified provider event.

    ``event_id`` is unique per provider event and stable across redeliveries,
    so (provider, event_id) is the idempotency key for processing it.
    ``provider_ref`` is the checkout reference from ``CheckoutResult`` when the
    event is about a checkout; ``provider_payment_id`` is what ``refund`` takes.
    ``refunded_total_minor`` is the payment's cumulative refunded amount when the
    provider reports it (useful to reconcile when ``refund_id`` is unknown).
    """

    provider: str
    event_id: str
    kind: PaymentEventKind
    provider_ref: str | None
    provider_payment_id: str | None
    amount_minor: int | None
    currency: str | None
    refund_id: str | None = None
    refunded_total_minor: int | None = None
    type: str = ""  # the provider's own event type, e.g. "checkout.session.completed"
    provider_subscription_id: str | None = None  # recurring events: the provider's subscription
    period_start_at: datetime | None = None  # recurring events: the period the payment covers
    period_end_at: datetime | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


class PaymentErrorCode(StrEnum):
    SIGNATURE_INVALID = "signature_invalid"
    GATEWAY_UNAVAILABLE = "gateway_unavailable"
    GATEWAY_REJECTED = "gateway_rejected"  # the provider refused the request (4xx)
    GATEWAY_AUTH = "gateway_auth"  # the provider refused our keys
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    CARD_DECLINED = "card_declined"
    INVALID_CARD = "invalid_card"
    INVALID_REQUEST = "invalid_request"  # refused locally before calling the provider
    INVALID_PAYLOAD = "invalid_payload"  # signed correctly but not a readable event
    NOT_CONFIGURED = "not_configured"
    UNKNOWN_PROVIDER = "unknown_provider"
    UNKNOWN_REFUND = "unknown_refund"


class PaymentError(Exception):
    """Base of all gateway errors. ``str(error)`` is safe to show a user; it never
    contains keys. ``detail`` holds the provider's own message, for server logs."""

    default_code = PaymentErrorCode.GATEWAY_REJECTED

    def __init__(
        self,
        message: str,
        code: PaymentErrorCode | None = None,
        *,
        provider: str | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code or self.default_code
        self.provider = provider
        self.detail = detail


class SignatureError(PaymentError):
    """A webhook or callback whose signature is missing, wrong or too old."""

    default_code = PaymentErrorCode.SIGNATURE_INVALID


class GatewayUnavailableError(PaymentError):
    """The provider could not be reached or failed on its side; safe to retry
    with the same idempotency key."""

    default_code = PaymentErrorCode.GATEWAY_UNAVAILABLE


class CardError(PaymentError):
    """The simulated gateway refused a card number."""

    default_code = PaymentErrorCode.INVALID_CARD


@runtime_checkable
class PaymentGateway(Protocol):
    @property
    def name(self) -> str: ...

    def create_checkout(self, req: CheckoutRequest) -> CheckoutResult: ...

    def refund(
        self, provider_payment_id: str, amount_minor: int, currency: str, idempotency_key: str
    ) -> RefundResult: ...

    def parse_webhook(self, raw_body: bytes, headers: Mapping[str, str]) -> PaymentEvent:
        """Verify the signature over the raw body first; raise SignatureError if it fails."""
        ...


@runtime_checkable
class RecurringGateway(Protocol):
    """A gateway that sells recurring products (subscriptions)."""

    @property
    def name(self) -> str: ...

    def create_subscription_checkout(self, req: SubscriptionCheckoutRequest) -> CheckoutResult: ...


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup that works on plain dicts too."""
    value = headers.get(name)
    if value is not None:
        return value
    lowered = name.lower()
    for key, candidate in headers.items():
        if key.lower() == lowered:
            return candidate
    return None


def validate_money(amount_minor: int, currency: str, *, what: str) -> str:
    """Refuse, before any provider call, an amount no provider would accept;
    returns the normalised currency code."""
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        raise PaymentError(
            f"{what} amount must be a positive whole number of minor units", PaymentErrorCode.INVALID_REQUEST
        )
    try:
        return normalize_currency(currency)
    except ValueError as exc:
        raise PaymentError(str(exc), PaymentErrorCode.INVALID_REQUEST) from None


def validate_checkout(req: CheckoutRequest) -> str:
    """Local checks shared by every gateway; returns the normalised currency code."""
    _require_key(req.idempotency_key, "Checkout")
    return validate_money(req.amount_minor, req.currency, what="Checkout")


def validate_refund(provider_payment_id: str, amount_minor: int, currency: str, idempotency_key: str) -> str:
    if not provider_payment_id:
        raise PaymentError("Refund needs the provider payment id", PaymentErrorCode.INVALID_REQUEST)
    _require_key(idempotency_key, "Refund")
    return validate_money(amount_minor, currency, what="Refund")


def _require_key(idempotency_key: str, what: str) -> None:
    if not idempotency_key:
        raise PaymentError(f"{what} needs an idempotency key", PaymentErrorCode.INVALID_REQUEST)
