"""The way into a live room: a learner whose room is open finds Join on the dashboard and it opens the room; before
the room opens, its page says when (in the viewer's zone) and how long; a mentor opens it early from a button.

With PEERLEARN_SCREENSHOTS set to a folder, the pages are also saved there at phone and laptop width."""

from __future__ import annotations

import os
import re
import uuid
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.booking.actions import book_session
from peerlearn.models import Profile
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session

ZONE = "Asia/Kolkata"
SIZES = {"phone": (390, 844), "laptop": (1366, 900)}


def person(db, name: str, password: str, *, mentor: bool = False):
    tag = uuid.uuid4().hex[:6]
    role = "mentor" if mentor else "learner"
    user = register_user(
        UserCreate(email=f"{role}-{tag}@example.org", password=password, full_name=name, role=role), db=db
    )
    profile = db.get(Profile, user.id) or Profile(user_id=user.id)
    profile.timezone = ZONE
    db.add(profile)
    db.commit()
    return user


def shoot(page, name: str, selector: str) -> None:
    folder = os.environ.get("PEERLEARN_SCREENSHOTS")
    if not folder:
        return
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.locator(selector).first.scroll_into_view_if_needed()
        page.screenshot(path=str(Path(folder) / f"wayin-{name}-{size}.png"))
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_learner_joins_from_the_dashboard_once_the_room_is_open(page, live_db):
    mentor = person(live_db, "Meera Mentor", "mentor-password-1", mentor=True)
    learner = person(live_db, "Lata Learner", "learner-password-1")
    soon = make_session(  # its room opens 25 s from now
        live_db, mentor, title="Opens soon", start_in=timedelta(minutes=10, seconds=25), min_notice_minutes=0
    )
    later = make_session(live_db, mentor, title="Later today", start_in=timedelta(hours=3), min_notice_minutes=0)
    for session_id in (soon, later):
        book_session(learner, session_id, db=live_db)
    live_db.commit()

    log_in(page, learner.email, "learner-password-1")
    soon_row = page.locator(".booking-row", has_text="Opens soon")
    later_row = page.locator(".booking-row", has_text="Later today")
    expect(soon_row).to_contain_text(f"({ZONE}), in 1 min")
    expect(soon_row.locator(".join-room-link")).to_have_count(0)
    # the page's own poll turns the countdown into Join when the room opens, without a reload
    expect(soon_row.locator(".join-room-link")).to_be_visible(timeout=60_000)
    expect(soon_row).to_contain_text("starts in 10 min")
    expect(later_row.locator(".join-room-link")).to_have_count(0)
    expect(later_row).to_contain_text(f"({ZONE}), in 2 h")
    shoot(page, "dashboard", "#upcoming-bookings")

    page.goto(f"/room/{later}")  # not open yet: the session, its start in my zone, the wait, the way back
    expect(page.locator("#room-wait-title")).to_have_text("Later today")
    expect(page.locator("#room-wait-starts")).to_contain_text(ZONE)
    expect(page.locator("#room-wait-note")).to_contain_text("in 2 h")
    expect(page.locator("#open-room-now")).to_have_count(0)
    shoot(page, "room-not-open", "#room-waiting")
    page.locator("#room-wait-back").click()
    page.wait_for_url("**/bookings/*")

    page.goto(f"/sessions/{soon}")  # the session page: Join in the booking box too
    expect(page.locator("#join-room-link")).to_be_visible()
    page.goto(f"/sessions/{later}")
    expect(page.locator("#room-note")).to_contain_text(f"({ZONE}), in 2 h")
    expect(page.locator("#join-room-link")).to_have_count(0)

    page.goto("/dashboard")
    soon_row.locator(".join-room-link").click()
    page.wait_for_url(f"**/room/{soon}")
    expect(page.locator("#join-room")).to_be_visible()


def test_a_mentor_opens_the_room_early_from_the_button(page, live_db):
    mentor = person(live_db, "Mohan Mentor", "mentor-password-1", mentor=True)
    early = make_session(live_db, mentor, title="Early bird", start_in=timedelta(minutes=40), min_notice_minutes=0)
    log_in(page, mentor.email, "mentor-password-1")

    page.goto(f"/teach/sessions/{early}")
    expect(page.locator("#open-room-now")).to_be_visible()
    expect(page.locator("#manage-room-note")).to_contain_text(re.compile(r"\(Asia/Kolkata\), in (29|30) min"))

    page.goto(f"/room/{early}")
    expect(page.locator("#room-wait-title")).to_have_text("Early bird")
    expect(page.locator("#room-wait-note")).to_contain_text(ZONE)
    shoot(page, "room-mentor-early", "#room-waiting")
    page.locator("#open-room-now").click()
    expect(page.locator("#join-room")).to_be_visible()
    expect(page.locator("#room-waiting")).to_have_count(0)
