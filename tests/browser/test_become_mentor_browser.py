"""A logged-in learner's 'Become a mentor' adds teaching to their account (no new-account form) and opens their desk."""

import uuid

from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.models import User
from peerlearn.models.enums import UserRole
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in


def test_logged_in_learner_becomes_a_mentor_on_the_same_account(page, live_db):
    email = f"lea-{uuid.uuid4().hex[:6]}@example.org"
    user = register_user(UserCreate(email=email, password="learner-password-1", full_name="Lea Learner"), db=live_db)
    live_db.commit()

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, email, "learner-password-1")
    page.locator("#start-teaching").click()
    page.wait_for_url("**/signup?role=mentor")
    expect(page.locator("#become-mentor-form")).to_be_visible()
    expect(page.get_by_text(email)).to_be_visible()
    expect(page.locator("#signup-email")).to_have_count(0)  # not a form for a second account
    page.wait_for_timeout(300)
    page.screenshot(path="/tmp/peerlearn-become-mentor-390.png")

    page.locator("#mentor-headline").fill("Chess coach, 10 years of club play")
    page.locator("#mentor-expertise").fill("Chess, Openings")
    page.locator("#become-mentor-submit").click()
    page.wait_for_url("**/teach")
    expect(page.get_by_role("heading", name="Your teaching")).to_be_visible()
    live_db.rollback()
    live_db.expire_all()
    assert UserRole.MENTOR in live_db.get(User, user.id).roles

    page.goto("/signup?role=mentor")  # already teaching: straight to the desk
    page.wait_for_url("**/teach")
