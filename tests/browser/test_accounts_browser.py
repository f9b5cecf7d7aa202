"""A person signs up, logs in, edits their profile and sees the change after a reload."""

import uuid

from playwright.sync_api import expect


def test_signup_login_edit_profile_and_reload(page):
    email = f"ada-{uuid.uuid4().hex[:6]}@example.org"
    page.goto("/signup")
    page.locator("#signup-name").fill("Ada Lovelace")
    page.locator("#signup-email").fill(email)
    page.locator("#signup-password").fill("analytical-engine")
    page.locator("#signup-interests").fill("Mathematics, weaving")
    page.locator("#signup-submit").click()
    page.wait_for_url("**/profile**")
    expect(page.locator("#profile-interests")).to_have_value("Mathematics, weaving")  # what sign-up was told

    page.locator("#account-menu").click()
    page.locator("#logout").click()
    page.wait_for_url(lambda url: "/profile" not in url)
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    page.goto("/login")
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill("wrong-password")
    page.locator("#login-submit").click()
    expect(page.locator("#form-error")).to_contain_text("incorrect")
    page.locator("#login-email").fill(email)  # the form came back as a new page (the email is not put in its URL)
    page.locator("#login-password").fill("analytical-engine")
    page.locator("#login-submit").click()
    page.wait_for_url("**/dashboard**")
    expect(page.locator("#dashboard-greeting")).to_contain_text("Ada Lovelace")

    page.goto("/profile")
    page.locator("#profile-bio").fill("I write programs for engines that do not exist yet.")
    page.locator("#new-skill").fill("Mathematics")
    page.locator("#add-skill").click()
    expect(page.locator("#skill-list")).to_contain_text("Mathematics")
    page.locator("#profile-save").click()
    expect(page.locator("#profile-saved")).to_have_text("Profile saved.")

    page.reload()
    expect(page.locator("#profile-bio")).to_have_value("I write programs for engines that do not exist yet.")
    expect(page.locator("#skill-list")).to_contain_text("Mathematics")


def test_dashboard_needs_login_and_unknown_pages_say_so(page):
    page.goto("/dashboard")
    page.wait_for_url("**/login**")
    page.goto("/no-such-page")
    expect(page.get_by_text("Page not found").first).to_be_visible()
