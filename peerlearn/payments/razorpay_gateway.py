"""Razorpay Payment Links through the official SDK.

A payment link per booking attempt (its id is our ``provider_ref``, which the
caller must store), a signed redirect back to ``callback_url``, webhooks
signed with HMAC-SHA256 over the raw body, refunds against the payment id.

Razorpay webhook signatures carry no timestamp, so there is no staleness
check: replays are stopped by de-duplicating on ``event_id``.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Callable, Mapping
from typing import Any

import razorpay
import requests
from razorpay.constants.url import URL as RAZORPAY_URL
from razorpay.errors import BadRequestError, GatewayError, ServerError
from razorpay.errors import SignatureVerificationError as RazorpaySignatureError

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

NAME = "razorpay"
SIGNATURE_HEADER = "X-Razorpay-Signature"
EVENT_ID_HEADER = "X-Razorpay-Event-Id"
REFUND_IDEMPOTENCY_HEADER = "X-Refund-Idempotency"
# Razorpay wants expire_by at least 15 minutes ahead; a minute of margin.
MIN_EXPIRY_SECONDS = 16 * 60
MAX_EXPIRY_SECONDS = 180 * 24 * 3600
_SAFE_REF = re.compile(r"^[A-Za-z0-9_-]{10,40}$")
_REFUND_STATES = {"processed": RefundStatus.SUCCEEDED, "failed": RefundStatus.FAILED}


def provider_safe_ref(key: str) -> str:
    """Razorpay's reference_id/receipt hold 40 characters and its idempotency header
    only letters, digits, '-' and '_' (10+). Longer or other keys are hashed,
    deterministically, so a retry sends the same value."""
    if _SAFE_REF.match(key):
        return key
    return "ik_" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:37]


class RazorpayGateway:
    """``RazorpayGateway(key_id, key_secret, webhook_secret, base_url=None)``.

    ``base_url`` replaces https://api.razorpay.com (tests point it at a local server).
    """

    def __init__(
        self,
        key_id: str,
        key_secret: str,
        webhook_secret: str,
        *,
        base_url: str | None = None,
        timeout_seconds: float = 30,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not key_id or not key_secret:
            raise PaymentError("Razorpay keys are not set", PaymentErrorCode.NOT_CONFIGURED, provider=NAME)
        self._webhook_secret = webhook_secret
        self._timeout = timeout_seconds
        self._clock = clock
        self._client = razorpay.Client(
            auth=(key_id, key_secret), base_url=(base_url or RAZORPAY_URL.BASE_URL).rstrip("/")
        )
        self._client.set_app_details({"title": "PeerLearn"})

    @property
    def name(self) -> str:
        return NAME

    def __repr__(self) -> str:  # never show keys
        return "RazorpayGateway()"

    def create_checkout(self, req: CheckoutRequest) -> CheckoutResult:
        """Create a payment link. Razorpay has no cancel URL: a learner who gives up
        simply leaves the page, and the link expires."""
        currency = validate_checkout(req)
        reference_id = provider_safe_ref(req.idempotency_key)
        expires_in = min(max(req.expires_in_seconds, MIN_EXPIRY_SECONDS), MAX_EXPIRY_SECONDS)
        data: dict[str, Any] = {
            "amount": req.amount_minor,
            "currency": currency,
            "accept_partial": False,
            "description": (req.description or "PeerLearn session")[:2048],
            "reference_id": reference_id,
            "expire_by": int(self._clock()) + expires_in,
            "callback_url": req.success_url,
            "callback_method": "get",
            "notes": {"payment_id": str(req.payment_id), "booking_id": str(req.booking_id)},
            "notify": {"sms": False, "email": False},
            "reminder_enable": False,
        }
        if req.customer_email:
            data["customer"] = {"email": req.customer_email}
        link: dict[str, Any] | None
        try:
            link = self._call(self._client.payment_link.create, data)
        except PaymentError as exc:
            # reference_id is unique at Razorpay: if a previous attempt with this
            # key created the link but its response was lost, reuse that link.
            if exc.code != PaymentErrorCode.GATEWAY_REJECTED:
                raise
            link = self._existing_link(reference_id, req.amount_minor, currency)
            if link is None:
                raise
        if not link.get("id") or not link.get("short_url"):
            raise PaymentError("Razorpay returned a payment link without an id or URL", provider=NAME)
        return CheckoutResult(provider=NAME, provider_ref=link["id"], checkout_url=link["short_url"])

    def _existing_link(self, reference_id: str, amount_minor: int, currency: str) -> dict[str, Any] | None:
        try:
            found = self._call(self._client.payment_link.all, {"reference_id": reference_id})
        except PaymentError:
            return None
        links: list[dict[str, Any]] = found.get("payment_links") or []
        for link in links:
            if (
                link.get("reference_id") == reference_id
                and link.get("amount") == amount_minor
                and str(link.get("currency", "")).upper() == currency
                and link.get("status") in ("created", "paid", "partially_paid")
            ):
                return link
        return None

    def refund(self, provider_payment_id: str, amount_minor: int, currency: str, idempotency_key: str) -> RefundResult:
        """Refund part or all of a payment (``pay_...``). The idempotency key goes in
        Razorpay's X-Refund-Idempotency header; retries must send the same body."""
        validate_refund(provider_payment_id, amount_minor, currency, idempotency_key)
        safe_key = provider_safe_ref(idempotency_key)
        data = {"amount": amount_minor, "receipt": safe_key, "notes": {"idempotency_key": safe_key}}
        refund = self._call(
            self._client.payment.refund, provider_payment_id, data, headers={REFUND_IDEMPOTENCY_HEADER: safe_key}
        )
        status = _REFUND_STATES.get(refund.get("status") or "", RefundStatus.PENDING)
        return RefundResult(provider=NAME, provider_refund_id=str(refund["id"]), status=status)

    def verify_callback(
        self, stored_link_id: str, query_params: Mapping[str, str], *, require_paid: bool = True
    ) -> bool:
        """Check the signed redirect Razorpay sends to ``callback_url``.

        The signature is checked against ``stored_link_id`` (saved at creation),
        never the link id in the query string, so a genuine signature for some
        other link cannot confirm this one. With ``require_paid`` (default) a
        validly signed but unpaid status is also refused. The webhook remains the
        authority for recording the payment; this only decides what page to show.
        """
        if not stored_link_id:
            return False
        claimed = query_params.get("razorpay_payment_link_id")
        if claimed is not None and claimed != stored_link_id:
            return False
        fields = {
            "razorpay_payment_id": query_params.get("razorpay_payment_id"),
            "payment_link_reference_id": query_params.get("razorpay_payment_link_reference_id"),
            "payment_link_status": query_params.get("razorpay_payment_link_status"),
            "razorpay_signature": query_params.get("razorpay_signature"),
        }
        if any(value is None for value in fields.values()):
            return False
        try:
            valid = self._client.utility.verify_payment_link_signature({**fields, "payment_link_id": stored_link_id})
        except RazorpaySignatureError:
            return False
        if not valid:
            return False
        return not require_paid or fields["payment_link_status"] == "paid"

    def parse_webhook(self, raw_body: bytes, headers: Mapping[str, str]) -> PaymentEvent:
        signature = header(headers, SIGNATURE_HEADER)
        if not signature:
            raise SignatureError("Missing X-Razorpay-Signature header", provider=NAME)
        if not self._webhook_secret:
            raise SignatureError("Razorpay webhook secret is not configured", provider=NAME)
        try:
            self._client.utility.verify_webhook_signature(raw_body.decode("utf-8"), signature, self._webhook_secret)
        except RazorpaySignatureError:
            raise SignatureError("Invalid Razorpay webhook signature", provider=NAME) from None
        except UnicodeDecodeError:
            raise SignatureError("Razorpay webhook body is not UTF-8", provider=NAME) from None
        try:
            payload = json.loads(raw_body)
        except ValueError:
            raise PaymentError(
                "Razorpay webhook body is not JSON", PaymentErrorCode.INVALID_PAYLOAD, provider=NAME
            ) from None
        event_id = header(headers, EVENT_ID_HEADER) or "sha256:" + hashlib.sha256(raw_body).hexdigest()
        return event_from_payload(payload, event_id)

    def _call(self, method: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            result: dict[str, Any] = method(*args, timeout=self._timeout, **kwargs)
            return result
        except BadRequestError as exc:
            if "authentication" in str(exc).lower() or "api key" in str(exc).lower():
                raise PaymentError(
                    "Razorpay refused the configured API key",
                    PaymentErrorCode.GATEWAY_AUTH,
                    provider=NAME,
                    detail=str(exc),
                ) from None
            raise PaymentError(
                "Razorpay rejected the request", PaymentErrorCode.GATEWAY_REJECTED, provider=NAME, detail=str(exc)
            ) from None
        except (GatewayError, ServerError, requests.RequestException) as exc:
            raise GatewayUnavailableError(
                "Razorpay could not be reached; try again", provider=NAME, detail=str(exc)
            ) from None
        except ValueError as exc:  # a non-JSON error page from something in between
            raise GatewayUnavailableError(
                "Razorpay sent an unreadable response; try again", provider=NAME, detail=str(exc)
            ) from None


def event_from_payload(payload: dict[str, Any], event_id: str) -> PaymentEvent:
    """Map a verified Razorpay webhook to a PaymentEvent; unknown types are IGNORED."""
    event_type = str(payload.get("event") or "")
    entities = payload.get("payload") or {}
    link = (entities.get("payment_link") or {}).get("entity") or {}
    payment = (entities.get("payment") or {}).get("entity") or {}
    refund = (entities.get("refund") or {}).get("entity") or {}
    base: dict[str, Any] = {"provider": NAME, "event_id": event_id, "type": event_type, "raw": payload}

    if event_type in ("payment_link.paid", "payment_link.expired"):
        paid = event_type == "payment_link.paid"
        return PaymentEvent(
            **base,
            kind=PaymentEventKind.PAYMENT_SUCCEEDED if paid else PaymentEventKind.CHECKOUT_EXPIRED,
            provider_ref=link.get("id"),
            provider_payment_id=payment.get("id") or None,
            amount_minor=payment.get("amount", link.get("amount_paid")) if paid else link.get("amount"),
            currency=_upper(payment.get("currency") or link.get("currency")),
        )

    if event_type == "refund.processed":
        return PaymentEvent(
            **base,
            kind=PaymentEventKind.REFUND_SUCCEEDED,
            provider_ref=None,
            provider_payment_id=refund.get("payment_id") or payment.get("id") or None,
            amount_minor=refund.get("amount"),
            currency=_upper(refund.get("currency")),
            refund_id=refund.get("id"),
            refunded_total_minor=payment.get("amount_refunded"),
        )

    return PaymentEvent(
        **base,
        kind=PaymentEventKind.IGNORED,
        provider_ref=None,
        provider_payment_id=None,
        amount_minor=None,
        currency=None,
    )


def _upper(value: Any) -> str | None:
    return value.upper() if isinstance(value, str) and value else None
