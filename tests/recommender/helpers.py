"""Tiny hand-made catalogues for the recommender tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from peerlearn.recommender.config import RecommenderConfig
from peerlearn.recommender.data import Interaction, Item

NOW = datetime(2025, 1, 1, tzinfo=UTC)


def later(days: float) -> datetime:
    return NOW + timedelta(days=days)


def earlier(days: float) -> datetime:
    return NOW - timedelta(days=days)


def item(item_id, tags, start_days=5.0, mentor="m0", **kw) -> Item:
    return Item(
        item_id=item_id, tags=list(tags), start_at=later(start_days), title=kw.pop("title", ""), mentor_id=mentor, **kw
    )


def book(user, item_id, days_ago=1.0, weight=1.0) -> Interaction:
    return Interaction(user_id=user, item_id=item_id, ts=earlier(days_ago), weight=weight)


def plain_config(**kw) -> RecommenderConfig:
    """No fitted weights, no diversity, no exploration: predictable rankings."""
    base = dict(fit_weights=False, mmr_lambda=1.0, mentor_cap=None, exploration_share=0.0, cobooking_shrink=0.0)
    base.update(kw)
    return RecommenderConfig(**base)


def only(component: str) -> dict[str, float]:
    return {c: (1.0 if c == component else 0.0) for c in ("content", "collab", "popularity", "trending")}
