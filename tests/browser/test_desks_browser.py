"""A learner's reschedule choices, the mentor's two-week calendar and one session's people, as each page shows them."""

import uuid
from datetime import timedelta

from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.booking import actions as booking_service
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session


def test_learner_and_mentor_see_the_same_booking_from_their_side(page, live_db):
    tag = uuid.uuid4().hex[:5]
    m_email, l_email = f"m-{tag}@example.org", f"l-{tag}@example.org"
    mentor = register_user(
        UserCreate(email=m_email, password="mentor-password-1", full_name="Mo Mentor", role="mentor"), db=live_db
    )
    learner = register_user(
        UserCreate(email=l_email, password="learner-password-1", full_name="Lu Learner"), db=live_db
    )
    live_db.commit()
    first = make_session(live_db, mentor, title=f"Knots {tag}", capacity=3, start_in=timedelta(days=2))
    make_session(live_db, mentor, title=f"Sails {tag}", capacity=3, start_in=timedelta(days=3))
    booking_service.book_session(learner, first, db=live_db)
    live_db.commit()

    log_in(page, l_email, "learner-password-1")
    expect(page.locator("#upcoming-bookings")).to_contain_text(f"Knots {tag}")
    expect(page.locator("#upcoming-bookings")).to_contain_text("Free")
    expect(page.locator("#upcoming-bookings")).to_contain_text(" UTC")  # the zone is named
    page.locator("#upcoming-bookings").get_by_role("button", name="Reschedule").click()
    expect(page.get_by_role("button", name=f"Sails {tag} · ")).to_be_visible()
    page.get_by_role("button", name="Close").click()
    page.goto(f"/sessions/{first}")
    expect(page.locator("#session-title")).to_have_text(f"Knots {tag}")
    expect(page.locator("#mentor-name")).to_have_text("Mo Mentor")
    page.context.clear_cookies()

    log_in(page, m_email, "mentor-password-1")
    page.goto("/teach")
    expect(page.get_by_text(f"Knots {tag} (1/3)")).to_be_visible()
    page.goto(f"/teach/sessions/{first}")
    expect(page.locator("#manage-title")).to_have_text(f"Knots {tag}")
    expect(page.locator("#manage-status")).to_have_text("published")
    expect(page.get_by_text("Lu Learner")).to_be_visible()
    page.goto("/teach/sessions/999999")
    expect(page.locator("#manage-title")).to_have_text("Session not found")
