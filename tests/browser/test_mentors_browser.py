"""A learner opens the mentor directory, finds a mentor, opens their profile, sees the trust signals and their
upcoming session, and books it from there."""

from __future__ import annotations

import uuid
from datetime import timedelta

from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.models import MentorProfile
from peerlearn.models.enums import VerificationStatus
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session, make_user

PASSWORD = "mentor-directory-pass-1"


def test_a_learner_finds_a_mentor_and_books_their_upcoming_session(page, live_db):
    tag = uuid.uuid4().hex[:6]
    mentor = make_user(live_db, mentor=True, name=f"Mona Mentor{tag}")
    profile = live_db.get(MentorProfile, mentor.id)
    profile.headline, profile.verification_status = "Cellist, 12 years on stage", VerificationStatus.VERIFIED
    live_db.add(profile)
    live_db.commit()
    session_id = make_session(
        live_db, mentor, start_in=timedelta(days=4), title=f"Cello basics {tag}", skills=["Cello"]
    )
    email = f"mentor-dir-{tag}@example.org"
    register_user(UserCreate(email=email, password=PASSWORD, full_name="Lena Learner"), db=live_db)
    live_db.commit()

    log_in(page, email, PASSWORD)
    page.goto("/mentors")
    page.locator("#mentor-search").fill(f"mentor{tag}")
    page.locator("#mentor-search-submit").click()
    cards = page.locator(".mentor-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Cellist, 12 years on stage")
    expect(cards.first).to_contain_text("Verified")
    expect(cards.first.locator(".next-free")).to_contain_text("Next free seat")
    cards.first.click()

    page.wait_for_url(f"**/mentors/{mentor.id}")
    expect(page.locator("#mentor-name")).to_have_text(f"Mona Mentor{tag}")
    expect(page.locator("#mentor-rating")).to_contain_text("No reviews yet")
    expect(page.locator("#trust-signals")).to_contain_text("Verified mentor")
    expect(page.locator("#trust-signals")).not_to_contain_text("sessions taught")  # none taught: not claimed
    upcoming = page.locator("#mentor-upcoming .mentor-session")
    expect(upcoming).to_have_count(1)
    expect(upcoming.first).to_contain_text(f"Cello basics {tag}")
    expect(upcoming.first).to_contain_text("UTC")  # the learner's zone, named

    upcoming.first.locator(".book-mentor-session").click()
    page.wait_for_url(f"**/sessions/{session_id}")
    page.locator("#book-button").click()
    expect(page.locator("#booked-callout")).to_be_visible()


def test_the_mentor_pages_fit_a_360_px_phone_and_the_menu_leads_there(browser, live_app, live_db):
    tag = uuid.uuid4().hex[:6]
    mentor = make_user(live_db, mentor=True, name=f"Maximiliana Longname-Mentorova{tag}")
    profile = live_db.get(MentorProfile, mentor.id)
    profile.headline = "Negotiation, public speaking and interview preparation for engineers changing careers"
    live_db.add(profile)
    live_db.commit()
    make_session(live_db, mentor, start_in=timedelta(days=2), title=f"A long negotiation workshop title {tag}")
    context = browser.new_context(base_url=live_app, viewport={"width": 360, "height": 740}, timezone_id="Asia/Kolkata")
    context.set_default_timeout(30_000)
    phone = context.new_page()
    try:
        phone.goto("/")
        phone.locator("#nav-menu").click()
        phone.locator("#nav-menu-panel").get_by_text("Mentors").click()
        phone.wait_for_url("**/mentors")
        expect(phone.locator(".mentor-card").first).to_be_visible()
        for path, ready in (("/mentors", ".mentor-card"), (f"/mentors/{mentor.id}", ".mentor-session")):
            phone.goto(path)
            expect(phone.locator(ready).first).to_be_visible()
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{path} is {width} px wide on a 360 px phone"
        expect(phone.locator(".mentor-session").first).to_contain_text("(Asia/Kolkata)")
    finally:
        context.close()
