"""A logged-in learner's 'Become a mentor' adds teaching to their account (no new-account form) and opens their desk."""

import re
import uuid

from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.models import User
from peerlearn.models.enums import UserRole
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in

TEACH = re.compile(r"/teach/?$")


def test_logged_in_learner_becomes_a_mentor_on_the_same_account(page, live_db):
    email = f"lea-{uuid.uuid4().hex[:6]}@example.org"
    user = register_user(UserCreate(email=email, password="learner-password-1", full_name="Lea Learner"), db=live_db)
    live_db.commit()

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, email, "learner-password-1")
    page.screenshot(path="/tmp/peerlearn-dashboard-390.png")
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
    page.wait_for_url(TEACH)
    expect(page.get_by_role("heading", name="Your teaching")).to_be_visible()
    live_db.rollback()
    live_db.expire_all()
    assert UserRole.MENTOR in live_db.get(User, user.id).roles

    page.goto("/signup?role=mentor")  # already teaching: straight to the desk
    page.wait_for_url(TEACH)

    page.context.clear_cookies()  # a mentor's log-in lands on their teaching desk
    page.goto("/login")
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill("learner-password-1")
    page.locator("#login-submit").click()
    page.wait_for_url(TEACH)
    expect(page.get_by_role("heading", name="Your teaching")).to_be_visible()


def test_become_mentor_form_on_a_wide_screen(page, live_db):
    email = f"leo-{uuid.uuid4().hex[:6]}@example.org"
    register_user(UserCreate(email=email, password="learner-password-1", full_name="Leo Learner"), db=live_db)
    live_db.commit()
    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, email, "learner-password-1")
    page.goto("/signup?role=mentor")
    expect(page.locator("#become-mentor-form")).to_be_visible()
    page.locator("#become-mentor-submit").click()  # an empty headline: the browser's own check keeps the form
    expect(page.locator("#become-mentor-form")).to_be_visible()
    page.screenshot(path="/tmp/peerlearn-become-mentor-1366.png")
    page.goto("/signup")  # logged in, not asking to teach: no second account, back to the dashboard
    page.wait_for_url(re.compile(r"/dashboard/?$"))
