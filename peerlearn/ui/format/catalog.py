"""Sessions as the discovery page, the session page and the recommendations strip show them."""

from __future__ import annotations

from collections.abc import Iterable

from peerlearn.booking.public import ReviewPublic
from peerlearn.booking.rules import describe_refund_policy
from peerlearn.catalog.public import LearningSessionPublic
from peerlearn.insights.recommendations import RecommendationPublic
from peerlearn.links import mentor_link
from peerlearn.live.public import ChatMessagePublic, RecordingPublic
from peerlearn.platform.timefmt import format_local
from peerlearn.ui.format.common import price_text, rating_text, stars
from peerlearn.ui.views import ChatLine, RecommendationCard, RecordingItem, ReviewItem, SessionCard, SessionFacts


def session_card(s: LearningSessionPublic, tz: str) -> SessionCard:
    return SessionCard(
        id=str(s.id),
        title=s.title,
        when=format_local(s.start_at, tz),
        mentor=s.mentor.full_name,
        rating=rating_text(s.mentor.rating_avg, s.mentor.rating_count),
        skills=", ".join(s.skills),
        price=price_text(s.price_minor, s.currency),
        level=s.level.value,
        spots="Full" if s.spots_left == 0 else f"{s.spots_left} left",
        language=s.language,
        mentor_href=mentor_link(s.mentor.id),
        sponsored=s.sponsored,
    )


def session_facts(s: LearningSessionPublic, tz: str) -> SessionFacts:
    return SessionFacts(
        id=str(s.id),
        title=s.title,
        description=s.description,
        when=format_local(s.start_at, tz),
        minutes=str(int((s.end_at - s.start_at).total_seconds() // 60)),
        price=price_text(s.price_minor, s.currency),
        free=s.price_minor == 0,
        level=s.level.value,
        language=s.language,
        category=s.category or "",
        status=s.status.value,
        capacity=str(s.capacity),
        policy=describe_refund_policy(s.refund_policy, s.partial_refund_percent, s.cancellation_cutoff_hours),
        mentor_name=s.mentor.full_name,
        mentor_headline=s.mentor.headline,
        mentor_rating=rating_text(s.mentor.rating_avg, s.mentor.rating_count),
        mentor_reviews=str(s.mentor.rating_count),
        mentor_taught=str(s.mentor.sessions_taught),
        requires_approval=s.requires_approval,
        mentor_href=mentor_link(s.mentor.id),
    )


def review_items(reviews: Iterable[ReviewPublic]) -> list[ReviewItem]:
    return [ReviewItem(str(r.id), r.learner_name, stars(r.rating), r.comment, r.reply) for r in reviews]


def recording_items(recordings: Iterable[RecordingPublic], tz: str) -> list[RecordingItem]:
    return [
        RecordingItem(str(r.id), format_local(r.started_at, tz), str(r.minutes), r.url, r.download_url)
        for r in recordings
    ]


def chat_log(messages: Iterable[ChatMessagePublic], tz: str) -> list[ChatLine]:
    """A past session's chat, each message with its local date and time."""
    return [ChatLine(m.author, m.body, format_local(m.created_at, tz)) for m in messages]


def recommendation_card(item: RecommendationPublic, tz: str) -> RecommendationCard:
    s = item.session
    return RecommendationCard(
        id=str(s.id),
        title=s.title,
        why=item.explanation,
        when=format_local(s.start_at, tz),
        mentor=s.mentor.full_name,
        price=price_text(s.price_minor, s.currency),
    )
