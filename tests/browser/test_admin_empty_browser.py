"""An admin's dashboard with no experiments, no offline evaluation and too little history for churn: each section
says in plain words what will appear and when, and none tells them to run a command."""

import uuid

from playwright.sync_api import expect

from peerlearn.accounts.actions import ensure_admin
from tests.browser.helpers import log_in

SHOTS = "/tmp/peerlearn-admin-empty"


def test_empty_admin_sections_speak_plainly(page, live_db):
    email = f"boss-{uuid.uuid4().hex[:6]}@example.org"
    ensure_admin(email, "admin-password-1", db=live_db)
    live_db.commit()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, email, "admin-password-1")
    page.goto("/insights")
    expect(page.locator("#churn-note")).to_contain_text("Not enough booking history yet")
    expect(page.locator("#offline-evaluation-empty")).to_contain_text("When the recommender is tested")
    expect(page.locator("#experiments-empty")).to_contain_text("No experiments yet.")
    body = page.locator("body").inner_text()
    assert "python -m" not in body and "/api/" not in body
    page.locator("#experiments-empty").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}-1366.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    page.locator("#experiments-empty").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}-390.png")
