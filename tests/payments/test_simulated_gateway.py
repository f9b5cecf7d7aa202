from __future__ import annotations

import hashlib
import hmac
import json
import re
from typing import Any

import pytest

from peerlearn.payments.base import (
    CardError,
    CheckoutRequest,
    PaymentError,
    PaymentErrorCode,
    PaymentEventKind,
    SignatureError,
)
from peerlearn.payments.simulated import SIGNATURE_HEADER, SimulatedGateway

SECRET = "simulated-signing-secret"


class Clock:
    def __init__(self, now: float = 1_760_000_000) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def gateway(clock: Clock) -> SimulatedGateway:
    return SimulatedGateway(SECRET, "https://peer.example/", clock=clock)


def checkout_request(**overrides: Any) -> CheckoutRequest:
    values: dict[str, Any] = dict(
        payment_id=1,
        booking_id=2,
        amount_minor=1500,
        currency="EUR",
        description="Chess openings",
        customer_email=None,
        success_url="https://peer.example/ok",
        cancel_url="https://peer.example/no",
        idempotency_key="booking-2-attempt-1",
    )
    values.update(overrides)
    return CheckoutRequest(**values)


def test_checkout_url_is_a_peerlearn_page(gateway: SimulatedGateway) -> None:
    result = gateway.create_checkout(checkout_request())
    assert result.provider == "simulated"
    assert re.fullmatch(r"sim_cs_[0-9a-f]{32}", result.provider_ref)
    assert result.checkout_url == f"https://peer.example/pay/simulated/{result.provider_ref}"
    assert gateway.create_checkout(checkout_request()).provider_ref != result.provider_ref


def test_without_public_base_url_the_checkout_url_is_relative() -> None:
    result = SimulatedGateway(SECRET).create_checkout(checkout_request())
    assert result.checkout_url == f"/pay/simulated/{result.provider_ref}"


def test_checkout_validates_like_a_real_gateway(gateway: SimulatedGateway) -> None:
    with pytest.raises(PaymentError) as info:
        gateway.create_checkout(checkout_request(amount_minor=0))
    assert info.value.code == PaymentErrorCode.INVALID_REQUEST


@pytest.mark.parametrize("card", ["4242 4242 4242 4242", "4242424242424242", "4242-4242-4242-4242"])
def test_good_card_produces_a_signed_payment(gateway: SimulatedGateway, card: str) -> None:
    ref = gateway.create_checkout(checkout_request()).provider_ref
    body, headers = gateway.complete(ref, card, 1500, "eur")

    event = gateway.parse_webhook(body, headers)

    assert event.kind == PaymentEventKind.PAYMENT_SUCCEEDED
    assert (event.provider, event.provider_ref, event.amount_minor, event.currency) == ("simulated", ref, 1500, "EUR")
    assert event.provider_payment_id and event.provider_payment_id.startswith("sim_pay_")
    assert event.type == "payment.succeeded"


def test_declined_card_produces_a_signed_failure(gateway: SimulatedGateway) -> None:
    ref = gateway.create_checkout(checkout_request()).provider_ref
    event = gateway.parse_webhook(*gateway.complete(ref, "4000 0000 0000 0002", 1500, "EUR"))
    assert event.kind == PaymentEventKind.PAYMENT_FAILED
    assert event.provider_ref == ref
    assert event.provider_payment_id is None
    assert event.raw["data"]["failure_code"] == "card_declined"


@pytest.mark.parametrize("card", ["4111 1111 1111 1111", "", "4242 4242 4242 424", "abcd"])
def test_other_cards_raise_a_clear_card_error(gateway: SimulatedGateway, card: str) -> None:
    ref = gateway.create_checkout(checkout_request()).provider_ref
    with pytest.raises(CardError) as info:
        gateway.complete(ref, card, 1500, "EUR")
    assert info.value.code == PaymentErrorCode.INVALID_CARD
    assert "4242 4242 4242 4242" in str(info.value)


def test_complete_refuses_unknown_refs_and_bad_amounts(gateway: SimulatedGateway) -> None:
    with pytest.raises(PaymentError):
        gateway.complete("cs_not_ours", "4242424242424242", 1500, "EUR")
    ref = gateway.create_checkout(checkout_request()).provider_ref
    with pytest.raises(PaymentError):
        gateway.complete(ref, "4242424242424242", -1, "EUR")


def test_event_ids_are_unique(gateway: SimulatedGateway) -> None:
    ref = gateway.create_checkout(checkout_request()).provider_ref
    ids = {gateway.parse_webhook(*gateway.complete(ref, "4242424242424242", 1500, "EUR")).event_id for _ in range(20)}
    assert len(ids) == 20


def test_signature_is_hmac_sha256_over_timestamp_and_body(gateway: SimulatedGateway, clock: Clock) -> None:
    ref = gateway.create_checkout(checkout_request()).provider_ref
    body, headers = gateway.complete(ref, "4242424242424242", 1500, "EUR")
    expected = hmac.new(SECRET.encode(), f"{int(clock.now)}.".encode() + body, hashlib.sha256).hexdigest()
    assert headers[SIGNATURE_HEADER] == f"t={int(clock.now)},v1={expected}"


