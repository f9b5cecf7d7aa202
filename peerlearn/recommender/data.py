"""Input and output records of the recommender (plain dataclasses, no ORM)."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import datetime

Id = Hashable


@dataclass
class Item:
    """A bookable offering (a session). ``start_at`` None means it never expires."""

    item_id: Id
    tags: list[str] = field(default_factory=list)
    start_at: datetime | None = None
    title: str = ""
    description: str = ""
    mentor_id: Id | None = None
    price_minor: int | None = None
    language: str | None = None
    capacity_left: int | None = None
    category: str | None = None
    level: int | None = None  # the level it teaches as a rank (0 = beginner, 1, 2, 3 = expert); None = unknown
    mentor_rating: float | None = None  # the mentor's average review rating (1-5); None = unknown (a ranker feature)


@dataclass
class Interaction:
    """A learner's action on an item; ``weight`` scales its influence (a booking is 1)."""

    user_id: Id
    item_id: Id
    ts: datetime
    kind: str = "book"
    weight: float = 1.0


@dataclass
class UserProfile:
    """What a learner told us: interests/skills as tags, and hard preferences."""

    user_id: Id
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    price_cap_minor: int | None = None


@dataclass(frozen=True)
class PathStep:
    """The next step on a learning path the learner follows: a skill (one of the items' tags) at a level rank
    (None = any level), and the goal the path leads to. Given per request by the integration layer."""

    skill: str
    level: int | None
    goal: str


@dataclass
class Recommendation:
    item_id: Id
    score: float
    components: dict[str, float]
    explanation: str


@dataclass
class MentorRecommendation:
    mentor_id: Id
    score: float
    components: dict[str, float]
    explanation: str
    upcoming_item_ids: list[Id] = field(default_factory=list)


@dataclass
class TrendingItem:
    item_id: Id
    score: float
    explanation: str


@dataclass
class TrendingTag:
    tag: str
    score: float
