"""A mentor edits a session after creating it: Edit on the teaching desk opens the form prefilled; a capacity below
the seats taken is refused next to the field; a new title is saved and shows on the session's public page."""

import uuid

from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.booking import actions as booking_service
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session, make_user

SHOTS = "/tmp/peerlearn-edit-session"


def test_mentor_edits_the_title_of_a_booked_session(page, live_db):
    tag = uuid.uuid4().hex[:5]
    mentor = register_user(
        UserCreate(email=f"ed-{tag}@example.org", password="mentor-password-1", full_name="Edna", role="mentor"),
        db=live_db,
    )
    live_db.commit()
    sid = make_session(live_db, mentor, title=f"Pottery {tag}", capacity=3)
    for _ in range(2):
        booking_service.book_session(make_user(live_db), sid, db=live_db)
    live_db.commit()

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, mentor.email, "mentor-password-1")
    page.goto("/teach")
    row = page.locator("#teaching-upcoming tr", has_text=f"Pottery {tag}")
    page.screenshot(path=f"{SHOTS}-desk-1366.png")
    row.locator(".edit-session").click()
    page.wait_for_url(f"**/teach/sessions/{sid}/edit")
    expect(page.locator("#session-title-input")).to_have_value(f"Pottery {tag}")
    expect(page.locator("#session-capacity")).to_have_value("3")
    page.screenshot(path=f"{SHOTS}-form-1366.png")

    page.locator("#session-capacity").fill("1")
    page.locator("#save-session").click()
    expect(page.locator("#error-capacity")).to_contain_text("2 seats are already taken")

    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}-error-390.png", full_page=True)
    page.locator("#session-capacity").fill("3")
    page.locator("#session-title-input").fill(f"Wheel throwing {tag}")
    page.locator("#save-session").click()
    page.wait_for_url(f"**/teach/sessions/{sid}")
    expect(page.locator("#manage-title")).to_have_text(f"Wheel throwing {tag}")
    page.screenshot(path=f"{SHOTS}-manage-390.png")
    page.locator("#edit-session").click()  # again: the form starts from what was saved, not the old title
    page.wait_for_url(f"**/teach/sessions/{sid}/edit")
    expect(page.locator("#session-title-input")).to_have_value(f"Wheel throwing {tag}")
    page.go_back()
    page.set_viewport_size({"width": 1366, "height": 900})
    expect(page.locator("#manage-title")).to_have_text(f"Wheel throwing {tag}")
    page.screenshot(path=f"{SHOTS}-manage-1366.png")

    page.goto(f"/sessions/{sid}")
    expect(page.locator("#session-title")).to_have_text(f"Wheel throwing {tag}")
    page.goto("/teach")
    expect(page.locator("#teaching-upcoming")).to_contain_text(f"Wheel throwing {tag}")
    page.screenshot(path=f"{SHOTS}-desk-390.png", full_page=True)
