"""Journeys people trust, in Chromium with an Asia/Kolkata clock: the checkout counts the seat hold down and, once it
has run out, offers to start again instead of a card form; after paying, the confirmation page says who, when (the
zone named), how to join, the Google Calendar link, the cancellation terms and the receipt; a mentor asks to be
verified from their desk; the directory says what its default order means."""

import re
import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from peerlearn.accounts.actions import become_mentor, register_user
from peerlearn.models import Booking, MentorProfile
from peerlearn.models.enums import VerificationStatus
from peerlearn.models.types import utcnow
from peerlearn.models.users import MentorProfileCreate, UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session, make_user

PASSWORD = "trusting-password-1"


@pytest.fixture
def kolkata(browser, live_app):
    context = browser.new_context(base_url=live_app, viewport={"width": 390, "height": 844}, timezone_id="Asia/Kolkata")
    context.set_default_timeout(30_000)
    page = context.new_page()
    yield page
    context.close()


def _person(live_db, name: str, *, mentor: bool = False):
    email = f"{name.split()[0].lower()}-{uuid.uuid4().hex[:6]}@example.org"
    user = register_user(
        UserCreate(email=email, password=PASSWORD, full_name=name, timezone="Asia/Kolkata"), db=live_db
    )
    if mentor:
        become_mentor(user, MentorProfileCreate(headline="SQL coach", expertise=["SQL"]), db=live_db)
    live_db.commit()
    return user, email


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_the_hold_counts_down_then_runs_out_and_a_paid_seat_confirms_in_full(kolkata, live_db):
    page = kolkata
    mentor = make_user(live_db, mentor=True, name="Priya Raman")
    held_id = make_session(live_db, mentor, title="Window functions", price_minor=2500, start_in=timedelta(days=3))
    paid_id = make_session(live_db, mentor, title="Query plans", price_minor=3500, start_in=timedelta(days=5))
    _, email = _person(live_db, "Lina Learner")
    log_in(page, email, PASSWORD)

    page.goto(f"/sessions/{held_id}")
    page.locator("#book-button").click()
    page.wait_for_url("**/pay/simulated/**")
    countdown = page.locator("#hold-countdown")
    expect(countdown).to_contain_text(re.compile(r"Seat held for (10:00|9:[0-5]\d) · until \d\d:\d\d GMT\+5:30"))
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first)  # it ticks
    _fits(page)
    page.screenshot(path="/tmp/trust-checkout-held-390.png", full_page=True)

    live_db.rollback()
    booking = live_db.exec(select(Booking).where(Booking.session_id == held_id)).one()
    booking.hold_expires_at = utcnow() + timedelta(seconds=3)
    live_db.add(booking)
    live_db.commit()
    page.reload()
    expect(page.locator("#hold-ended")).to_contain_text("nothing was charged", timeout=15_000)
    expect(page.locator("#pay-button")).to_have_count(0)  # no payment for a seat no longer held
    _fits(page)
    page.screenshot(path="/tmp/trust-checkout-ended-390.png", full_page=True)
    page.locator("#start-again").click()
    page.wait_for_url(f"**/sessions/{held_id}")

    page.goto(f"/sessions/{paid_id}")
    page.locator("#book-button").click()
    page.wait_for_url("**/pay/simulated/**")
    page.locator("#card-number").fill("4242 4242 4242 4242")
    page.locator("#pay-button").click()
    page.wait_for_url("**/bookings/**")
    expect(page.locator("#booking-status")).to_have_text("confirmed")
    expect(page.locator("#booking-title")).to_have_text("Query plans")
    expect(page.locator("#booking-mentor")).to_have_text("Priya Raman")
    expect(page.locator("#booking-starts")).to_contain_text("GMT+5:30 (Asia/Kolkata)")
    expect(page.locator("#booking-zone")).to_have_text("Times are in GMT+5:30 (Asia/Kolkata).")
    expect(page.locator("#join-instructions")).to_contain_text("The live room opens 10 minutes before the start")
    expect(page.locator("#room-link")).to_have_attribute("href", f"/room/{paid_id}")
    calendar = page.locator("#google-calendar-link").get_attribute("href") or ""
    assert calendar.startswith("https://calendar.google.com/calendar/render?action=TEMPLATE&text=Query%20plans")
    expect(page.locator("#refund-terms")).to_contain_text("Cancel up to 24 hours before the start for a full refund")
    expect(page.locator("#cancel-now")).to_contain_text("full refund of $35.00")
    _fits(page)
    page.screenshot(path="/tmp/trust-confirmation-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path="/tmp/trust-confirmation-1366.png", full_page=True)
    page.locator("#receipt-link").click()
    page.wait_for_url("**/receipts/**")


def test_a_mentor_asks_to_be_verified_once_and_the_directory_explains_its_order(kolkata, live_db):
    page = kolkata
    mentor, email = _person(live_db, "Vera Verify", mentor=True)
    log_in(page, email, PASSWORD)
    page.goto("/teach")
    card = page.locator("#verification-card")
    expect(card.locator("#verification-message")).to_contain_text("Ask an admin to verify you")
    card.locator("#verification-note").fill("https://linkedin.example/vera")
    card.locator("#ask-verification").click()
    expect(card.locator("#verification-message")).to_contain_text("waiting for an admin since")
    expect(card.locator("#verification-message")).to_contain_text("GMT+5:30 (Asia/Kolkata)")
    expect(card.locator("#ask-verification")).to_have_count(0)  # one request at a time
    _fits(page)
    page.screenshot(path="/tmp/trust-teach-verification-390.png", full_page=False)
    live_db.rollback()
    profile = live_db.get(MentorProfile, mentor.id)
    assert profile.verification_status == VerificationStatus.PENDING
    assert profile.verification_note == "https://linkedin.example/vera"

    page.goto("/mentors")
    expect(page.locator("#sort-explained")).to_contain_text("directory priority come first, then the best rated")
    _fits(page)
    page.screenshot(path="/tmp/trust-mentors-390.png", full_page=False)
