"""The embedded gateway used when no provider keys are set.

It behaves like a real one on the parts PeerLearn relies on: checkout hands
out a URL (a page inside PeerLearn), paying produces a *signed webhook* that
goes through ``parse_webhook`` exactly like Stripe's or Razorpay's, with
signature and timestamp tolerance checks. No money moves.

Signature header: ``X-PeerLearn-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from peerlearn.models.enums import RefundStatus
from peerlearn.payments.base import (
    CardError,
    CheckoutRequest,
    CheckoutResult,
    PaymentError,
    PaymentErrorCode,
    PaymentEvent,
    PaymentEventKind,
    RefundResult,
    SignatureError,
    SubscriptionCheckoutRequest,
    header,
    validate_checkout,
    validate_money,
    validate_refund,
)

NAME = "simulated"
SIGNATURE_HEADER = "X-PeerLearn-Signature"
DEFAULT_TOLERANCE_SECONDS = 300
CARD_SUCCESS = "4242424242424242"
CARD_DECLINED = "4000000000000002"
_REF_RE = re.compile(r"^sim_cs_[0-9a-f]{32}$")
_SUB_REF_RE = re.compile(r"^sim_sub_cs_[0-9a-f]{32}$")

_KINDS = {
    "payment.succeeded": PaymentEventKind.PAYMENT_SUCCEEDED,
    "payment.failed": PaymentEventKind.PAYMENT_FAILED,
    "checkout.expired": PaymentEventKind.CHECKOUT_EXPIRED,
    "refund.succeeded": PaymentEventKind.REFUND_SUCCEEDED,
    "subscription.activated": PaymentEventKind.SUBSCRIPTION_ACTIVATED,
    "subscription.renewed": PaymentEventKind.SUBSCRIPTION_RENEWED,
    "subscription.payment_failed": PaymentEventKind.SUBSCRIPTION_PAYMENT_FAILED,
    "subscription.cancelled": PaymentEventKind.SUBSCRIPTION_CANCELLED,
}

Delivery = tuple[bytes, dict[str, str]]


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """The ``X-PeerLearn-Signature`` value for ``body`` at ``timestamp``."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class SimulatedGateway:
    """``SimulatedGateway(secret, public_base_url)``.

    Stateless for payments (the caller passes amount and currency from its own
    payment row to ``complete``); refunds are kept in memory only so that
    ``refund_webhook`` can hand out the matching event, and so that a repeated
    idempotency key returns the same refund.
    """

    def __init__(
        self,
        secret: str,
        public_base_url: str = "",
        *,
        tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not secret:
            raise PaymentError(
                "The simulated gateway needs a signing secret", PaymentErrorCode.NOT_CONFIGURED, provider=NAME
            )
        self._secret = secret
        self._base_url = public_base_url.rstrip("/")
        self._tolerance = tolerance_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._refunds_by_key: dict[str, RefundResult] = {}
        self._refund_events: dict[str, dict[str, Any]] = {}

    @property
    def name(self) -> str:
        return NAME

    def __repr__(self) -> str:  # never show the secret
        return f"SimulatedGateway(public_base_url={self._base_url!r})"

    def create_checkout(self, req: CheckoutRequest) -> CheckoutResult:
        """The URL is PeerLearn's own page; without a public base URL it is relative."""
        validate_checkout(req)
        ref = f"sim_cs_{uuid.uuid4().hex}"
        return CheckoutResult(provider=NAME, provider_ref=ref, checkout_url=f"{self._base_url}/pay/simulated/{ref}")

    def complete(self, provider_ref: str, card_number: str, amount_minor: int, currency: str) -> Delivery:
        """Pay the checkout ``provider_ref`` with a test card; returns the signed
        webhook (body, headers) to deliver to the webhook handler.

        4242 4242 4242 4242 pays, 4000 0000 0000 0002 is declined (a signed
        ``payment.failed``), anything else raises CardError.
        """
        if not _REF_RE.match(provider_ref or ""):
            raise PaymentError("Unknown simulated checkout reference", PaymentErrorCode.INVALID_REQUEST, provider=NAME)
        code = validate_money(amount_minor, currency, what="Payment")
        digits = re.sub(r"[\s-]", "", card_number or "")
        extra: dict[str, str | None]
        if digits == CARD_SUCCESS:
            event_type, extra = "payment.succeeded", {"payment_id": f"sim_pay_{uuid.uuid4().hex}"}
        elif digits == CARD_DECLINED:
            event_type, extra = (
                "payment.failed",
                {"payment_id": None, "failure_code": "card_declined", "failure_message": "Your card was declined."},
            )
        else:
            raise CardError("Use test card 4242 4242 4242 4242 (pays) or 4000 0000 0000 0002 (declined)", provider=NAME)
        data = {"provider_ref": provider_ref, "amount_minor": amount_minor, "currency": code, **extra}
        return self.deliver(self._event(event_type, data))

    # Recurring mode: the simulated provider's subscriptions. Periods are decided by the caller (no clock of its own).

    def create_subscription_checkout(self, req: SubscriptionCheckoutRequest) -> CheckoutResult:
        """A hosted page for the first payment of a subscription (``/pay/simulated/subscription/<ref>``)."""
        if not req.idempotency_key:
            raise PaymentError("Checkout needs an idempotency key", PaymentErrorCode.INVALID_REQUEST, provider=NAME)
        validate_money(req.amount_minor, req.currency, what="Subscription")
        ref = f"sim_sub_cs_{uuid.uuid4().hex}"
        return CheckoutResult(
            provider=NAME, provider_ref=ref, checkout_url=f"{self._base_url}/pay/simulated/subscription/{ref}"
        )

    def complete_subscription(
        self,
        provider_ref: str,
        card_number: str,
        *,
        amount_minor: int,
        currency: str,
        period_start_at: datetime,
        period_end_at: datetime,
    ) -> Delivery:
        """Pay a subscription checkout with a test card: a signed ``subscription.activated`` (the provider's
        subscription id is new), or a CardError for any card but 4242 4242 4242 4242."""
        if not _SUB_REF_RE.match(provider_ref or ""):
            raise PaymentError("Unknown simulated checkout reference", PaymentErrorCode.INVALID_REQUEST, provider=NAME)
        if re.sub(r"[\s-]", "", card_number or "") != CARD_SUCCESS:
            raise CardError("Your card was declined. Use test card 4242 4242 4242 4242.", provider=NAME)
        data = {
            "provider_ref": provider_ref,
            "subscription_id": f"sim_sub_{uuid.uuid4().hex}",
            "payment_id": f"sim_pay_{uuid.uuid4().hex}" if amount_minor else None,
            **_period(period_start_at, period_end_at),
            "amount_minor": amount_minor,
            "currency": currency.upper(),
        }
        return self.deliver(self._event("subscription.activated", data))

    def subscription_invoice(
        self,
        provider_subscription_id: str,
        *,
        paid: bool,
        amount_minor: int,
        currency: str,
        period_start_at: datetime,
        period_end_at: datetime,
    ) -> Delivery:
        """A renewal attempt: ``subscription.renewed`` when it paid, else ``subscription.payment_failed``."""
        data = {
            "subscription_id": provider_subscription_id,
            "payment_id": f"sim_pay_{uuid.uuid4().hex}" if paid else None,
            **_period(period_start_at, period_end_at),
            "amount_minor": amount_minor,
            "currency": currency.upper(),
        }
        return self.deliver(self._event("subscription.renewed" if paid else "subscription.payment_failed", data))

    def subscription_cancelled(self, provider_subscription_id: str) -> Delivery:
        """The provider ended the subscription (at its period end, or in its portal)."""
        return self.deliver(self._event("subscription.cancelled", {"subscription_id": provider_subscription_id}))

    def expire(self, provider_ref: str) -> Delivery:
        """A signed ``checkout.expired`` event for ``provider_ref``."""
        return self.deliver(self._event("checkout.expired", {"provider_ref": provider_ref}))

    def refund(self, provider_payment_id: str, amount_minor: int, currency: str, idempotency_key: str) -> RefundResult:
        """Always succeeds; the matching event is available from ``refund_webhook``."""
        code = validate_refund(provider_payment_id, amount_minor, currency, idempotency_key)
        with self._lock:
            if idempotency_key in self._refunds_by_key:
                return self._refunds_by_key[idempotency_key]
            result = RefundResult(
                provider=NAME, provider_refund_id=f"sim_re_{uuid.uuid4().hex}", status=RefundStatus.SUCCEEDED
            )
            self._refunds_by_key[idempotency_key] = result
            self._refund_events[result.provider_refund_id] = self._event(
                "refund.succeeded",
                {
                    "refund_id": result.provider_refund_id,
                    "payment_id": provider_payment_id,
                    "amount_minor": amount_minor,
                    "currency": code,
                },
            )
        return result

    def refund_webhook(self, provider_refund_id: str) -> Delivery:
        """The signed ``refund.succeeded`` webhook of a refund made by this instance.
        Asking again re-signs the same event (same event id), like a redelivery."""
        with self._lock:
            event = self._refund_events.get(provider_refund_id)
        if event is None:
            raise PaymentError("No such simulated refund", PaymentErrorCode.UNKNOWN_REFUND, provider=NAME)
        return self.deliver(event)

    def deliver(self, event: dict[str, Any]) -> Delivery:
        """Sign an event now, as the provider does on each delivery attempt."""
        body = json.dumps(event, separators=(",", ":"), sort_keys=True).encode("utf-8")
        return body, {SIGNATURE_HEADER: sign(body, self._secret, int(self._clock()))}

    def parse_webhook(self, raw_body: bytes, headers: Mapping[str, str]) -> PaymentEvent:
        self._verify(raw_body, header(headers, SIGNATURE_HEADER))
        try:
            payload = json.loads(raw_body)
            data = payload.get("data") or {}
            event_type = str(payload["type"])
            event_id = str(payload["id"])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise PaymentError(
                "Simulated webhook body is not an event", PaymentErrorCode.INVALID_PAYLOAD, provider=NAME
            ) from None
        return PaymentEvent(
            provider=NAME,
            event_id=event_id,
            type=event_type,
            raw=payload,
            kind=_KINDS.get(event_type, PaymentEventKind.IGNORED),
            provider_ref=data.get("provider_ref"),
            provider_payment_id=data.get("payment_id"),
            amount_minor=data.get("amount_minor"),
            currency=data.get("currency"),
            refund_id=data.get("refund_id"),
            provider_subscription_id=data.get("subscription_id"),
            period_start_at=_when(data.get("period_start")),
            period_end_at=_when(data.get("period_end")),
        )

    def _verify(self, raw_body: bytes, signature: str | None) -> None:
        if not signature:
            raise SignatureError(f"Missing {SIGNATURE_HEADER} header", provider=NAME)
        try:
            parts = dict(item.split("=", 1) for item in signature.split(","))
            timestamp = int(parts["t"])
            given = parts["v1"]
        except (ValueError, KeyError):
            raise SignatureError(f"Malformed {SIGNATURE_HEADER} header", provider=NAME) from None
        expected = sign(raw_body, self._secret, timestamp).split("v1=", 1)[1]
        if not hmac.compare_digest(expected, given):
            raise SignatureError("Invalid simulated webhook signature", provider=NAME)
        if abs(self._clock() - timestamp) > self._tolerance:
            raise SignatureError("Simulated webhook timestamp outside the tolerance", provider=NAME)

    def _event(self, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
        return {"id": f"evt_sim_{uuid.uuid4().hex}", "type": event_type, "created": int(self._clock()), "data": data}


def _period(start_at: datetime, end_at: datetime) -> dict[str, int]:
    return {"period_start": int(start_at.timestamp()), "period_end": int(end_at.timestamp())}


def _when(value: object) -> datetime | None:
    return datetime.fromtimestamp(value, UTC) if isinstance(value, int) else None
