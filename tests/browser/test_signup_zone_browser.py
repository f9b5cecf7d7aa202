"""Someone whose first page is sign-up, in a browser in India, gets India's zone by default (not UTC), by its
current name (Chromium may still say 'Asia/Calcutta')."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect
from sqlmodel import select

from peerlearn.models import Profile, User


def test_signing_up_first_thing_keeps_the_browsers_zone(browser, live_app, live_db):
    context = browser.new_context(base_url=live_app, timezone_id="Asia/Kolkata", viewport={"width": 390, "height": 844})
    context.set_default_timeout(30_000)
    page = context.new_page()
    email = f"in-{uuid.uuid4().hex[:6]}@example.org"
    try:
        page.goto("/signup")
        expect(page.locator("#signup-timezone")).to_contain_text("Asia/Kolkata")  # detected, shown to confirm
        page.locator("#signup-name").fill("Asha Rao")
        page.locator("#signup-email").fill(email)
        page.locator("#signup-password").fill("a-kolkata-password-9")
        page.locator("#signup-submit").click()
        page.wait_for_url("**/profile**")
    finally:
        context.close()
    live_db.rollback()
    user = live_db.exec(select(User).where(User.email == email)).one()
    assert live_db.exec(select(Profile.timezone).where(Profile.user_id == user.id)).one() == "Asia/Kolkata"
