"""A learner types a goal, sees the path learners travelled to it, follows it, books its next step from the path
page, and comes back to find that step booked and the following one next."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.paths.conftest import build_market

PASSWORD = "path-learner-password-1"


def test_a_learner_follows_a_path_and_books_its_next_step(page, live_db):
    suffix = f" q{uuid.uuid4().hex[:5]}"
    market = build_market(live_db, suffix=suffix)
    email = f"path-{uuid.uuid4().hex[:6]}@example.org"
    register_user(UserCreate(email=email, password=PASSWORD, full_name="Pat Pathfinder"), db=live_db)
    live_db.commit()

    log_in(page, email, PASSWORD)
    page.get_by_role("link", name="Paths", exact=True).click()  # in the navigation bar
    page.wait_for_url("**/paths")
    page.locator("#goal-input").fill(f"Data analysis{suffix}")
    page.locator("#goal-submit").click()

    results = page.locator("#path-results")
    expect(results.locator(".path-label").first).to_have_text("Mined from learners' journeys")
    steps = results.locator(".path-card").first.locator(".path-step")
    expect(steps).to_have_count(4)
    expect(steps.nth(0)).to_contain_text(f"Excel{suffix}")
    expect(steps.nth(0)).to_contain_text("Next")
    expect(steps.nth(3)).to_contain_text(f"Data analysis{suffix}")

    results.locator(".follow-path").first.click()
    expect(results).to_contain_text("Following")
    expect(page.locator("#my-paths")).to_contain_text(f"Excel{suffix}")
    expect(page.locator("#next-step-title")).to_contain_text(f"Excel{suffix}")
    expect(page.locator(".next-session")).to_contain_text(f"Next Excel{suffix}")

    page.locator(".book-next-step").first.click()
    page.wait_for_url(f"**/sessions/{market.upcoming['Excel']}")
    page.locator("#book-button").click()
    expect(page.locator("#booked-callout")).to_be_visible()

    page.goto("/paths")
    mine = page.locator("#my-paths .path-step")
    expect(mine.nth(0)).to_contain_text("Booked")
    expect(mine.nth(1)).to_contain_text("Next")
    expect(page.locator("#next-step-title")).to_contain_text(f"SQL{suffix}")
