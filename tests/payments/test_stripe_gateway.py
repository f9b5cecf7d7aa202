"""The Stripe adapter through the real ``stripe`` SDK against a local fake API."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Any

import pytest

from peerlearn.payments.base import (
    CheckoutRequest,
    GatewayUnavailableError,
    PaymentError,
    PaymentErrorCode,
    PaymentEventKind,
    SignatureError,
)
from peerlearn.payments.stripe_gateway import StripeGateway
from tests.payments.fake_api import FakeAPI, Recorded

SECRET_KEY = "sk_test_51PeerLearnSecretKey"
WEBHOOK_SECRET = "whsec_peerlearn_test_secret"
NOW = 1_760_000_000


def make_gateway(base_url: str, **kwargs: Any) -> StripeGateway:
    kwargs.setdefault("max_network_retries", 0)
    return StripeGateway(SECRET_KEY, WEBHOOK_SECRET, api_base=base_url, clock=lambda: NOW, **kwargs)


def checkout_request(**overrides: Any) -> CheckoutRequest:
    values: dict[str, Any] = dict(
        payment_id=7,
        booking_id=3,
        amount_minor=2500,
        currency="USD",
        description="Guitar basics (60 min)",
        customer_email="learner@example.com",
        success_url="https://peer.example/pay/done?s={CHECKOUT_SESSION_ID}",
        cancel_url="https://peer.example/pay/cancelled",
        idempotency_key="booking-3-attempt-1",
    )
    values.update(overrides)
    return CheckoutRequest(**values)


def session_response(_: Recorded) -> tuple[int, dict[str, Any]]:
    return 200, {
        "id": "cs_test_a1",
        "object": "checkout.session",
        "url": "https://checkout.stripe.com/c/pay/cs_test_a1",
        "payment_status": "unpaid",
        "status": "open",
        "amount_total": 2500,
        "currency": "usd",
    }


def stripe_error(status: int, error_type: str, message: str) -> Any:
    return lambda _: (status, {"error": {"type": error_type, "message": message}})


def test_create_checkout_sends_a_complete_session_request(fake_api: FakeAPI) -> None:
    fake_api.route("POST", "/v1/checkout/sessions", session_response)

    result = make_gateway(fake_api.base_url).create_checkout(checkout_request())

    assert (result.provider, result.provider_ref) == ("stripe", "cs_test_a1")
    assert result.checkout_url == "https://checkout.stripe.com/c/pay/cs_test_a1"
    sent = fake_api.only("POST", "/v1/checkout/sessions")
    form = sent.form()
    assert form["mode"] == "payment"
    assert form["line_items[0][quantity]"] == "1"
    assert form["line_items[0][price_data][unit_amount]"] == "2500"
    assert form["line_items[0][price_data][currency]"] == "usd"
    assert form["line_items[0][price_data][product_data][name]"] == "Guitar basics (60 min)"
    assert form["metadata[payment_id]"] == "7"
    assert form["metadata[booking_id]"] == "3"
    assert form["payment_intent_data[metadata][booking_id]"] == "3"
    assert form["client_reference_id"] == "7"
    assert form["success_url"] == "https://peer.example/pay/done?s={CHECKOUT_SESSION_ID}"
    assert form["cancel_url"] == "https://peer.example/pay/cancelled"
    assert form["customer_email"] == "learner@example.com"
    # 30 min requested; Stripe's floor is 30 min after creation, so a minute of margin.
    assert form["expires_at"] == str(NOW + 31 * 60)
    assert sent.headers["idempotency-key"] == "booking-3-attempt-1"
    assert sent.headers["authorization"] == f"Bearer {SECRET_KEY}"


def test_checkout_expiry_is_passed_through_within_stripes_window(fake_api: FakeAPI) -> None:
    fake_api.route("POST", "/v1/checkout/sessions", session_response)
    gateway = make_gateway(fake_api.base_url)

    gateway.create_checkout(
        checkout_request(expires_in_seconds=7200, customer_email=None, currency="jpy", amount_minor=3000)
    )
    gateway.create_checkout(checkout_request(expires_in_seconds=7 * 24 * 3600, idempotency_key="k2"))

    first, second = (r.form() for r in fake_api.requests)
    assert first["expires_at"] == str(NOW + 7200)
    assert "customer_email" not in first
    assert first["line_items[0][price_data][currency]"] == "jpy"
    assert first["line_items[0][price_data][unit_amount]"] == "3000"
    assert second["expires_at"] == str(NOW + 24 * 3600 - 60)


def test_invalid_amount_is_refused_before_calling_stripe(fake_api: FakeAPI) -> None:
    gateway = make_gateway(fake_api.base_url)
    for bad in (
        checkout_request(amount_minor=0),
        checkout_request(amount_minor=-5),
        checkout_request(currency="dollars"),
        checkout_request(idempotency_key=""),
    ):
        with pytest.raises(PaymentError) as info:
            gateway.create_checkout(bad)
        assert info.value.code == PaymentErrorCode.INVALID_REQUEST
    assert fake_api.requests == []


def test_stripe_rejection_maps_to_payment_error(fake_api: FakeAPI) -> None:
    fake_api.route("POST", "/v1/checkout/sessions", stripe_error(400, "invalid_request_error", "Invalid currency: xyz"))
    with pytest.raises(PaymentError) as info:
        make_gateway(fake_api.base_url).create_checkout(checkout_request())
    assert info.value.code == PaymentErrorCode.GATEWAY_REJECTED
    assert not isinstance(info.value, GatewayUnavailableError)
    assert "Invalid currency" in (info.value.detail or "")


def test_refused_key_maps_to_auth_error_without_echoing_the_key(fake_api: FakeAPI) -> None:
    fake_api.route(
        "POST", "/v1/checkout/sessions", stripe_error(401, "invalid_request_error", "Invalid API Key provided")
    )
    with pytest.raises(PaymentError) as info:
        make_gateway(fake_api.base_url).create_checkout(checkout_request())
    assert info.value.code == PaymentErrorCode.GATEWAY_AUTH
    assert SECRET_KEY not in str(info.value)


def test_server_error_maps_to_unavailable(fake_api: FakeAPI) -> None:
    fake_api.route("POST", "/v1/refunds", stripe_error(500, "api_error", "Something went wrong"))
    with pytest.raises(GatewayUnavailableError) as info:
        make_gateway(fake_api.base_url).refund("pi_1", 1000, "USD", "refund-1")
    assert info.value.code == PaymentErrorCode.GATEWAY_UNAVAILABLE


def test_unreachable_stripe_maps_to_unavailable(closed_port_url: str) -> None:
    with pytest.raises(GatewayUnavailableError):
        make_gateway(closed_port_url, timeout_seconds=5).create_checkout(checkout_request())


def test_sdk_retry_reuses_the_idempotency_key(fake_api: FakeAPI) -> None:
    calls = iter([(500, {"error": {"type": "api_error", "message": "try again"}}), session_response(None)])  # type: ignore[arg-type]
    fake_api.route("POST", "/v1/checkout/sessions", lambda _: next(calls))

    result = make_gateway(fake_api.base_url, max_network_retries=1).create_checkout(checkout_request())

    assert result.provider_ref == "cs_test_a1"
    assert [r.headers["idempotency-key"] for r in fake_api.requests] == ["booking-3-attempt-1"] * 2


@pytest.mark.parametrize(
    ("stripe_status", "ours"),
    [("succeeded", "succeeded"), ("pending", "pending"), ("requires_action", "pending"), ("failed", "failed")],
)
def test_refund_posts_payment_intent_and_amount(fake_api: FakeAPI, stripe_status: str, ours: str) -> None:
    fake_api.route(
        "POST",
        "/v1/refunds",
        lambda _: (200, {"id": "re_9", "object": "refund", "amount": 1000, "currency": "usd", "status": stripe_status}),
    )

    result = make_gateway(fake_api.base_url).refund("pi_123", 1000, "USD", "refund-p7-1")

    assert (result.provider, result.provider_refund_id, result.status) == ("stripe", "re_9", ours)
    sent = fake_api.only("POST", "/v1/refunds")
    assert sent.form() == {"payment_intent": "pi_123", "amount": "1000"}
    assert sent.headers["idempotency-key"] == "refund-p7-1"


def test_keys_never_reach_logs_or_output(
    fake_api: FakeAPI, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_api.route("POST", "/v1/checkout/sessions", session_response)
    gateway = make_gateway(fake_api.base_url)
    with caplog.at_level(logging.DEBUG):
        gateway.create_checkout(checkout_request())
        with pytest.raises(SignatureError):
            gateway.parse_webhook(b"{}", {"Stripe-Signature": "t=1,v1=00"})
    out = capsys.readouterr()
    for secret in (SECRET_KEY, WEBHOOK_SECRET):
        assert secret not in caplog.text + out.out + out.err + repr(gateway)


# --- webhooks -------------------------------------------------------------


def sign(body: bytes, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Stripe's scheme, computed independently of the SDK."""
    ts = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    return {"Stripe-Signature": f"t={ts},v1={mac}"}


