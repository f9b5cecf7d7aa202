"""A sponsored result on Discover is paid for by what learners do with it: the page that shows it records an
impression, and opening its card records a billed click on the way to the session."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.models import Sponsorship
from peerlearn.models.sponsorship import PricingModel
from peerlearn.models.users import UserCreate
from peerlearn.sponsorships.queries import ACTIVE_SET_SECONDS
from tests.browser.helpers import log_in
from tests.factories import make_session, make_user
from tests.sponsorships.test_sponsorships import buy

PASSWORD = "sponsored-card-pass-1"


def _until(check, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "the campaign's delivery was not recorded"
        time.sleep(0.25)


def test_showing_and_opening_a_sponsored_card_is_what_the_campaign_pays_for(page, live_db):
    tag = f"zq{uuid.uuid4().hex[:6]}"
    mentor, sponsor = make_user(live_db, mentor=True), make_user(live_db, mentor=True)
    for i in range(13):  # one more than Discover's page: the promoted session is not on page 1 by itself
        make_session(live_db, mentor, title=f"{tag} basics {i}", start_in=timedelta(days=1, hours=i))
    promoted = make_session(live_db, sponsor, title=f"{tag} for data", start_in=timedelta(days=20))
    campaign = buy(live_db, sponsor, promoted, pricing=PricingModel.CPC, bid_minor=150)
    email = f"sponsored-{tag}@example.org"
    register_user(UserCreate(email=email, password=PASSWORD, full_name="Sam Searcher"), db=live_db)
    live_db.commit()
    time.sleep(ACTIVE_SET_SECONDS)  # the app's workers keep the set of running campaigns for a few seconds

    log_in(page, email, PASSWORD)
    page.goto(f"/sessions?q={tag}")
    sponsored = page.locator(".sponsored-result")
    expect(sponsored).to_have_count(1)
    expect(sponsored.locator(".sponsored-label")).to_have_text("Sponsored")

    def delivered() -> Sponsorship:
        live_db.expire_all()
        row = live_db.get(Sponsorship, campaign.id)
        assert row is not None
        return row

    _until(lambda: delivered().impressions >= 1)
    assert delivered().clicks == 0

    sponsored.click()
    page.wait_for_url(f"**/sessions/{promoted}")
    _until(lambda: delivered().clicks == 1)
    assert delivered().spent_minor == 150  # one billed click at the campaign's bid
