"""A notification appears live in the open page of the person it concerns, without a reload."""

import uuid

import httpx
from playwright.sync_api import expect

from peerlearn.accounts.actions import issue_token, register_user
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session


def test_mentor_sees_a_new_booking_arrive_live(page, live_app, live_db):
    email = f"mentor-{uuid.uuid4().hex[:6]}@example.org"
    mentor = register_user(
        UserCreate(email=email, password="mentor-password-1", full_name="Mo Mentor", role="mentor"), db=live_db
    )
    learner = register_user(
        UserCreate(
            email=f"l-{uuid.uuid4().hex[:6]}@example.org", password="learner-password-1", full_name="Ola Learner"
        ),
        db=live_db,
    )
    session_id = make_session(live_db, mentor, title="Live push demo", capacity=3)
    learner_token = issue_token(learner, db=live_db)
    live_db.commit()

    log_in(page, email, "mentor-password-1")
    expect(page.locator("#notification-bell")).to_be_visible()
    expect(page.locator("#unread-count")).to_have_count(0)

    booked = httpx.post(
        f"{live_app}/api/sessions/{session_id}/book/", headers={"Authorization": f"Bearer {learner_token}"}
    )
    assert booked.status_code == 201

    expect(page.locator("#unread-count")).to_have_text("1", timeout=15_000)
    page.locator("#notification-bell").click()
    expect(page.locator("#notification-list")).to_contain_text("New booking: Live push demo")
