"""The one place PeerLearn converts and rounds money.

Amounts are integers in the currency's minor unit (cents, paise, yen) with the
ISO 4217 exponent. Nothing here touches floats: decimal strings and rates go
through ``Decimal``.

Rounding: ROUND_HALF_UP (ties away from zero), the rule people use by hand and
the one printed on receipts. Its tiny upward bias on ties never creates or
loses money, because every split below computes one share and gives the
remainder to the other side, so parts always sum exactly to the whole.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ROUNDING = ROUND_HALF_UP
BASIS_POINTS = 10_000

# ISO 4217 currencies whose minor unit is not 1/100; every other code has 2.
_EXPONENTS: dict[str, int] = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
    **dict.fromkeys(["CLF", "UYW"], 4),
}
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "INR": "₹", "JPY": "¥"}
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
# What a session, coupon or spend can be priced in: every code here has a known exponent and symbol,
# Stripe and the simulated gateway take all of them, and Razorpay takes INR (registry.py routes by currency).
SUPPORTED_CURRENCIES: tuple[str, ...] = ("USD", "EUR", "GBP", "INR", "JPY")

Rate = Decimal | float | str | int


def normalize_currency(currency: str) -> str:
    """Upper-case ISO code; raises ValueError for anything that is not three letters."""
    code = (currency or "").strip().upper()
    if not _CURRENCY_RE.match(code):
        raise ValueError(f"Not a currency code: {currency!r}")
    return code


def supported_currency(currency: str) -> str:
    """The normalised code when PeerLearn can charge in it; ValueError naming the supported ones otherwise."""
    code = normalize_currency(currency)
    if code not in SUPPORTED_CURRENCIES:
        raise ValueError(f"Currency {code} is not supported; use one of {', '.join(SUPPORTED_CURRENCIES)}")
    return code


def exponent(currency: str) -> int:
    """Number of decimal places of the currency's minor unit (JPY 0, INR 2, KWD 3)."""
    return _EXPONENTS.get(normalize_currency(currency), 2)


def to_minor(amount: str | Decimal | int, currency: str) -> int:
    """'12.50' USD -> 1250. Refuses floats and more decimals than the currency has,
    rather than silently rounding a price someone typed."""
    if isinstance(amount, (bool, float)):
        raise TypeError("Pass money as a decimal string, Decimal or int, never a float")
    try:
        value = Decimal(amount.strip() if isinstance(amount, str) else amount)
    except (InvalidOperation, ValueError):
        raise ValueError(f"Not an amount: {amount!r}") from None
    if not value.is_finite():
        raise ValueError(f"Not an amount: {amount!r}")
    scaled = value.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount!r} has more decimal places than {normalize_currency(currency)} allows")
    return int(scaled)


def from_minor(amount_minor: int, currency: str) -> Decimal:
    """1250 USD -> Decimal('12.50')."""
    exp = exponent(currency)
    return Decimal(_as_int(amount_minor)).scaleb(-exp).quantize(Decimal(1).scaleb(-exp))


def format_money(amount_minor: int, currency: str) -> str:
    """Display form: '$1,234.50', '-₹1,00,000.00' (Indian grouping), '¥1,200', '12.500 KWD'."""
    code = normalize_currency(currency)
    value = from_minor(amount_minor, code)
    sign = "-" if value < 0 else ""
    whole, _, frac = f"{abs(value):f}".partition(".")
    grouped = _group_indian(whole) if code == "INR" else f"{int(whole):,}"
    number = f"{grouped}.{frac}" if frac else grouped
    symbol = _SYMBOLS.get(code)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {code}"


def _group_indian(digits: str) -> str:
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    pairs: list[str] = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *pairs, tail])


def _as_int(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"Minor-unit amounts are ints, got {type(value).__name__}")
    return value


def _as_rate(rate: Rate) -> Decimal:
    """An int is basis points (1200 = 12 %); anything else is a fraction (0.12)."""
    if isinstance(rate, bool):
        raise TypeError("A rate cannot be a bool")
    if isinstance(rate, int):
        return Decimal(rate) / BASIS_POINTS
    try:
        # str() first so a float like 0.1 means 0.1, not 0.1000000000000000055...
        value = Decimal(str(rate).strip())
    except InvalidOperation:
        raise ValueError(f"Not a rate: {rate!r}") from None
    if not value.is_finite():
        raise ValueError(f"Not a rate: {rate!r}")
    return value


def _round(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUNDING))


def _div_half_up(numerator: int, denominator: int) -> int:
    """Exact integer division rounded half away from zero (no Decimal precision limit)."""
    quotient, remainder = divmod(abs(numerator), denominator)
    if 2 * remainder >= denominator:
        quotient += 1
    return quotient if numerator >= 0 else -quotient


def percent_of(amount_minor: int, basis_points_or_rate: Rate) -> int:
    """The share of an amount, rounded half-up to a whole minor unit.

    ``percent_of(1005, 1200)`` and ``percent_of(1005, 0.12)`` are both 121 (120.6).
    """
    return _round(Decimal(_as_int(amount_minor)) * _as_rate(basis_points_or_rate))


def split_commission(amount_minor: int, rate: Rate) -> tuple[int, int]:
    """(platform_minor, mentor_minor); the mentor gets the remainder so the two sum exactly."""
    value = _as_rate(rate)
    if not 0 <= value <= 1:
        raise ValueError(f"Commission rate must be between 0 and 1, got {rate!r}")
    platform = percent_of(amount_minor, value)
    return platform, amount_minor - platform


def prorate(part: int, whole: int, amount: int, *, already: int = 0) -> int:
    """The share of ``amount`` that ``part`` of ``whole`` stands for, rounded half-up.

    Used to reverse commission on a refund: ``prorate(refund, paid, platform_fee)``
    is the platform's share; the mentor's is ``refund`` minus it.

    For successive partial refunds pass ``already`` (the part refunded before).
    The share is then computed as a difference of cumulative roundings, so
    shares of parts that add up to ``whole`` add up to exactly ``amount``.
    """
    part, whole, amount, already = (_as_int(v) for v in (part, whole, amount, already))
    if whole <= 0:
        raise ValueError("whole must be positive")
    if part < 0 or already < 0 or already + part > whole:
        raise ValueError(f"parts must satisfy 0 <= already + part <= whole ({already} + {part} > {whole})")

    def cumulative(n: int) -> int:
        return _div_half_up(amount * n, whole)

    return cumulative(already + part) - cumulative(already)
