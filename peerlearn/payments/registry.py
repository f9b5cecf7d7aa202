"""Which gateway handles a payment, built from a small settings object.

Routing: INR goes to Razorpay when it is configured; every currency (INR
included, when Razorpay is not configured) goes to Stripe when Stripe is
configured; otherwise the simulated gateway, unless ``allow_simulated`` is off
(production), in which case checkout refuses rather than giving sessions away.

A provider counts as configured only with its API key(s) AND webhook secret:
without the secret no payment could ever be confirmed. Half a configuration is
an error, not a silent fallback to the simulated gateway.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from functools import lru_cache

from peerlearn.money import normalize_currency
from peerlearn.payments.base import PaymentError, PaymentErrorCode, PaymentGateway
from peerlearn.payments.razorpay_gateway import RazorpayGateway
from peerlearn.payments.simulated import SimulatedGateway
from peerlearn.payments.stripe_gateway import StripeGateway

PROVIDERS = ("stripe", "razorpay", "simulated")


@dataclass(frozen=True)
class PaymentSettings:
    """Secrets are excluded from repr so that logging a settings object is safe."""

    stripe_secret_key: str = field(default="", repr=False)
    stripe_webhook_secret: str = field(default="", repr=False)
    stripe_api_base: str = ""
    razorpay_key_id: str = ""
    razorpay_key_secret: str = field(default="", repr=False)
    razorpay_webhook_secret: str = field(default="", repr=False)
    razorpay_base_url: str = ""
    simulated_secret: str = field(default="", repr=False)  # empty: a random per-process secret
    public_base_url: str = ""
    allow_simulated: bool = True  # set False in production

    @property
    def stripe_configured(self) -> bool:
        return _configured(
            "Stripe", {"STRIPE_SECRET_KEY": self.stripe_secret_key, "STRIPE_WEBHOOK_SECRET": self.stripe_webhook_secret}
        )

    @property
    def razorpay_configured(self) -> bool:
        return _configured(
            "Razorpay",
            {
                "RAZORPAY_KEY_ID": self.razorpay_key_id,
                "RAZORPAY_KEY_SECRET": self.razorpay_key_secret,
                "RAZORPAY_WEBHOOK_SECRET": self.razorpay_webhook_secret,
            },
        )


def _configured(provider: str, values: dict[str, str]) -> bool:
    missing = [name for name, value in values.items() if not value]
    if len(missing) == len(values):
        return False
    if missing:
        raise PaymentError(
            f"{provider} is partly configured: set {', '.join(missing)} as well",
            PaymentErrorCode.NOT_CONFIGURED,
            provider=provider.lower(),
        )
    return True


def select_gateway(currency: str, settings: PaymentSettings) -> PaymentGateway:
    """The gateway a new checkout in ``currency`` should use."""
    try:
        code = normalize_currency(currency)
    except ValueError as exc:
        raise PaymentError(str(exc), PaymentErrorCode.INVALID_REQUEST) from None
    if code == "INR" and settings.razorpay_configured:
        return gateway_by_name("razorpay", settings)
    if settings.stripe_configured:
        return gateway_by_name("stripe", settings)
    return gateway_by_name("simulated", settings)


def gateway_by_name(name: str, settings: PaymentSettings) -> PaymentGateway:
    """The gateway for a stored payment or a webhook route (``/webhooks/{name}``).

    Instances are cached per settings value, so the SDK clients' connection
    pools and the simulated gateway's refund events live as long as the process.
    """
    if name == "stripe" and not settings.stripe_configured:
        raise PaymentError("Stripe is not configured", PaymentErrorCode.NOT_CONFIGURED, provider=name)
    if name == "razorpay" and not settings.razorpay_configured:
        raise PaymentError("Razorpay is not configured", PaymentErrorCode.NOT_CONFIGURED, provider=name)
    if name == "simulated" and not settings.allow_simulated:
        raise PaymentError("No payment provider is configured", PaymentErrorCode.NOT_CONFIGURED, provider=name)
    if name not in PROVIDERS:
        raise PaymentError(f"Unknown payment provider {name!r}", PaymentErrorCode.UNKNOWN_PROVIDER)
    return _build(name, settings)


@lru_cache(maxsize=16)
def _build(name: str, settings: PaymentSettings) -> PaymentGateway:
    if name == "stripe":
        return StripeGateway(
            settings.stripe_secret_key, settings.stripe_webhook_secret, api_base=settings.stripe_api_base or None
        )
    if name == "razorpay":
        return RazorpayGateway(
            settings.razorpay_key_id,
            settings.razorpay_key_secret,
            settings.razorpay_webhook_secret,
            base_url=settings.razorpay_base_url or None,
        )
    return SimulatedGateway(settings.simulated_secret or _process_secret(), settings.public_base_url)


@lru_cache(maxsize=1)
def _process_secret() -> str:
    """Dev fallback: webhooks signed and checked within one process only."""
    return secrets.token_hex(32)


def clear_gateway_cache() -> None:
    """For tests and settings reloads."""
    _build.cache_clear()
