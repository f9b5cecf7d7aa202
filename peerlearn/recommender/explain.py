"""One-line reasons for a recommendation, taken from its strongest component."""

from __future__ import annotations

from collections.abc import Sequence


def join_names(names: Sequence[str], limit: int = 2) -> str:
    names = [n for n in names if n][:limit]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def strongest(contributions: dict[str, float]) -> str | None:
    """Name of the component adding most to the score (None if nothing does)."""
    best = max(contributions.items(), key=lambda kv: kv[1], default=(None, 0.0))
    return best[0] if best[1] > 0 else None


def content_reason(matched_tags: Sequence[str], similar_title: str | None) -> str:
    if matched_tags:
        return f"Matches your interest in {join_names(matched_tags)}"
    if similar_title:
        return f"Similar to “{similar_title}”, which you booked"
    return "Matches your profile"


def collab_item_reason(booked_title: str) -> str:
    return f"Learners who booked “{booked_title}” also booked this"


def collab_facet_reason(user_facet: str, item_facet: str, item_facet_is_mentor: bool) -> str:
    if item_facet_is_mentor:
        return f"Learners interested in {user_facet} book this mentor"
    if user_facet == item_facet:
        return f"Popular with learners who book {item_facet} sessions"
    return f"Learners interested in {user_facet} also book {item_facet}"


def popularity_reason(source: str, bookings: int, tag: str | None) -> str:
    if source == "own" and bookings > 0:
        return f"Popular: {bookings} learner{'s' if bookings != 1 else ''} booked"
    if source == "mentor":
        return "New session from a mentor whose sessions are in demand"
    if tag:
        return f"Popular in {tag}"
    return "Popular on PeerLearn"


def trending_reason(facet: str | None, facet_is_mentor: bool = False) -> str:
    if facet and facet_is_mentor:
        return "Sessions by this mentor are trending"
    return f"Trending in {facet}" if facet else "Trending: bookings are picking up"


EXPLORATION_REASON = "New session: be among the first to book"
FALLBACK_REASON = "Popular on PeerLearn"
NEW_REASON = "New on PeerLearn"