def paid(gateway: SimulatedGateway) -> tuple[bytes, dict[str, str]]:
    ref = gateway.create_checkout(checkout_request()).provider_ref
    return gateway.complete(ref, "4242424242424242", 1500, "EUR")


def test_tampered_body_is_refused(gateway: SimulatedGateway) -> None:
    body, headers = paid(gateway)
    tampered = body.replace(b'"amount_minor":1500', b'"amount_minor":1')
    assert tampered != body
    with pytest.raises(SignatureError):
        gateway.parse_webhook(tampered, headers)


def test_event_signed_with_another_secret_is_refused(gateway: SimulatedGateway, clock: Clock) -> None:
    forger = SimulatedGateway("another-secret", clock=clock)
    with pytest.raises(SignatureError):
        gateway.parse_webhook(*paid(forger))


@pytest.mark.parametrize("skew", [-301, 301])
def test_stale_or_future_timestamp_is_refused(gateway: SimulatedGateway, clock: Clock, skew: int) -> None:
    body, headers = paid(gateway)
    clock.now += skew
    with pytest.raises(SignatureError):
        gateway.parse_webhook(body, headers)


def test_delivery_within_tolerance_is_accepted(gateway: SimulatedGateway, clock: Clock) -> None:
    body, headers = paid(gateway)
    clock.now += 299
    assert gateway.parse_webhook(body, headers).kind == PaymentEventKind.PAYMENT_SUCCEEDED


@pytest.mark.parametrize("value", [None, "", "v1=abc", "t=1", "t=x,v1=abc", "nonsense"])
def test_missing_or_malformed_header_is_refused(gateway: SimulatedGateway, value: str | None) -> None:
    body, _ = paid(gateway)
    headers = {} if value is None else {SIGNATURE_HEADER: value}
    with pytest.raises(SignatureError):
        gateway.parse_webhook(body, headers)


def test_refund_succeeds_and_its_webhook_is_delivered_on_request(gateway: SimulatedGateway) -> None:
    result = gateway.refund("sim_pay_abc", 700, "EUR", "refund-1-1")
    assert (result.provider, result.status) == ("simulated", "succeeded")

    body, headers = gateway.refund_webhook(result.provider_refund_id)
    event = gateway.parse_webhook(body, headers)

    assert event.kind == PaymentEventKind.REFUND_SUCCEEDED
    assert (event.refund_id, event.provider_payment_id) == (result.provider_refund_id, "sim_pay_abc")
    assert (event.amount_minor, event.currency) == (700, "EUR")


def test_refund_is_idempotent_and_redelivery_keeps_the_event_id(gateway: SimulatedGateway, clock: Clock) -> None:
    first = gateway.refund("sim_pay_abc", 700, "EUR", "refund-1-1")
    assert gateway.refund("sim_pay_abc", 700, "EUR", "refund-1-1") == first
    assert gateway.refund("sim_pay_abc", 700, "EUR", "refund-1-2") != first

    event_id = gateway.parse_webhook(*gateway.refund_webhook(first.provider_refund_id)).event_id
    clock.now += 3600  # a redelivery an hour later is re-signed, so still within tolerance
    again = gateway.parse_webhook(*gateway.refund_webhook(first.provider_refund_id))
    assert again.event_id == event_id


def test_unknown_refund_webhook_is_an_error(gateway: SimulatedGateway) -> None:
    with pytest.raises(PaymentError) as info:
        gateway.refund_webhook("sim_re_nope")
    assert info.value.code == PaymentErrorCode.UNKNOWN_REFUND


def test_expiry_event(gateway: SimulatedGateway) -> None:
    ref = gateway.create_checkout(checkout_request()).provider_ref
    event = gateway.parse_webhook(*gateway.expire(ref))
    assert (event.kind, event.provider_ref) == (PaymentEventKind.CHECKOUT_EXPIRED, ref)


def test_unknown_event_types_are_ignored_not_errors(gateway: SimulatedGateway) -> None:
    event = gateway.parse_webhook(*gateway.deliver({"id": "evt_x", "type": "dispute.opened", "data": {}}))
    assert (event.kind, event.event_id, event.type) == (PaymentEventKind.IGNORED, "evt_x", "dispute.opened")


def test_signed_garbage_is_a_payload_error(gateway: SimulatedGateway) -> None:
    with pytest.raises(PaymentError) as info:
        gateway.parse_webhook(*gateway.deliver({"no": "type"}))
    assert info.value.code == PaymentErrorCode.INVALID_PAYLOAD


def test_secret_is_required_and_never_shown() -> None:
    with pytest.raises(PaymentError):
        SimulatedGateway("")
    assert SECRET not in repr(SimulatedGateway(SECRET, "https://peer.example"))
    assert json.loads(paid(SimulatedGateway(SECRET))[0])  # body is plain JSON, secret-free
    assert SECRET.encode() not in paid(SimulatedGateway(SECRET))[0]
