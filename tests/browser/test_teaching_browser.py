"""A new mentor creates a session in the editor, lands on its page, and finds it on the teaching dashboard."""

import uuid
from datetime import timedelta

from playwright.sync_api import expect

from peerlearn.models.types import utcnow


def test_mentor_signs_up_and_creates_a_session(page):
    page.goto("/signup?role=mentor")
    page.locator("#signup-name").fill("Mina Mentor")
    page.locator("#signup-email").fill(f"mina-{uuid.uuid4().hex[:6]}@example.org")
    page.locator("#signup-password").fill("mentor-password-1")
    expect(page.locator("#role-mentor")).to_be_checked()
    page.locator("#signup-submit").click()
    page.wait_for_url("**/profile**")

    page.goto("/teach/new")
    title = f"Watercolour basics {uuid.uuid4().hex[:4]}"
    page.locator("#session-title-input").fill(title)
    page.locator("#session-skills").fill("Painting, Watercolour")
    day = (utcnow() + timedelta(days=6)).strftime("%Y-%m-%d")
    page.locator("#session-date").fill(day)
    page.locator("#session-time").fill("18:00")
    page.locator("#session-capacity").fill("0")
    page.locator("#create-session").click()
    expect(page.locator("#form-error")).to_contain_text("Capacity must be between 1 and 500")

    page.locator("#session-capacity").fill("6")
    page.locator("#session-price").fill("20")
    page.locator("#create-session").click()
    page.wait_for_url("**/teach/sessions/**")
    expect(page.locator("#manage-title")).to_have_text(title)
    expect(page.locator("#manage-status")).to_have_text("published")

    page.goto("/teach")
    expect(page.locator("#teaching-upcoming")).to_contain_text(title)
    expect(page.locator("#teaching-calendar")).to_contain_text(f"18:00 {title} (0/6)")
    page.goto("/sessions")
    page.locator("#search-input").fill("watercolour")
    expect(page.locator("#results")).to_contain_text(title)
