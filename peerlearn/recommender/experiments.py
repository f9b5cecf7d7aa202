"""A/B experiment arithmetic: assignment, tests, intervals, sample sizes.

Pure functions; assignment hashes with SHA-256 so a learner gets the same
variant in every process and on every machine (Python's ``hash()`` is salted
per process).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping, Sequence

from scipy.special import gammaincc, ndtri


def _unit(key: str) -> float:
    """A uniform number in [0, 1) from a string, stable everywhere."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2.0**64


def assign_variant(user_id: object, experiment_key: str, split: Mapping[str, float] | Sequence[str]) -> str:
    """Variant for a learner. ``split`` maps variant -> traffic share (shares are
    normalised), or lists variants for an even split. Changing the experiment
    key reshuffles everyone; the same key always gives the same answer."""
    shares = {v: 1.0 for v in split} if not isinstance(split, Mapping) else dict(split)
    total = sum(shares.values())
    if not shares or total <= 0 or any(s < 0 for s in shares.values()):
        raise ValueError("traffic shares must be non-negative and not all zero")
    u = _unit(f"{experiment_key}\x1f{user_id}") * total
    acc = 0.0
    for variant, share in shares.items():
        acc += share
        if u < acc:
            return variant
    return next(reversed(shares))  # u == total only through rounding


def two_proportion_ztest(successes_a: int, n_a: int, successes_b: int, n_b: int) -> tuple[float, float]:
    """Pooled two-proportion z-test of B vs A: (z, two-sided p-value)."""
    if min(n_a, n_b) <= 0:
        raise ValueError("both groups need at least one observation")
    p_a, p_b = successes_a / n_a, successes_b / n_b
    pooled = (successes_a + successes_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return 0.0, 1.0
    z = (p_b - p_a) / se
    return z, math.erfc(abs(z) / math.sqrt(2))


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion (good at small n and near 0 or 1)."""
    if n <= 0:
        raise ValueError("n must be positive")
    z = float(ndtri(0.5 + confidence / 2))
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def normal_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wald (normal approximation) interval, clipped to [0, 1]."""
    if n <= 0:
        raise ValueError("n must be positive")
    z = float(ndtri(0.5 + confidence / 2))
    p = successes / n
    half = z * math.sqrt(p * (1 - p) / n)
    return max(0.0, p - half), min(1.0, p + half)


def sample_ratio_mismatch(observed: Sequence[int], expected_shares: Sequence[float]) -> tuple[float, float]:
    """Chi-square goodness of fit of the observed variant counts to the planned
    split: (statistic, p-value). A tiny p (say < 0.001) means the assignment or
    logging is broken and the experiment's results should not be trusted."""
    if len(observed) != len(expected_shares) or len(observed) < 2:
        raise ValueError("need one expected share per observed count, at least two")
    total, share_sum = sum(observed), sum(expected_shares)
    stat = sum(
        (o - total * s / share_sum) ** 2 / (total * s / share_sum)
        for o, s in zip(observed, expected_shares, strict=True)
    )
    dof = len(observed) - 1
    return stat, float(gammaincc(dof / 2, stat / 2))


def sample_size_per_variant(
    baseline_rate: float, mde: float, alpha: float = 0.05, power: float = 0.8, relative: bool = False
) -> int:
    """Learners per variant for a fixed-horizon two-sided two-proportion test to
    detect a change of ``mde`` (absolute, or relative to the baseline when
    ``relative``) with the given significance and power."""
    p1 = baseline_rate
    p2 = baseline_rate * (1 + mde) if relative else baseline_rate + mde
    if not (0 < p1 < 1 and 0 < p2 < 1) or p1 == p2:
        raise ValueError("rates must lie strictly between 0 and 1 and differ")
    z_a = float(ndtri(1 - alpha / 2))
    z_b = float(ndtri(power))
    p_bar = (p1 + p2) / 2
    num = z_a * math.sqrt(2 * p_bar * (1 - p_bar)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(num * num / (p2 - p1) ** 2)


def minimum_detectable_effect(
    baseline_rate: float, n_per_variant: int, alpha: float = 0.05, power: float = 0.8
) -> float:
    """Smallest absolute lift detectable with ``n_per_variant`` learners per arm
    (inverse of :func:`sample_size_per_variant`, by bisection)."""
    lo, hi = 1e-9, 1 - baseline_rate - 1e-9
    if sample_size_per_variant(baseline_rate, hi, alpha, power) > n_per_variant:
        return float("nan")
    for _ in range(100):
        mid = (lo + hi) / 2
        if sample_size_per_variant(baseline_rate, mid, alpha, power) > n_per_variant:
            lo = mid
        else:
            hi = mid
    return hi
