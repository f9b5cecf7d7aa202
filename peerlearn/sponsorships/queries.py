"""Reads for sponsored placements: a mentor's campaigns with their report, and the sponsored items placed into
a page of search results (per request, after the search cache, so budgets and caps hold)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, TypeVar

from sqlmodel import Session, col, select

from peerlearn.booking.rules import SEAT_HOLDING
from peerlearn.models import Booking, SponsoredEvent, Sponsorship, User
from peerlearn.models.enums import BookingStatus, InteractionKind
from peerlearn.models.sponsorship import PricingModel, SponsorshipStatus
from peerlearn.models.types import as_utc
from peerlearn.sponsorships import rules
from peerlearn.sponsorships.actions import deliverable
from peerlearn.sponsorships.public import SponsorshipPublic, SponsorshipReport

ACTIVE_SET_SECONDS = 5.0
ASSUMED_CPM_CTR = 0.01  # to rank CPM bids against CPC bids: a thousand impressions ~ ten clicks
BOOKED = SEAT_HOLDING | {BookingStatus.COMPLETED, BookingStatus.NO_SHOW}


class _Item(Protocol):
    @property
    def id(self) -> int: ...


T = TypeVar("T", bound=_Item)


@dataclass(frozen=True)
class Candidate:
    sponsorship_id: int
    session_id: int
    targets: tuple[str, ...]
    value: float  # bid per click-equivalent, for ordering


_cache_lock = threading.Lock()
_cache: dict[str, tuple[float, date, list[Candidate]]] = {}


def clear_active_cache() -> None:
    with _cache_lock:
        _cache.clear()


def active_candidates(today: date, *, db: Session) -> list[Candidate]:
    """Campaigns that can be delivered today, best bid first; one query, kept per process for a few seconds."""
    key = db.get_bind().dialect.name
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[1] == today and time.monotonic() - hit[0] < ACTIVE_SET_SECONDS:
            return hit[2]
    rows = db.exec(
        select(Sponsorship).where(
            Sponsorship.status == SponsorshipStatus.ACTIVE,
            col(Sponsorship.starts_on) <= today,
            col(Sponsorship.ends_on) >= today,
        )
    ).all()
    found = [
        Candidate(
            sponsorship_id=r.id or 0,
            session_id=r.session_id,
            targets=tuple(r.targets),
            value=r.bid_minor * (ASSUMED_CPM_CTR * 0.1 if r.pricing == PricingModel.CPM else 1.0),
        )
        for r in rows
        if deliverable(r, today)
    ]
    found.sort(key=lambda c: (-c.value, c.sponsorship_id))
    with _cache_lock:
        _cache[key] = (time.monotonic(), today, found)
    return found


def place(
    organic: Sequence[T],
    *,
    query: str,
    skill: str | None,
    category: str | None,
    today: date,
    db: Session,
    matching: Callable[[list[int]], dict[int, str]],
    load: Callable[[list[int]], list[T]],
) -> list[tuple[T, bool]]:
    """The page with sponsored items merged in, as (item, is_sponsored).

    `matching(session_ids)` answers which of those sessions are results of the same search, with each one's text
    (title, skills, description); `load(session_ids)` builds their public items in that order."""
    if not organic:
        return []
    candidates = active_candidates(today, db=db)
    if not candidates:
        return [(item, False) for item in organic]
    on_page = {item.id for item in organic}
    wanted = [c for c in candidates if c.session_id not in on_page]
    texts = matching(sorted({c.session_id for c in wanted})) if wanted else {}
    chosen: list[int] = []
    for c in wanted:
        text = texts.get(c.session_id)
        if text is None or c.session_id in chosen:
            continue
        if rules.is_relevant(c.targets, text, query=query, skill=skill, category=category):
            chosen.append(c.session_id)
        if len(chosen) == len(rules.SLOT_RANKS):
            break
    return rules.merge(list(organic), load(chosen) if chosen else [])


def sponsorship_for_session(session_id: int, today: date, *, db: Session) -> int | None:
    """The campaign behind a sponsored item (to record its impression or click)."""
    return next((c.sponsorship_id for c in active_candidates(today, db=db) if c.session_id == session_id), None)


def list_sponsorships(*, actor: User, db: Session) -> list[SponsorshipPublic]:
    query = select(Sponsorship).order_by(col(Sponsorship.created_at).desc(), col(Sponsorship.id).desc())
    if not actor.is_admin:
        query = query.where(Sponsorship.mentor_id == actor.id)
    return [SponsorshipPublic.model_validate(r) for r in db.exec(query)]


def report(sponsorship: Sponsorship, *, db: Session) -> SponsorshipReport:
    clicks = db.exec(
        select(SponsoredEvent.user_id, SponsoredEvent.created_at, SponsoredEvent.billed).where(
            SponsoredEvent.sponsorship_id == sponsorship.id, SponsoredEvent.kind == InteractionKind.CLICK
        )
    ).all()
    clicks_by: dict[int, list[datetime]] = {}
    for user_id, at, _ in clicks:
        if user_id is not None:
            clicks_by.setdefault(user_id, []).append(as_utc(at))
    attributed = 0
    if clicks_by:
        bookings = db.exec(
            select(Booking.learner_id, Booking.created_at, Booking.status).where(
                Booking.session_id == sponsorship.session_id, col(Booking.learner_id).in_(list(clicks_by))
            )
        ).all()
        for learner_id, booked_at, status in bookings:
            if status in BOOKED and any(rules.attributed(at, as_utc(booked_at)) for at in clicks_by[learner_id]):
                attributed += 1
    return SponsorshipReport.model_validate(
        {
            **SponsorshipPublic.model_validate(sponsorship).model_dump(),
            "impressions": sponsorship.impressions,
            "clicks": len(clicks),
            "billed_clicks": sum(1 for _, _, billed in clicks if billed),
            "attributed_bookings": attributed,
            "balance_minor": sponsorship.budget_minor - sponsorship.spent_minor - sponsorship.refunded_minor,
        }
    )
