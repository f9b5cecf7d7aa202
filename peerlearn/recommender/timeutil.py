"""Time as float seconds, and exponential decay (the one time model used everywhere)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

DAY = 86400.0


def to_seconds(moment: datetime | float | int | None) -> float:
    """POSIX seconds; naive datetimes are taken as UTC; None -> +inf (never starts)."""
    if moment is None:
        return float("inf")
    if isinstance(moment, (int, float)):
        return float(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def decay(age_seconds: np.ndarray | float, half_life_days: float) -> np.ndarray:
    """0.5 ** (age / half-life); future events (negative age) count as now."""
    age = np.maximum(np.asarray(age_seconds, dtype=np.float64), 0.0)
    return np.power(0.5, age / (half_life_days * DAY))
