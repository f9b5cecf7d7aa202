"""Booking a paid session stays on the address the person uses (127.0.0.1 or localhost), so they end confirmed
without logging in again, although PUBLIC_BASE_URL names only one of them."""

from __future__ import annotations

import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session, make_user

PASSWORD = "origin-password-1"


def test_paying_from_either_host_ends_confirmed_on_that_host(browser, live_app, live_db):
    mentor = make_user(live_db, mentor=True, name="Omar Origin")
    email = f"origin-{uuid.uuid4().hex[:6]}@example.org"
    register_user(UserCreate(email=email, password=PASSWORD, full_name="Ola Origin"), db=live_db)
    live_db.commit()
    port = urlsplit(live_app).port
    for day, host in enumerate(("127.0.0.1", "localhost"), start=3):
        base = f"http://{host}:{port}"
        session_id = make_session(
            live_db, mentor, title=f"Paid on {host}", price_minor=2000, start_in=timedelta(days=day)
        )
        context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        page = context.new_page()
        try:
            log_in(page, email, PASSWORD)
            page.goto(f"/sessions/{session_id}")
            page.locator("#book-button").click()
            page.wait_for_url("**/pay/simulated/**")
            assert urlsplit(page.url).hostname == host
            page.locator("#card-number").fill("4242 4242 4242 4242")
            page.locator("#pay-button").click()
            page.wait_for_url("**/bookings/**")
            assert urlsplit(page.url).hostname == host
            expect(page.locator("#booking-status")).to_have_text("confirmed")
            page.goto("/dashboard")  # still logged in on this host
            expect(page.locator("#upcoming-bookings")).to_contain_text(f"Paid on {host}")
        finally:
            context.close()