def event(event_type: str, obj: dict[str, Any], event_id: str = "evt_1") -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "api_version": "2025-01-01",
            "created": 1,
            "livemode": False,
            "data": {"object": obj},
        }
    ).encode()


def session_obj(**overrides: Any) -> dict[str, Any]:
    obj = {
        "id": "cs_test_a1",
        "object": "checkout.session",
        "payment_intent": "pi_123",
        "amount_total": 2500,
        "currency": "usd",
        "payment_status": "paid",
        "client_reference_id": "7",
        "metadata": {"payment_id": "7", "booking_id": "3"},
    }
    obj.update(overrides)
    return obj


@pytest.fixture
def gateway() -> StripeGateway:
    """Webhook parsing needs no API; no request is ever made here."""
    return StripeGateway(SECRET_KEY, WEBHOOK_SECRET)


def test_completed_paid_session_is_a_payment(gateway: StripeGateway) -> None:
    body = event("checkout.session.completed", session_obj(), event_id="evt_paid")
    parsed = gateway.parse_webhook(body, sign(body))
    assert parsed.kind == PaymentEventKind.PAYMENT_SUCCEEDED
    assert (parsed.provider, parsed.event_id, parsed.type) == ("stripe", "evt_paid", "checkout.session.completed")
    assert (parsed.provider_ref, parsed.provider_payment_id) == ("cs_test_a1", "pi_123")
    assert (parsed.amount_minor, parsed.currency) == (2500, "USD")
    assert parsed.raw["data"]["object"]["metadata"]["booking_id"] == "3"


