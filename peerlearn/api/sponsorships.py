"""/api/sponsorships/...: sponsored placements a mentor (or an admin for them) buys, with their delivery report."""

from __future__ import annotations

import hashlib

from fastapi import APIRouter, Request, Response

from peerlearn.api.deps import DB, CurrentUser, client_address, route
from peerlearn.api.errors import AUTHENTICATED
from peerlearn.api.params import Id
from peerlearn.models import Sponsorship
from peerlearn.sponsorships import actions, queries
from peerlearn.sponsorships.public import SponsorshipPublic, SponsorshipReport

router = APIRouter(tags=["sponsorships"])


@route(router, "POST", "/api/sponsorships/", status_code=201, response_model=SponsorshipPublic, responses=AUTHENTICATED)
def create(data: actions.SponsorshipCreate, user: CurrentUser, db: DB) -> SponsorshipPublic:
    """Buy a placement for one of your sessions (an admin may for any mentor's), paid up front into a prepaid
    balance (403 for someone else's session, 404 for an unknown one, 422 for dates, caps or bids that do not fit)."""
    return SponsorshipPublic.model_validate(actions.create_sponsorship(data, actor=user, db=db))


@route(router, "GET", "/api/sponsorships/", response_model=list[SponsorshipReport], responses=AUTHENTICATED)
def list_mine(user: CurrentUser, db: DB) -> list[SponsorshipReport]:
    """Your campaigns (all of them for an admin), newest first, each with impressions, clicks (billed ones apart),
    bookings attributed within 7 days of a click, spend and the balance left."""
    rows = [db.get(Sponsorship, s.id) for s in queries.list_sponsorships(actor=user, db=db)]
    return [queries.report(row, db=db) for row in rows if row is not None]


@route(
    router,
    "POST",
    "/api/sponsorships/{sponsorship_id}/pause/",
    response_model=SponsorshipPublic,
    responses=AUTHENTICATED,
)
def pause(sponsorship_id: Id, user: CurrentUser, db: DB) -> SponsorshipPublic:
    """Stop showing an active campaign (409 when it is not active; 404 for someone else's)."""
    return SponsorshipPublic.model_validate(actions.pause_sponsorship(sponsorship_id, actor=user, db=db))


@route(
    router, "POST", "/api/sponsorships/{sponsorship_id}/end/", response_model=SponsorshipPublic, responses=AUTHENTICATED
)
def end(sponsorship_id: Id, user: CurrentUser, db: DB) -> SponsorshipPublic:
    """End a campaign now; the unspent balance is refunded (409 when it has ended already)."""
    return SponsorshipPublic.model_validate(actions.end_sponsorship(sponsorship_id, actor=user, db=db))


@route(router, "POST", "/api/sponsorships/{sponsorship_id}/click/", status_code=204, responses=AUTHENTICATED)
def click(sponsorship_id: Id, user: CurrentUser, request: Request, db: DB) -> Response:
    """A learner opened a sponsored item. Always logged; billed once per learner per campaign per day, never when
    the learner or their address clicks faster than a person would (the address is kept only as a hash)."""
    client_key = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    actions.record_click(sponsorship_id, user_id=user.id, client_key=client_key, db=db)
    return Response(status_code=204)
