"""A mentor opens Plans, chooses a paid plan, pays on the simulated gateway's page, and their profile then wears the
Pro badge."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.models import MentorProfile
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.subscriptions.helpers import make_plan

PASSWORD = "mentor-plans-pass-1"


def test_a_mentor_subscribes_on_the_simulated_gateway_and_wears_the_pro_badge(page, live_db):
    tag = uuid.uuid4().hex[:6]
    plan_name = f"Pro {tag}"
    make_plan(live_db, plan_name)
    email = f"mentor-plans-{tag}@example.org"
    mentor = register_user(UserCreate(email=email, password=PASSWORD, full_name=f"Paula Pro{tag}"), db=live_db)
    mentor.is_mentor = True
    live_db.add(mentor)
    live_db.add(MentorProfile(user_id=mentor.id, headline="Violinist"))
    live_db.commit()

    log_in(page, email, PASSWORD)
    page.goto(f"/mentors/{mentor.id}")
    expect(page.locator("#mentor-name")).to_have_text(f"Paula Pro{tag}")
    expect(page.locator("#mentor-pro-badge")).to_have_count(0)

    page.goto("/teach")
    page.locator("#teach-plans").click()  # the desk leads to the plans
    page.wait_for_url("**/teach/plans")
    chosen = page.locator(f".plan-card[data-plan='{plan_name}']")
    expect(chosen).to_contain_text("$15.00 a month")
    chosen.locator(".choose").click()
    page.wait_for_url("**/pay/simulated/subscription/**")
    expect(page.locator("#simulation-notice")).to_be_visible()
    expect(page.locator("#subscription-amount")).to_contain_text("$15.00 now")
    page.locator("#card-number").fill("4242 4242 4242 4242")
    page.locator("#pay-button").click()
    page.wait_for_url("**/teach/plans?subscribed=1")
    expect(page.locator(f".plan-card[data-plan='{plan_name}']")).to_contain_text("Your plan")
    expect(page.locator("#plan-status")).to_contain_text(f"{plan_name} renews on")

    page.goto(f"/mentors/{mentor.id}")
    expect(page.locator("#mentor-pro-badge")).to_be_visible()
