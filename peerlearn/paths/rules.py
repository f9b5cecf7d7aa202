"""Learning-path rules: the level order and what counts as a journey's step."""

from __future__ import annotations

from peerlearn.models.enums import BookingStatus, SkillLevel

LEVELS: tuple[SkillLevel, ...] = tuple(SkillLevel)  # beginner < intermediate < advanced < expert


def level_rank(level: SkillLevel | str) -> int:
    return LEVELS.index(SkillLevel(level))


def level_at(rank: int) -> SkillLevel:
    return LEVELS[max(0, min(rank, len(LEVELS) - 1))]


# A step is done by a completed booking; it is booked by one that holds a seat in an upcoming session.
DONE_STATUSES = frozenset({BookingStatus.COMPLETED})
