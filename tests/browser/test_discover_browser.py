"""A learner searches, books a free session, and finds it on the dashboard; nonsense gets a helpful empty state."""

import uuid
from datetime import timedelta

from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session, make_user


def test_search_book_free_session_and_see_it_on_the_dashboard(page, live_db):
    word = f"zyx{uuid.uuid4().hex[:5]}"
    mentor = make_user(live_db, mentor=True, name="Sam Sensei")
    make_session(live_db, mentor, title=f"Origami {word} basics", capacity=5, start_in=timedelta(days=9))
    email = f"finder-{uuid.uuid4().hex[:6]}@example.org"
    register_user(UserCreate(email=email, password="finder-password-1", full_name="Fin Finder"), db=live_db)
    live_db.commit()

    log_in(page, email, "finder-password-1")

    page.goto("/sessions")
    page.locator("#search-input").fill(word)
    expect(page.locator("#result-count")).to_have_text("1 sessions")
    page.locator(".session-result").first.click()
    page.wait_for_url("**/sessions/*")
    expect(page.locator("#session-title")).to_contain_text(word)
    page.locator("#book-button").click()
    expect(page.locator("#booked-callout")).to_be_visible()

    page.goto("/dashboard")
    expect(page.locator("#upcoming-bookings")).to_contain_text(f"Origami {word} basics")

    page.goto("/sessions")
    page.locator("#search-input").fill("qqqq nothing like this wwww")
    expect(page.locator("#empty-results")).to_contain_text("No sessions match")
