"""The Razorpay adapter through the real ``razorpay`` SDK against a local fake API."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
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
from peerlearn.payments.razorpay_gateway import RazorpayGateway, provider_safe_ref
from tests.payments.fake_api import FakeAPI, Recorded

KEY_ID = "rzp_test_PeerLearnKey"
KEY_SECRET = "rzp_key_secret_do_not_leak"
WEBHOOK_SECRET = "rzp_webhook_secret_do_not_leak"
NOW = 1_760_000_000


def make_gateway(base_url: str, **kwargs: Any) -> RazorpayGateway:
    return RazorpayGateway(KEY_ID, KEY_SECRET, WEBHOOK_SECRET, base_url=base_url, clock=lambda: NOW, **kwargs)


def checkout_request(**overrides: Any) -> CheckoutRequest:
    values: dict[str, Any] = dict(
        payment_id=11,
        booking_id=5,
        amount_minor=49900,
        currency="INR",
        description="Python tutoring (45 min)",
        customer_email="learner@example.in",
        success_url="https://peer.example/pay/razorpay/return?p=11",
        cancel_url="https://peer.example/pay/cancelled",
        idempotency_key="booking-5-attempt-1",
    )
    values.update(overrides)
    return CheckoutRequest(**values)


def link_response(request: Recorded) -> tuple[int, dict[str, Any]]:
    sent = request.json()
    return 200, {
        "id": "plink_Pq1",
        "short_url": "https://rzp.io/i/Pq1",
        "status": "created",
        "amount": sent["amount"],
        "currency": sent["currency"],
        "reference_id": sent["reference_id"],
    }


def rzp_error(status: int, code: str, description: str) -> Any:
    return lambda _: (status, {"error": {"code": code, "description": description}})


def test_create_checkout_creates_a_payment_link(fake_api: FakeAPI) -> None:
    fake_api.route("POST", "/v1/payment_links", link_response)

    result = make_gateway(fake_api.base_url).create_checkout(checkout_request())

    assert (result.provider, result.provider_ref, result.checkout_url) == (
        "razorpay",
        "plink_Pq1",
        "https://rzp.io/i/Pq1",
    )
    sent = fake_api.only("POST", "/v1/payment_links")
    body = sent.json()
    assert body["amount"] == 49900  # paise
    assert body["currency"] == "INR"
    assert body["callback_url"] == "https://peer.example/pay/razorpay/return?p=11"
    assert body["callback_method"] == "get"
    assert body["reference_id"] == "booking-5-attempt-1"
    assert body["expire_by"] == NOW + 1800
    assert body["notes"] == {"payment_id": "11", "booking_id": "5"}
    assert body["customer"] == {"email": "learner@example.in"}
    assert body["accept_partial"] is False
    expected_auth = base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()
    assert sent.headers["authorization"] == f"Basic {expected_auth}"


def test_expiry_respects_razorpays_15_minute_floor(fake_api: FakeAPI) -> None:
    fake_api.route("POST", "/v1/payment_links", link_response)
    make_gateway(fake_api.base_url).create_checkout(checkout_request(expires_in_seconds=300, customer_email=None))
    body = fake_api.only("POST", "/v1/payment_links").json()
    assert body["expire_by"] == NOW + 16 * 60
    assert "customer" not in body


def test_long_idempotency_keys_become_a_stable_40_char_reference() -> None:
    key = "booking:5:attempt:1:" + "x" * 60
    ref = provider_safe_ref(key)
    assert len(ref) == 40 and ref == provider_safe_ref(key) and ref != provider_safe_ref(key + "y")
    assert provider_safe_ref("short") != "short"  # under Razorpay's 10-character minimum
    assert provider_safe_ref("booking-5-attempt-1") == "booking-5-attempt-1"


def test_retry_after_a_lost_response_reuses_the_existing_link(fake_api: FakeAPI) -> None:
    fake_api.route("POST", "/v1/payment_links", rzp_error(400, "BAD_REQUEST_ERROR", "reference_id already exists"))
    fake_api.route(
        "GET",
        "/v1/payment_links",
        lambda req: (
            200,
            {
                "count": 1,
                "payment_links": [
                    {
                        "id": "plink_Old",
                        "short_url": "https://rzp.io/i/Old",
                        "status": "created",
                        "amount": 49900,
                        "currency": "INR",
                        "reference_id": req.query["reference_id"],
                    }
                ],
            },
        ),
    )

    result = make_gateway(fake_api.base_url).create_checkout(checkout_request())

    assert result.provider_ref == "plink_Old"
    assert fake_api.only("GET", "/v1/payment_links").query == {"reference_id": "booking-5-attempt-1"}


def test_rejection_without_a_matching_link_is_raised(fake_api: FakeAPI) -> None:
    fake_api.route("POST", "/v1/payment_links", rzp_error(400, "BAD_REQUEST_ERROR", "The amount is invalid"))
    fake_api.route(
        "GET",
        "/v1/payment_links",
        lambda req: (
            200,
            {
                "count": 1,
                "payment_links": [
                    {
                        "id": "plink_Other",
                        "short_url": "https://rzp.io/i/O",
                        "status": "created",
                        "amount": 100,
                        "currency": "INR",
                        "reference_id": req.query["reference_id"],
                    }
                ],
            },
        ),
    )
    with pytest.raises(PaymentError) as info:
        make_gateway(fake_api.base_url).create_checkout(checkout_request())
    assert info.value.code == PaymentErrorCode.GATEWAY_REJECTED
    assert "amount is invalid" in (info.value.detail or "")


def test_refused_keys_are_an_auth_error(fake_api: FakeAPI) -> None:
    fake_api.route("POST", "/v1/payment_links", rzp_error(401, "BAD_REQUEST_ERROR", "Authentication failed"))
    with pytest.raises(PaymentError) as info:
        make_gateway(fake_api.base_url).create_checkout(checkout_request())
    assert info.value.code == PaymentErrorCode.GATEWAY_AUTH
    assert fake_api.requests[-1].method == "POST"  # no lookup after an auth failure


def test_server_error_is_unavailable(fake_api: FakeAPI) -> None:
    fake_api.route("POST", "/v1/payments/pay_X1/refund", rzp_error(502, "SERVER_ERROR", "upstream down"))
    with pytest.raises(GatewayUnavailableError):
        make_gateway(fake_api.base_url).refund("pay_X1", 100, "INR", "refund-11-0001")


def test_unreachable_razorpay_is_unavailable(closed_port_url: str) -> None:
    with pytest.raises(GatewayUnavailableError):
        make_gateway(closed_port_url, timeout_seconds=5).create_checkout(checkout_request())


@pytest.mark.parametrize(
    ("rzp_status", "ours"), [("processed", "succeeded"), ("pending", "pending"), ("failed", "failed")]
)
def test_refund_is_idempotent_per_key(fake_api: FakeAPI, rzp_status: str, ours: str) -> None:
    fake_api.route(
        "POST",
        "/v1/payments/pay_X1/refund",
        lambda req: (
            200,
            {
                "id": "rfnd_A1",
                "entity": "refund",
                "amount": req.json()["amount"],
                "currency": "INR",
                "payment_id": "pay_X1",
                "status": rzp_status,
            },
        ),
    )

    result = make_gateway(fake_api.base_url).refund("pay_X1", 25000, "INR", "refund-11-0001")

    assert (result.provider, result.provider_refund_id, result.status) == ("razorpay", "rfnd_A1", ours)
    sent = fake_api.only("POST", "/v1/payments/pay_X1/refund")
    assert sent.json()["amount"] == 25000
    assert sent.json()["receipt"] == "refund-11-0001"
    assert sent.headers["x-refund-idempotency"] == "refund-11-0001"


def test_keys_never_reach_logs_or_output(
    fake_api: FakeAPI, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    fake_api.route("POST", "/v1/payment_links", rzp_error(500, "SERVER_ERROR", "boom"))
    gateway = make_gateway(fake_api.base_url)
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(GatewayUnavailableError) as info:
            gateway.create_checkout(checkout_request())
        with pytest.raises(SignatureError):
            gateway.parse_webhook(b"{}", {"X-Razorpay-Signature": "00"})
    out = capsys.readouterr()
    seen = caplog.text + out.out + out.err + repr(gateway) + str(info.value) + (info.value.detail or "")
    for secret in (KEY_SECRET, WEBHOOK_SECRET):
        assert secret not in seen


# --- callback (redirect back to callback_url) -----------------------------


def callback_query(
    link_id: str,
    status: str = "paid",
    payment_id: str = "pay_X1",
    reference: str = "booking-5-attempt-1",
    secret: str = KEY_SECRET,
) -> dict[str, str]:
    message = f"{link_id}|{reference}|{status}|{payment_id}"
    return {
        "razorpay_payment_id": payment_id,
        "razorpay_payment_link_id": link_id,
        "razorpay_payment_link_reference_id": reference,
        "razorpay_payment_link_status": status,
        "razorpay_signature": hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest(),
    }


@pytest.fixture
def gateway() -> RazorpayGateway:
    """Callbacks and webhooks need no API; no request is ever made here."""
    return RazorpayGateway(KEY_ID, KEY_SECRET, WEBHOOK_SECRET)


def test_callback_verifies_against_the_stored_link(gateway: RazorpayGateway) -> None:
    assert gateway.verify_callback("plink_Pq1", callback_query("plink_Pq1")) is True


def test_callback_naming_another_link_is_refused(gateway: RazorpayGateway) -> None:
    # A genuine, correctly signed callback, but for a different (cheaper) link.
    genuine_other = callback_query("plink_Cheap")
    assert gateway.verify_callback("plink_Cheap", genuine_other) is True
    assert gateway.verify_callback("plink_Pq1", genuine_other) is False
    # Even with the link id removed from the query, the signature binds it.
    without_id = {k: v for k, v in genuine_other.items() if k != "razorpay_payment_link_id"}
    assert gateway.verify_callback("plink_Pq1", without_id) is False


def test_callback_with_tampered_fields_or_wrong_secret_is_refused(gateway: RazorpayGateway) -> None:
    tampered = {**callback_query("plink_Pq1"), "razorpay_payment_id": "pay_Other"}
    assert gateway.verify_callback("plink_Pq1", tampered) is False
    assert gateway.verify_callback("plink_Pq1", callback_query("plink_Pq1", secret="not-the-secret")) is False
    missing = {k: v for k, v in callback_query("plink_Pq1").items() if k != "razorpay_signature"}
    assert gateway.verify_callback("plink_Pq1", missing) is False
    assert gateway.verify_callback("", callback_query("")) is False


def test_signed_but_unpaid_callback_is_not_a_payment(gateway: RazorpayGateway) -> None:
    cancelled = callback_query("plink_Pq1", status="cancelled")
    assert gateway.verify_callback("plink_Pq1", cancelled) is False
    assert gateway.verify_callback("plink_Pq1", cancelled, require_paid=False) is True


# --- webhooks -------------------------------------------------------------


def signed(
    payload: dict[str, Any], secret: str = WEBHOOK_SECRET, event_id: str | None = "EvtRzp001"
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    headers = {"X-Razorpay-Signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}
    if event_id:
        headers["X-Razorpay-Event-Id"] = event_id
    return body, headers


def link_paid() -> dict[str, Any]:
    return {
        "entity": "event",
        "account_id": "acc_1",
        "event": "payment_link.paid",
        "contains": ["payment_link", "order", "payment"],
        "created_at": NOW,
        "payload": {
            "payment_link": {
                "entity": {
                    "id": "plink_Pq1",
                    "amount": 49900,
                    "amount_paid": 49900,
                    "currency": "INR",
                    "reference_id": "booking-5-attempt-1",
                    "status": "paid",
                    "notes": {"payment_id": "11", "booking_id": "5"},
                }
            },
            "payment": {"entity": {"id": "pay_X1", "amount": 49900, "currency": "INR", "status": "captured"}},
            "order": {"entity": {"id": "order_1", "amount": 49900, "status": "paid"}},
        },
    }


def refund_processed() -> dict[str, Any]:
    return {
        "entity": "event",
        "event": "refund.processed",
        "contains": ["refund", "payment"],
        "payload": {
            "refund": {
                "entity": {
                    "id": "rfnd_A1",
                    "amount": 25000,
                    "currency": "INR",
                    "payment_id": "pay_X1",
                    "status": "processed",
                }
            },
            "payment": {"entity": {"id": "pay_X1", "amount": 49900, "amount_refunded": 25000, "currency": "INR"}},
        },
    }


def test_payment_link_paid_is_a_payment(gateway: RazorpayGateway) -> None:
    parsed = gateway.parse_webhook(*signed(link_paid()))
    assert parsed.kind == PaymentEventKind.PAYMENT_SUCCEEDED
    assert (parsed.provider, parsed.event_id, parsed.type) == ("razorpay", "EvtRzp001", "payment_link.paid")
    assert (parsed.provider_ref, parsed.provider_payment_id) == ("plink_Pq1", "pay_X1")
    assert (parsed.amount_minor, parsed.currency) == (49900, "INR")


def test_refund_processed_is_a_refund(gateway: RazorpayGateway) -> None:
    parsed = gateway.parse_webhook(*signed(refund_processed()))
    assert parsed.kind == PaymentEventKind.REFUND_SUCCEEDED
    assert (parsed.refund_id, parsed.provider_payment_id, parsed.amount_minor) == ("rfnd_A1", "pay_X1", 25000)
    assert (parsed.currency, parsed.refunded_total_minor, parsed.provider_ref) == ("INR", 25000, None)


def test_expired_link_and_unknown_events(gateway: RazorpayGateway) -> None:
    expired = {
        "event": "payment_link.expired",
        "payload": {
            "payment_link": {"entity": {"id": "plink_Pq1", "amount": 49900, "currency": "INR", "status": "expired"}}
        },
    }
    assert gateway.parse_webhook(*signed(expired)).kind == PaymentEventKind.CHECKOUT_EXPIRED
    for event_type in ("payment.captured", "payment.failed", "order.paid", "something.new"):
        parsed = gateway.parse_webhook(*signed({"event": event_type, "payload": {}}))
        assert parsed.kind == PaymentEventKind.IGNORED
        assert parsed.type == event_type


def test_event_id_falls_back_to_a_stable_hash_of_the_body(gateway: RazorpayGateway) -> None:
    first = gateway.parse_webhook(*signed(link_paid(), event_id=None))
    again = gateway.parse_webhook(*signed(link_paid(), event_id=None))
    other = gateway.parse_webhook(*signed(refund_processed(), event_id=None))
    assert first.event_id.startswith("sha256:")
    assert first.event_id == again.event_id != other.event_id


def test_tampered_body_is_refused(gateway: RazorpayGateway) -> None:
    body, headers = signed(link_paid())
    tampered = body.replace(b"49900", b"100")
    assert tampered != body
    with pytest.raises(SignatureError):
        gateway.parse_webhook(tampered, headers)


def test_wrong_secret_is_refused(gateway: RazorpayGateway) -> None:
    with pytest.raises(SignatureError):
        gateway.parse_webhook(*signed(link_paid(), secret=KEY_SECRET))  # the API secret is not the webhook secret


@pytest.mark.parametrize("headers", [{}, {"X-Razorpay-Signature": ""}, {"X-Razorpay-Event-Id": "E1"}])
def test_missing_signature_is_refused(gateway: RazorpayGateway, headers: dict[str, str]) -> None:
    with pytest.raises(SignatureError):
        gateway.parse_webhook(json.dumps(link_paid()).encode(), headers)


def test_lower_case_headers_work(gateway: RazorpayGateway) -> None:
    body, headers = signed(link_paid())
    parsed = gateway.parse_webhook(body, {k.lower(): v for k, v in headers.items()})
    assert (parsed.kind, parsed.event_id) == (PaymentEventKind.PAYMENT_SUCCEEDED, "EvtRzp001")