def test_header_lookup_ignores_case(gateway: StripeGateway) -> None:
    body = event("checkout.session.completed", session_obj())
    headers = {"stripe-signature": sign(body)["Stripe-Signature"]}
    assert gateway.parse_webhook(body, headers).kind == PaymentEventKind.PAYMENT_SUCCEEDED


@pytest.mark.parametrize(
    ("event_type", "obj", "kind"),
    [
        (
            "checkout.session.completed",
            session_obj(payment_status="unpaid", payment_intent=None),
            PaymentEventKind.IGNORED,
        ),
        ("checkout.session.async_payment_succeeded", session_obj(), PaymentEventKind.PAYMENT_SUCCEEDED),
        (
            "checkout.session.async_payment_failed",
            session_obj(payment_status="unpaid"),
            PaymentEventKind.PAYMENT_FAILED,
        ),
        (
            "checkout.session.expired",
            session_obj(payment_status="unpaid", payment_intent=None),
            PaymentEventKind.CHECKOUT_EXPIRED,
        ),
        ("customer.created", {"id": "cus_1", "object": "customer"}, PaymentEventKind.IGNORED),
        ("payment_intent.succeeded", {"id": "pi_123", "object": "payment_intent"}, PaymentEventKind.IGNORED),
    ],
)
def test_session_events_map_to_kinds(
    gateway: StripeGateway, event_type: str, obj: dict[str, Any], kind: PaymentEventKind
) -> None:
    body = event(event_type, obj)
    parsed = gateway.parse_webhook(body, sign(body))
    assert parsed.kind == kind
    if event_type.startswith("checkout.session."):
        assert parsed.provider_ref == "cs_test_a1"


def test_expired_session_carries_its_ref(gateway: StripeGateway) -> None:
    body = event("checkout.session.expired", session_obj(payment_status="unpaid", payment_intent=None))
    parsed = gateway.parse_webhook(body, sign(body))
    assert (parsed.provider_ref, parsed.provider_payment_id) == ("cs_test_a1", None)


