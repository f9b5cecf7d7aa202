"""Stripe Checkout through the official SDK (a ``StripeClient``, no global state).

Money flow: a Checkout Session per booking attempt (its id is our
``provider_ref``), refunds against the session's PaymentIntent, webhooks
verified with ``Webhook.construct_event`` on the raw body.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from typing import Any

import stripe

from peerlearn.models.enums import RefundStatus
from peerlearn.payments.base import (
    CheckoutRequest,
    CheckoutResult,
    GatewayUnavailableError,
    PaymentError,
    PaymentErrorCode,
    PaymentEvent,
    PaymentEventKind,
    RefundResult,
    SignatureError,
    header,
    validate_checkout,
    validate_refund,
)

NAME = "stripe"
SIGNATURE_HEADER = "Stripe-Signature"
# Stripe accepts expires_at 30 min to 24 h after creation; keep a minute of
# margin on each side so clock skew and request latency cannot push us out.
MIN_EXPIRY_SECONDS = 31 * 60
MAX_EXPIRY_SECONDS = 24 * 3600 - 60

_REFUND_STATES = {
    "succeeded": RefundStatus.SUCCEEDED,
    "failed": RefundStatus.FAILED,
    "canceled": RefundStatus.FAILED,
}


class StripeGateway:
    """``StripeGateway(secret_key, webhook_secret, api_base=None)``.

    ``api_base`` replaces https://api.stripe.com (tests point it at a local
    server). Network errors and 5xx are retried by the SDK with the same
    idempotency key, so a retry can never charge or refund twice.
    """

    def __init__(
        self,
        secret_key: str,
        webhook_secret: str,
        *,
        api_base: str | None = None,
        tolerance_seconds: int = stripe.Webhook.DEFAULT_TOLERANCE,
        max_network_retries: int = 2,
        timeout_seconds: float = 30,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not secret_key:
            raise PaymentError("Stripe secret key is not set", PaymentErrorCode.NOT_CONFIGURED, provider=NAME)
        self._webhook_secret = webhook_secret
        self._tolerance = tolerance_seconds
        self._clock = clock
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base.rstrip("/")} if api_base else None,
            max_network_retries=max_network_retries,
            http_client=stripe.RequestsClient(timeout=timeout_seconds),
        )

    @property
    def name(self) -> str:
        return NAME

    def __repr__(self) -> str:  # never show keys
        return "StripeGateway()"

    def create_checkout(self, req: CheckoutRequest) -> CheckoutResult:
        currency = validate_checkout(req)
        expires_in = min(max(req.expires_in_seconds, MIN_EXPIRY_SECONDS), MAX_EXPIRY_SECONDS)
        ids = {"payment_id": str(req.payment_id), "booking_id": str(req.booking_id)}
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": currency.lower(),
                        "unit_amount": req.amount_minor,
                        "product_data": {"name": (req.description or "PeerLearn session")[:250]},
                    },
                }
            ],
            "client_reference_id": str(req.payment_id),
            "metadata": ids,
            # Copied onto the PaymentIntent so charges and refunds carry them too.
            "payment_intent_data": {"metadata": ids},
            "success_url": req.success_url,
            "cancel_url": req.cancel_url,
            "expires_at": int(self._clock()) + expires_in,
        }
        if req.customer_email:
            params["customer_email"] = req.customer_email
        checkout = self._call(
            self._client.v1.checkout.sessions.create, params, {"idempotency_key": req.idempotency_key}
        )
        if not checkout.get("id") or not checkout.get("url"):
            raise PaymentError("Stripe returned a checkout session without an id or URL", provider=NAME)
        return CheckoutResult(provider=NAME, provider_ref=checkout["id"], checkout_url=checkout["url"])

    def refund(self, provider_payment_id: str, amount_minor: int, currency: str, idempotency_key: str) -> RefundResult:
        """Refund part or all of a PaymentIntent (``provider_payment_id``)."""
        validate_refund(provider_payment_id, amount_minor, currency, idempotency_key)
        refund = self._call(
            self._client.v1.refunds.create,
            {"payment_intent": provider_payment_id, "amount": amount_minor},
            {"idempotency_key": idempotency_key},
        )
        status = _REFUND_STATES.get(refund.get("status") or "", RefundStatus.PENDING)
        return RefundResult(provider=NAME, provider_refund_id=refund["id"], status=status)

    def parse_webhook(self, raw_body: bytes, headers: Mapping[str, str]) -> PaymentEvent:
        signature = header(headers, SIGNATURE_HEADER)
        if not signature:
            raise SignatureError("Missing Stripe-Signature header", provider=NAME)
        if not self._webhook_secret:
            raise SignatureError("Stripe webhook secret is not configured", provider=NAME)
        try:
            self._client.construct_event(raw_body, signature, self._webhook_secret, self._tolerance)
        except stripe.SignatureVerificationError as exc:
            raise SignatureError(
                "Invalid Stripe webhook signature", provider=NAME, detail=exc.user_message or str(exc)
            ) from None
        except UnicodeDecodeError:
            raise SignatureError("Stripe webhook body is not UTF-8", provider=NAME) from None
        except ValueError:  # signed, but not JSON
            raise PaymentError(
                "Stripe webhook body is not JSON", PaymentErrorCode.INVALID_PAYLOAD, provider=NAME
            ) from None
        return event_from_payload(json.loads(raw_body))

    def _call(self, method: Callable[..., Any], params: dict[str, Any], options: dict[str, Any]) -> dict[str, Any]:
        try:
            result: dict[str, Any] = method(params, options).to_dict()
            return result
        except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
            raise GatewayUnavailableError(
                "Stripe could not be reached; try again", provider=NAME, detail=str(exc)
            ) from None
        except (stripe.AuthenticationError, stripe.PermissionError) as exc:
            raise PaymentError(
                "Stripe refused the configured API key", PaymentErrorCode.GATEWAY_AUTH, provider=NAME, detail=str(exc)
            ) from None
        except stripe.IdempotencyError as exc:
            raise PaymentError(
                "Idempotency key reused with different parameters",
                PaymentErrorCode.IDEMPOTENCY_CONFLICT,
                provider=NAME,
                detail=str(exc),
            ) from None
        except stripe.CardError as exc:
            raise PaymentError(
                "The card was declined", PaymentErrorCode.CARD_DECLINED, provider=NAME, detail=str(exc)
            ) from None
        except stripe.InvalidRequestError as exc:
            raise PaymentError(
                "Stripe rejected the request", PaymentErrorCode.GATEWAY_REJECTED, provider=NAME, detail=str(exc)
            ) from None
        except stripe.StripeError as exc:
            if (exc.http_status or 500) >= 500:
                raise GatewayUnavailableError("Stripe failed; try again", provider=NAME, detail=str(exc)) from None
            raise PaymentError("Stripe rejected the request", provider=NAME, detail=str(exc)) from None


def event_from_payload(payload: dict[str, Any]) -> PaymentEvent:
    """Map a verified Stripe event to a PaymentEvent; unknown types are IGNORED."""
    event_type = str(payload.get("type") or "")
    obj = (payload.get("data") or {}).get("object") or {}
    base: dict[str, Any] = {
        "provider": NAME,
        "event_id": str(payload.get("id") or ""),
        "type": event_type,
        "raw": payload,
    }

    if event_type.startswith("checkout.session."):
        kind = {
            # "completed" with payment_status "unpaid" means a delayed method
            # (bank debit): wait for async_payment_succeeded/failed.
            "checkout.session.completed": (
                PaymentEventKind.PAYMENT_SUCCEEDED
                if obj.get("payment_status") in ("paid", "no_payment_required")
                else PaymentEventKind.IGNORED
            ),
            "checkout.session.async_payment_succeeded": PaymentEventKind.PAYMENT_SUCCEEDED,
            "checkout.session.async_payment_failed": PaymentEventKind.PAYMENT_FAILED,
            "checkout.session.expired": PaymentEventKind.CHECKOUT_EXPIRED,
        }.get(event_type, PaymentEventKind.IGNORED)
        return PaymentEvent(
            **base,
            kind=kind,
            provider_ref=obj.get("id"),
            provider_payment_id=_id_of(obj.get("payment_intent")),
            amount_minor=obj.get("amount_total"),
            currency=_upper(obj.get("currency")),
        )

    if event_type == "charge.refunded":
        latest = _latest_refund(obj)
        return PaymentEvent(
            **base,
            kind=PaymentEventKind.REFUND_SUCCEEDED,
            provider_ref=None,
            provider_payment_id=_id_of(obj.get("payment_intent")),
            amount_minor=latest.get("amount") if latest else None,
            currency=_upper(obj.get("currency")),
            refund_id=latest.get("id") if latest else None,
            refunded_total_minor=obj.get("amount_refunded"),
        )

    if event_type in ("refund.created", "refund.updated"):
        succeeded = obj.get("status") == "succeeded"
        return PaymentEvent(
            **base,
            kind=PaymentEventKind.REFUND_SUCCEEDED if succeeded else PaymentEventKind.IGNORED,
            provider_ref=None,
            provider_payment_id=_id_of(obj.get("payment_intent")),
            amount_minor=obj.get("amount"),
            currency=_upper(obj.get("currency")),
            refund_id=obj.get("id"),
        )

    return PaymentEvent(
        **base,
        kind=PaymentEventKind.IGNORED,
        provider_ref=None,
        provider_payment_id=None,
        amount_minor=None,
        currency=None,
    )


def _latest_refund(charge: dict[str, Any]) -> dict[str, Any] | None:
    """The newest succeeded refund, when the charge payload lists them (older API
    versions, or an expanded ``refunds``); otherwise None."""
    refunds = (charge.get("refunds") or {}).get("data") or []
    done = [r for r in refunds if r.get("status") == "succeeded"]
    return max(done, key=lambda r: r.get("created") or 0) if done else None


def _id_of(value: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("id")
    return value or None


def _upper(value: Any) -> str | None:
    return value.upper() if isinstance(value, str) and value else None
