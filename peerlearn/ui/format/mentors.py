"""Mentors as the /mentors directory and a mentor's profile page show them: cards, trust signals, sessions, reviews.

A signal is shown only when the data holds it (a count above zero, a verified status, a stated number of years);
a mentor nobody has rated yet says so instead of showing a rating.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from peerlearn.booking.public import ReviewPublic
from peerlearn.catalog.mentors import MentorProfilePublic, MentorSummary
from peerlearn.links import mentor_link, session_link
from peerlearn.models.catalog import LearningSessionPublic
from peerlearn.platform.timefmt import format_local, valid_zone
from peerlearn.ui.format.common import price_text, rating_text, stars


@dataclass(frozen=True)
class MentorCardView:
    """One mentor in the directory."""

    id: str
    name: str
    initials: str
    avatar: str
    headline: str
    rating: str  # '4.8' or 'New'
    reviews: str  # '12 reviews' or 'No reviews yet'
    taught: str  # '50 sessions taught' ('' when none)
    verified: bool
    skills: list[str]
    next_free: str  # 'Next free seat Tue 3 Dec, 18:00 GMT+1 (Europe/Berlin)' or 'No open sessions right now'
    has_next: bool
    href: str
    pro: bool = False  # their paid plan gives the Pro badge


@dataclass(frozen=True)
class TrustSignal:
    icon: str
    text: str
    key: str  # a stable name for tests and styling: verified, taught, learners, repeat, replies, years, member


@dataclass(frozen=True)
class MentorHeader:
    id: str = ""
    name: str = ""
    initials: str = ""
    avatar: str = ""
    headline: str = ""
    bio: str = ""
    rating: str = ""
    reviews: str = ""
    verified: bool = False
    pro: bool = False


@dataclass(frozen=True)
class UpcomingSession:
    id: str
    title: str
    when: str
    level: str
    language: str
    price: str
    spots: str
    full: bool
    href: str


@dataclass(frozen=True)
class MentorReview:
    id: str
    who: str
    stars: str
    rating: str
    comment: str
    reply: str
    when: str  # 'March 2026'


def initials(name: str) -> str:
    """'Ada Lovelace' -> 'AL', 'Cher' -> 'C', '' -> '?'."""
    parts = [p for p in name.split() if p[:1].isalnum()]
    if not parts:
        return "?"
    letters = parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")
    return letters.upper()


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def reviews_text(count: int) -> str:
    return _plural(count, "review") if count else "No reviews yet"


def month_year(value: datetime, tz: str) -> str:
    """'March 2026', in the viewer's zone (a month needs no zone named)."""
    return value.astimezone(ZoneInfo(valid_zone(tz))).strftime("%B %Y")


def mentor_card(m: MentorSummary, tz: str) -> MentorCardView:
    return MentorCardView(
        id=str(m.id),
        name=m.full_name,
        initials=initials(m.full_name),
        avatar=m.avatar_url,
        headline=m.headline,
        rating=rating_text(m.rating_avg, m.rating_count),
        reviews=reviews_text(m.rating_count),
        taught=_plural(m.sessions_taught, "session") + " taught" if m.sessions_taught else "",
        verified=m.verified,
        skills=list(m.top_skills),
        next_free=f"Next free seat {format_local(m.next_available_at, tz)}"
        if m.next_available_at
        else "No open sessions right now",
        has_next=m.next_available_at is not None,
        href=mentor_link(m.id),
        pro=m.pro,
    )


def mentor_cards(items: Iterable[MentorSummary], tz: str) -> list[MentorCardView]:
    return [mentor_card(m, tz) for m in items]


def mentor_header(p: MentorProfilePublic) -> MentorHeader:
    return MentorHeader(
        id=str(p.id),
        name=p.full_name,
        initials=initials(p.full_name),
        avatar=p.avatar_url,
        headline=p.headline,
        bio=p.bio,
        rating=rating_text(p.rating_avg, p.rating_count),
        reviews=reviews_text(p.rating_count),
        verified=p.verified,
        pro=p.pro,
    )


def trust_signals(p: MentorProfilePublic, tz: str) -> list[TrustSignal]:
    """What the data says about this mentor, each line only when it holds something."""
    signals: list[TrustSignal] = []
    if p.verified:
        signals.append(TrustSignal("badge-check", "Verified mentor", "verified"))
    if p.sessions_taught:
        signals.append(TrustSignal("presentation", _plural(p.sessions_taught, "session") + " taught", "taught"))
    if p.learners_taught:
        signals.append(TrustSignal("users", _plural(p.learners_taught, "learner") + " attended", "learners"))
    if p.repeat_learners:
        signals.append(TrustSignal("repeat", _plural(p.repeat_learners, "learner") + " came back for more", "repeat"))
    if p.review_replies:
        signals.append(
            TrustSignal(
                "message-circle-reply", f"Replied to {p.review_replies} of {reviews_text(p.rating_count)}", "replies"
            )
        )
    if p.years_experience:
        signals.append(TrustSignal("briefcase", _plural(p.years_experience, "year") + " of experience", "years"))
    signals.append(TrustSignal("calendar", f"Member since {month_year(p.member_since, tz)}", "member"))
    return signals


def upcoming_sessions(items: Iterable[LearningSessionPublic], tz: str) -> list[UpcomingSession]:
    return [
        UpcomingSession(
            id=str(s.id),
            title=s.title,
            when=format_local(s.start_at, tz),
            level=s.level.value,
            language=s.language,
            price=price_text(s.price_minor, s.currency),
            spots="Full" if s.spots_left == 0 else f"{s.spots_left} left",
            full=s.spots_left == 0,
            href=session_link(s.id),
        )
        for s in items
    ]


def mentor_reviews(items: Iterable[ReviewPublic], tz: str) -> list[MentorReview]:
    return [
        MentorReview(
            id=str(r.id),
            who=r.learner_name,
            stars=stars(r.rating),
            rating=f"{r.rating} out of 5",
            comment=r.comment,
            reply=r.reply,
            when=month_year(r.created_at, tz),
        )
        for r in items
    ]
