from __future__ import annotations

import itertools
import random
from decimal import Decimal

import pytest

from peerlearn.money import (
    exponent,
    format_money,
    from_minor,
    normalize_currency,
    percent_of,
    prorate,
    split_commission,
    to_minor,
)


@pytest.mark.parametrize(
    ("currency", "digits"),
    [("JPY", 0), ("jpy", 0), ("INR", 2), ("USD", 2), ("EUR", 2), ("GBP", 2), ("KWD", 3), ("CHF", 2)],
)
def test_exponent_follows_iso_4217(currency: str, digits: int) -> None:
    assert exponent(currency) == digits


@pytest.mark.parametrize("bad", ["", "US", "USDX", "U$D", "123"])
def test_bad_currency_codes_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        normalize_currency(bad)


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("12.50", "USD", 1250),
        ("12.5", "usd", 1250),
        (" 7 ", "INR", 700),
        ("-3.10", "EUR", -310),
        ("1200", "JPY", 1200),
        ("1.234", "KWD", 1234),
        ("0", "GBP", 0),
        ("0.01", "USD", 1),
    ],
)
def test_to_minor(text: str, currency: str, minor: int) -> None:
    assert to_minor(text, currency) == minor


def test_to_minor_accepts_decimal_and_int() -> None:
    assert to_minor(Decimal("19.99"), "USD") == 1999
    assert to_minor(20, "USD") == 2000


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("1.005", "USD"),
        ("12.5", "JPY"),
        ("1.2345", "KWD"),
        ("abc", "USD"),
        ("NaN", "USD"),
        ("Infinity", "USD"),
        ("", "USD"),
    ],
)
def test_to_minor_refuses_what_it_would_have_to_round_or_guess(text: str, currency: str) -> None:
    with pytest.raises(ValueError):
        to_minor(text, currency)


def test_to_minor_refuses_floats() -> None:
    with pytest.raises(TypeError):
        to_minor(12.5, "USD")  # type: ignore[arg-type]


def test_from_minor_round_trips() -> None:
    assert from_minor(1250, "USD") == Decimal("12.50")
    assert str(from_minor(5, "USD")) == "0.05"
    assert from_minor(1200, "JPY") == Decimal("1200")
    for minor in (-999, 0, 1, 1999, 123456789):
        assert to_minor(str(from_minor(minor, "INR")), "INR") == minor


def test_percent_of_rounds_half_up_not_to_even() -> None:
    assert percent_of(125, 5000) == 63  # 62.5: banker's rounding would give 62
    assert percent_of(135, "0.5") == 68  # 67.5
    assert percent_of(1005, 1200) == 121  # 120.6
    assert percent_of(1004, 1200) == 120  # 120.48
    assert percent_of(-125, 5000) == -63  # ties go away from zero, symmetric


def test_percent_of_reads_floats_as_their_decimal_text() -> None:
    # 0.3 as a binary float is 0.2999...; 5 * that would round to 1, not 2.
    assert percent_of(5, 0.3) == 2


def test_int_means_basis_points_and_other_types_mean_a_fraction() -> None:
    for amount in range(0, 5000, 7):
        assert percent_of(amount, 1250) == percent_of(amount, "0.125") == percent_of(amount, Decimal("0.125"))
    assert percent_of(10_000, 1) == 1  # 1 bp, not 100 %


def test_split_commission_sums_exactly_and_rounds_platform_half_up() -> None:
    rng = random.Random(7)
    for _ in range(2000):
        amount = rng.randint(0, 10_000_000)
        rate = rng.choice([0.12, "0.125", Decimal("0.0333"), 0.0, 1.0, 1500, 0.07])
        platform, mentor = split_commission(amount, rate)
        assert platform + mentor == amount
        assert platform == percent_of(amount, rate)
        assert 0 <= platform <= amount
    assert split_commission(1005, 0.12) == (121, 884)
    assert split_commission(4999, "0.125") == (625, 4374)  # 624.875 -> 625


def test_split_commission_matches_the_ledgers_placeholder_formula() -> None:
    for amount in range(0, 20_000, 13):
        assert split_commission(amount, 0.12)[0] == (amount * 1200 + 5000) // 10_000


@pytest.mark.parametrize("rate", [-0.01, 1.01, "2", 10_001])
def test_split_commission_refuses_rates_outside_0_to_1(rate: object) -> None:
    with pytest.raises(ValueError):
        split_commission(1000, rate)  # type: ignore[arg-type]


def test_prorate_single_share() -> None:
    assert prorate(1, 3, 100) == 33
    assert prorate(2, 3, 100) == 67
    assert prorate(500, 1000, 121) == 61  # 60.5 rounds up
    assert prorate(1000, 1000, 121) == 121
    assert prorate(0, 1000, 121) == 0


def test_successive_prorated_shares_sum_exactly_where_independent_rounding_does_not() -> None:
    parts, whole, amount = [1, 1, 1], 3, 100
    assert sum(prorate(p, whole, amount) for p in parts) == 99  # the problem
    already, total = 0, 0
    for part in parts:
        total += prorate(part, whole, amount, already=already)
        already += part
    assert total == amount


def test_prorate_sums_exactly_over_random_partial_refunds() -> None:
    rng = random.Random(11)
    for _ in range(500):
        whole = rng.randint(1, 1_000_000)
        amount = rng.randint(-whole, whole)
        cuts = sorted(rng.sample(range(1, whole), min(whole - 1, rng.randint(0, 8)))) if whole > 1 else []
        bounds = [0, *cuts, whole]
        shares = [prorate(b - a, whole, amount, already=a) for a, b in itertools.pairwise(bounds)]
        assert sum(shares) == amount


@pytest.mark.parametrize(("part", "whole", "already"), [(-1, 10, 0), (11, 10, 0), (5, 10, 6), (1, 0, 0)])
def test_prorate_refuses_parts_outside_the_whole(part: int, whole: int, already: int) -> None:
    with pytest.raises(ValueError):
        prorate(part, whole, 100, already=already)


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (123450, "USD", "$1,234.50"),
        (-5, "USD", "-$0.05"),
        (0, "EUR", "€0.00"),
        (99, "GBP", "£0.99"),
        (123456789, "INR", "₹12,34,567.89"),
        (99900, "INR", "₹999.00"),
        (10000000, "INR", "₹1,00,000.00"),
        (1200, "JPY", "¥1,200"),
        (12500, "KWD", "12.500 KWD"),
        (100000, "chf", "1,000.00 CHF"),
    ],
)
def test_format_money(minor: int, currency: str, text: str) -> None:
    assert format_money(minor, currency) == text


def test_minor_amounts_must_be_ints() -> None:
    with pytest.raises(TypeError):
        format_money(12.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        percent_of(True, 1000)
