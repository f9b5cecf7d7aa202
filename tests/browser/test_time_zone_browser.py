"""A browser in New York sees New York times (the zone named) before signing up, can switch zones like Cal.com's
booker, and a new account made there gets that zone."""

from __future__ import annotations

import uuid
from datetime import timedelta

from playwright.sync_api import expect
from sqlmodel import select

from peerlearn.models import Profile, User
from tests.factories import make_session, make_user


def test_a_new_york_browser_sees_new_york_times_and_signs_up_in_new_york(browser, live_app, live_db):
    mentor = make_user(live_db, mentor=True, name="Zoe Zone")
    word = f"Zonal{uuid.uuid4().hex[:6]}"
    session_id = make_session(live_db, mentor, title=f"{word} planning", start_in=timedelta(days=6))
    context = browser.new_context(
        base_url=live_app, timezone_id="America/New_York", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    try:
        page.goto(f"/sessions?q={word}")
        result = page.locator(".session-result").first
        expect(result).to_contain_text("(America/New_York)")
        expect(result).to_contain_text(" ES")  # "EST"/"EDT": the zone's own abbreviation for that date

        page.goto(f"/sessions/{session_id}")
        expect(page.locator("#session-title")).to_contain_text(word)
        when = page.get_by_text("(America/New_York)").first
        expect(when).to_be_visible()
        page.locator("#zone-switcher").click()
        page.get_by_role("option", name="Asia/Kolkata").click()
        expect(page.get_by_text("GMT+5:30 (Asia/Kolkata)").first).to_be_visible()
        expect(page.get_by_text("(America/New_York)")).to_have_count(0)

        page.goto("/signup")
        expect(page.locator("#signup-timezone")).to_contain_text("America/New_York")  # prefilled, to confirm
        email = f"ny-{uuid.uuid4().hex[:6]}@example.org"
        page.locator("#signup-name").fill("Nia York")
        page.locator("#signup-email").fill(email)
        page.locator("#signup-password").fill("a-new-york-password-9")
        page.locator("#signup-submit").click()
        page.wait_for_url("**/profile**")
    finally:
        context.close()
    live_db.rollback()
    user = live_db.exec(select(User).where(User.email == email)).one()
    assert live_db.exec(select(Profile.timezone).where(Profile.user_id == user.id)).one() == "America/New_York"
