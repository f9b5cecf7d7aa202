"""What a page did with its sponsored items: showed them (impressions) and had one clicked, by session id.

A page knows which of its results were sponsored, not by which campaign: the campaign is the one the placement
chose, the best deliverable bid for that session (`queries.active_candidates`, in the same order `place` uses)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from peerlearn.models import SponsoredEvent
from peerlearn.models.types import utcnow
from peerlearn.sponsorships import actions, queries


def _campaign_for(session_id: int, *, db: Session, now: datetime) -> int | None:
    return next(
        (c.sponsorship_id for c in queries.active_candidates(now.date(), db=db) if c.session_id == session_id), None
    )


def record_shown(session_ids: list[int], *, user_id: int | None, db: Session) -> list[SponsoredEvent]:
    """One impression for each sponsored session a page showed; a CPM campaign pays its share."""
    now = utcnow()
    events = []
    for session_id in dict.fromkeys(session_ids):
        campaign = _campaign_for(session_id, db=db, now=now)
        if campaign is not None and (event := actions.record_impression(campaign, user_id=user_id, db=db, now=now)):
            events.append(event)
    return events


def record_opened(session_id: int, *, user_id: int | None, db: Session) -> SponsoredEvent | None:
    """A click on a sponsored session's card (billed by the click rules); None when no campaign delivers it now."""
    now = utcnow()
    campaign = _campaign_for(session_id, db=db, now=now)
    return None if campaign is None else actions.record_click(campaign, user_id=user_id, db=db, now=now)
