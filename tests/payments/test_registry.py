from __future__ import annotations

from collections.abc import Iterator

import pytest

from peerlearn.payments.base import CheckoutRequest, PaymentError, PaymentErrorCode, PaymentEventKind, PaymentGateway
from peerlearn.payments.razorpay_gateway import RazorpayGateway
from peerlearn.payments.registry import PaymentSettings, clear_gateway_cache, gateway_by_name, select_gateway
from peerlearn.payments.simulated import SimulatedGateway
from peerlearn.payments.stripe_gateway import StripeGateway

STRIPE = dict(stripe_secret_key="sk_test_registry_secret", stripe_webhook_secret="whsec_registry_secret")
RAZORPAY = dict(
    razorpay_key_id="rzp_test_id",
    razorpay_key_secret="rzp_registry_secret",
    razorpay_webhook_secret="rzp_registry_webhook_secret",
)


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    clear_gateway_cache()
    yield
    clear_gateway_cache()


def test_no_keys_means_simulated_for_every_currency() -> None:
    for currency in ("INR", "USD", "eur", "JPY"):
        assert isinstance(select_gateway(currency, PaymentSettings()), SimulatedGateway)


def test_inr_goes_to_razorpay_and_others_to_stripe() -> None:
    both = PaymentSettings(**STRIPE, **RAZORPAY)
    assert isinstance(select_gateway("INR", both), RazorpayGateway)
    assert isinstance(select_gateway("inr", both), RazorpayGateway)
    assert isinstance(select_gateway("USD", both), StripeGateway)
    assert isinstance(select_gateway("GBP", both), StripeGateway)


def test_inr_falls_back_to_stripe_and_others_never_go_to_razorpay() -> None:
    assert isinstance(select_gateway("INR", PaymentSettings(**STRIPE)), StripeGateway)
    assert isinstance(select_gateway("USD", PaymentSettings(**RAZORPAY)), SimulatedGateway)


def test_half_configured_provider_is_an_error_not_a_silent_fallback() -> None:
    with pytest.raises(PaymentError) as info:
        select_gateway("USD", PaymentSettings(stripe_secret_key="sk_test_only_the_key"))
    assert info.value.code == PaymentErrorCode.NOT_CONFIGURED
    assert "STRIPE_WEBHOOK_SECRET" in str(info.value)
    assert "sk_test_only_the_key" not in str(info.value)
    with pytest.raises(PaymentError):
        select_gateway("INR", PaymentSettings(razorpay_key_id="rzp_id", razorpay_key_secret="s"))


def test_simulated_can_be_forbidden_for_production() -> None:
    settings = PaymentSettings(allow_simulated=False)
    with pytest.raises(PaymentError) as info:
        select_gateway("USD", settings)
    assert info.value.code == PaymentErrorCode.NOT_CONFIGURED
    with pytest.raises(PaymentError):
        gateway_by_name("simulated", settings)
    assert isinstance(select_gateway("USD", PaymentSettings(**STRIPE, allow_simulated=False)), StripeGateway)


def test_gateway_by_name() -> None:
    settings = PaymentSettings(**STRIPE, **RAZORPAY)
    assert gateway_by_name("stripe", settings).name == "stripe"
    assert gateway_by_name("razorpay", settings).name == "razorpay"
    assert gateway_by_name("simulated", settings).name == "simulated"
    with pytest.raises(PaymentError) as info:
        gateway_by_name("paypal", settings)
    assert info.value.code == PaymentErrorCode.UNKNOWN_PROVIDER
    with pytest.raises(PaymentError) as info:
        gateway_by_name("stripe", PaymentSettings())
    assert info.value.code == PaymentErrorCode.NOT_CONFIGURED


def test_gateways_are_reused_per_settings_and_satisfy_the_protocol() -> None:
    settings = PaymentSettings(**STRIPE, **RAZORPAY)
    for name in ("stripe", "razorpay", "simulated"):
        gateway = gateway_by_name(name, settings)
        assert isinstance(gateway, PaymentGateway)
        assert gateway_by_name(name, settings) is gateway
    assert gateway_by_name("simulated", PaymentSettings(public_base_url="https://x")) is not gateway_by_name(
        "simulated", settings
    )


def test_settings_and_gateways_never_show_secrets() -> None:
    settings = PaymentSettings(**STRIPE, **RAZORPAY, simulated_secret="sim_registry_secret")
    shown = repr(settings) + "".join(repr(gateway_by_name(n, settings)) for n in ("stripe", "razorpay", "simulated"))
    for secret in (
        "sk_test_registry_secret",
        "whsec_registry_secret",
        "rzp_registry_secret",
        "rzp_registry_webhook_secret",
        "sim_registry_secret",
    ):
        assert secret not in shown


def test_simulated_without_a_configured_secret_still_round_trips() -> None:
    gateway = select_gateway("USD", PaymentSettings(public_base_url="http://localhost:3000"))
    assert isinstance(gateway, SimulatedGateway)
    checkout = gateway.create_checkout(
        CheckoutRequest(
            payment_id=1,
            booking_id=1,
            amount_minor=100,
            currency="USD",
            description="x",
            customer_email=None,
            success_url="/ok",
            cancel_url="/no",
            idempotency_key="k-1",
        )
    )
    assert checkout.checkout_url.startswith("http://localhost:3000/pay/simulated/sim_cs_")
    event = gateway.parse_webhook(*gateway.complete(checkout.provider_ref, "4242424242424242", 100, "USD"))
    assert event.kind == PaymentEventKind.PAYMENT_SUCCEEDED