def test_charge_refunded_names_the_latest_refund_when_listed(gateway: StripeGateway) -> None:
    charge = {
        "id": "ch_1",
        "object": "charge",
        "payment_intent": "pi_123",
        "amount": 2500,
        "amount_refunded": 1500,
        "currency": "usd",
        "refunded": False,
        "refunds": {
            "object": "list",
            "data": [
                {"id": "re_old", "amount": 1000, "status": "succeeded", "created": 100},
                {"id": "re_new", "amount": 500, "status": "succeeded", "created": 200},
                {"id": "re_pending", "amount": 300, "status": "pending", "created": 300},
            ],
        },
    }
    body = event("charge.refunded", charge)
    parsed = gateway.parse_webhook(body, sign(body))
    assert parsed.kind == PaymentEventKind.REFUND_SUCCEEDED
    assert (parsed.refund_id, parsed.amount_minor, parsed.refunded_total_minor) == ("re_new", 500, 1500)
    assert (parsed.provider_payment_id, parsed.currency) == ("pi_123", "USD")


def test_charge_refunded_without_refund_list_reports_only_the_total(gateway: StripeGateway) -> None:
    charge = {
        "id": "ch_1",
        "object": "charge",
        "payment_intent": "pi_123",
        "amount": 2500,
        "amount_refunded": 2500,
        "currency": "usd",
        "refunded": True,
    }
    body = event("charge.refunded", charge)
    parsed = gateway.parse_webhook(body, sign(body))
    assert parsed.kind == PaymentEventKind.REFUND_SUCCEEDED
    assert (parsed.refund_id, parsed.amount_minor, parsed.refunded_total_minor) == (None, None, 2500)


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        ("succeeded", PaymentEventKind.REFUND_SUCCEEDED),
        ("failed", PaymentEventKind.IGNORED),
        ("pending", PaymentEventKind.IGNORED),
    ],
)
def test_refund_updated(gateway: StripeGateway, status: str, kind: PaymentEventKind) -> None:
    refund = {
        "id": "re_9",
        "object": "refund",
        "amount": 1000,
        "currency": "usd",
        "payment_intent": "pi_123",
        "status": status,
    }
    body = event("refund.updated", refund)
    parsed = gateway.parse_webhook(body, sign(body))
    assert parsed.kind == kind
    assert (parsed.refund_id, parsed.amount_minor, parsed.provider_payment_id) == ("re_9", 1000, "pi_123")


def test_tampered_body_is_refused(gateway: StripeGateway) -> None:
    body = event("checkout.session.completed", session_obj())
    headers = sign(body)
    tampered = body.replace(b'"amount_total": 2500', b'"amount_total": 1')
    assert tampered != body
    with pytest.raises(SignatureError):
        gateway.parse_webhook(tampered, headers)


def test_wrong_secret_is_refused(gateway: StripeGateway) -> None:
    body = event("checkout.session.completed", session_obj())
    with pytest.raises(SignatureError):
        gateway.parse_webhook(body, sign(body, secret="whsec_someone_else"))


def test_stale_timestamp_is_refused_but_recent_one_accepted(gateway: StripeGateway) -> None:
    body = event("checkout.session.completed", session_obj())
    now = int(time.time())
    assert gateway.parse_webhook(body, sign(body, timestamp=now - 240)).kind == PaymentEventKind.PAYMENT_SUCCEEDED
    with pytest.raises(SignatureError):
        gateway.parse_webhook(body, sign(body, timestamp=now - 360))


def test_tolerance_is_configurable() -> None:
    strict = StripeGateway(SECRET_KEY, WEBHOOK_SECRET, tolerance_seconds=60)
    body = event("checkout.session.completed", session_obj())
    with pytest.raises(SignatureError):
        strict.parse_webhook(body, sign(body, timestamp=int(time.time()) - 120))


@pytest.mark.parametrize(
    "headers",
    [{}, {"Stripe-Signature": ""}, {"Stripe-Signature": "garbage"}, {"Stripe-Signature": "t=notanumber,v1=abc"}],
)
def test_missing_or_malformed_signature_is_refused(gateway: StripeGateway, headers: dict[str, str]) -> None:
    with pytest.raises(SignatureError):
        gateway.parse_webhook(event("checkout.session.completed", session_obj()), headers)


def test_without_webhook_secret_nothing_verifies() -> None:
    unconfigured = StripeGateway(SECRET_KEY, "")
    body = event("checkout.session.completed", session_obj())
    with pytest.raises(SignatureError):
        unconfigured.parse_webhook(body, sign(body, secret=""))


def test_signed_non_json_is_a_payload_error_not_a_crash(gateway: StripeGateway) -> None:
    body = b"not json"
    with pytest.raises(PaymentError) as info:
        gateway.parse_webhook(body, sign(body))
    assert info.value.code == PaymentErrorCode.INVALID_PAYLOAD
