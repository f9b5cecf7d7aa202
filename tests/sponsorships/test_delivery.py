"""What Discover does with a sponsored result is what the campaign pays for: the page that showed it records an
impression (a CPM campaign pays its share), and opening its card records a click (a CPC campaign pays once a day)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlmodel import Session

from peerlearn.catalog.search import parse_filters, search_sessions
from peerlearn.models import User
from peerlearn.models.sponsorship import PricingModel
from peerlearn.sponsorships import delivery, queries
from tests.factories import make_session, make_user
from tests.sponsorships.test_sponsorships import buy


@pytest.fixture(autouse=True)
def _fresh_active_set() -> Iterator[None]:
    queries.clear_active_cache()
    yield
    queries.clear_active_cache()


def _promoted_session(db: Session) -> tuple[int, User]:
    """A session far down the results for "python" (page 2 of five a page), and its mentor."""
    mentor, sponsor = make_user(db, mentor=True), make_user(db, mentor=True)
    for i in range(6):
        make_session(db, mentor, title=f"Python basics {i}", start_in=timedelta(days=1, hours=i))
    return make_session(db, sponsor, title="Python for data", start_in=timedelta(days=20)), sponsor


def test_the_page_that_shows_a_cpm_campaign_records_its_impressions_and_draws_them_down(db: Session) -> None:
    promoted, sponsor = _promoted_session(db)
    campaign = buy(db, sponsor, promoted, pricing=PricingModel.CPM, bid_minor=2000)  # $20 per thousand
    learner = make_user(db)
    shown = [item.id for item in search_sessions(parse_filters(q="python", page_size=5), db=db).items if item.sponsored]
    assert shown == [promoted]

    events = delivery.record_shown(shown, user_id=learner.id, db=db)
    for _ in range(9):
        delivery.record_shown(shown, user_id=learner.id, db=db)
    db.commit()
    db.refresh(campaign)
    assert [e.sponsorship_id for e in events] == [campaign.id]
    assert campaign.impressions == 10
    assert campaign.spent_minor == 20  # 10 of 1,000 impressions at $20: 20 cents
    organic = make_session(db, make_user(db, mentor=True), title="Python again")
    assert delivery.record_shown([organic], user_id=learner.id, db=db) == []  # no campaign: nothing to record


def test_opening_a_sponsored_card_bills_a_cpc_campaign_once_a_day(db: Session) -> None:
    promoted, sponsor = _promoted_session(db)
    campaign = buy(db, sponsor, promoted, pricing=PricingModel.CPC, bid_minor=150)
    learner = make_user(db)

    first = delivery.record_opened(promoted, user_id=learner.id, db=db)
    again = delivery.record_opened(promoted, user_id=learner.id, db=db)
    db.commit()
    db.refresh(campaign)
    assert first is not None and first.billed and first.charge_minor == 150
    assert again is not None and not again.billed  # the same learner's second click today is free
    assert (campaign.clicks, campaign.spent_minor) == (2, 150)
    assert delivery.record_opened(make_session(db, sponsor), user_id=learner.id, db=db) is None
