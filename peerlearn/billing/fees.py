"""The learner's service fee: a percent of the price after coupons plus a fixed amount per currency.

Pure rules, no database. The fee is decided once, when the seat is held, and kept on the booking and its payment
(`learner_fee_minor`), so a later change of the settings never alters a past booking. It is off by default
(`LEARNER_FEE_BASIS_POINTS=0`, no `LEARNER_FEE_FIXED_MINOR`), and a free session (nothing due after the coupon)
never carries it.
"""

from __future__ import annotations

from collections.abc import Mapping

from peerlearn.config import get_settings
from peerlearn.money import normalize_currency, percent_of

SERVICE_FEE_LABEL = "Service fee"


def learner_fee(amount_due_minor: int, currency: str, *, basis_points: int, fixed_minor: Mapping[str, int]) -> int:
    """The fee in minor units on top of `amount_due_minor` (the price after coupons); 0 when nothing is due."""
    if amount_due_minor <= 0:
        return 0
    return percent_of(amount_due_minor, basis_points) + fixed_minor.get(normalize_currency(currency), 0)


def current_learner_fee(amount_due_minor: int, currency: str) -> int:
    """The fee the settings ask for now (fixed on a booking when its seat is held)."""
    settings = get_settings()
    return learner_fee(
        amount_due_minor,
        currency,
        basis_points=settings.learner_fee_basis_points,
        fixed_minor=settings.learner_fee_fixed_minor,
    )
