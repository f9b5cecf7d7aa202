"""A learner searches, books a free session, and finds it on the dashboard; nonsense gets a helpful empty state."""

import uuid
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.models.enums import UserRole
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


def _publish_as_mentor(page, live_db, titles: list[str]) -> None:
    """A mentor publishes sessions through the API: the running app hears of them as it would in production."""
    email = f"ranker-{uuid.uuid4().hex[:6]}@example.org"
    data = UserCreate(email=email, password="ranker-password-1", full_name="Rey Ranker", role=UserRole.MENTOR)
    register_user(data, db=live_db)
    live_db.commit()
    login = page.request.post("/api/auth/login/", data={"email": email, "password": "ranker-password-1"})
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    for n, title in enumerate(titles):
        start = datetime.now(UTC) + timedelta(days=4 + n)
        body = {"title": title, "start_at": start.isoformat(), "end_at": (start + timedelta(hours=1)).isoformat()}
        created = page.request.post("/api/sessions/create/", data={**body, "capacity": 8}, headers=headers)
        assert created.ok, created.text()


def test_recommendations_fill_in_after_the_page_and_a_dismissed_one_goes(page, live_db):
    _publish_as_mentor(page, live_db, [f"Kite building {n + 1}" for n in range(3)])
    email = f"newcomer-{uuid.uuid4().hex[:6]}@example.org"
    register_user(UserCreate(email=email, password="newcomer-password-1", full_name="Nia Newcomer"), db=live_db)
    live_db.commit()

    log_in(page, email, "newcomer-password-1")
    page.goto("/sessions")
    expect(page.locator("#result-count")).to_be_visible()  # the page itself does not wait for the ranking
    cards = page.locator("#recommended .recommendation-card")
    expect(cards.first).to_be_visible()  # ranked in a background event, including the sessions just published
    count, first_title = cards.count(), cards.first.get_by_role("heading").inner_text()
    cards.first.locator(".dismiss-recommendation").click()
    expect(cards).to_have_count(count - 1)
    expect(page.locator("#recommended")).not_to_contain_text(first_title)

    page.goto("/dashboard")
    expect(page.locator("#recommended .recommendation-card").first).to_be_visible()
    expect(page.locator("#recommended")).not_to_contain_text(first_title)  # dismissed: not offered again
