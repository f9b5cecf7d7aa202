"""On a 390×844 phone every main page fits the screen for a learner, a mentor and an admin, and the menu (links,
notifications, log out) can be reached and used."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from peerlearn.accounts.actions import ensure_admin, register_user
from peerlearn.booking.actions import book_session
from peerlearn.models import User
from peerlearn.models.enums import UserRole
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session

PHONE = {"width": 390, "height": 844}
PASSWORD = "phone-password-1"


def _fits(page: Page, path: str, ready: str) -> None:
    page.goto(path)
    expect(page.locator(ready).first).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide on a {PHONE['width']} px phone"


def _person(db, role: str) -> str:
    email = f"{role}-{uuid.uuid4().hex[:6]}@example.org"
    if role == "admin":
        ensure_admin(email, PASSWORD, db=db)
    else:
        data = UserCreate(email=email, password=PASSWORD, full_name=f"Phone {role.title()} Person", role=role)
        register_user(data, db=db)
    db.commit()
    return email


@pytest.fixture
def phone(browser, live_app):
    context = browser.new_context(base_url=live_app, viewport=PHONE, timezone_id="Asia/Kolkata")
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def test_every_main_page_fits_a_phone_and_the_menu_works_for_each_role(phone: Page, live_db):
    learner_email, mentor_email, admin_email = (_person(live_db, r) for r in ("learner", "mentor", "admin"))
    mentor = live_db.query(User).filter(User.email == mentor_email).one()
    learner = live_db.query(User).filter(User.email == learner_email).one()
    title = f"Phone-friendly negotiation drills with a long title {uuid.uuid4().hex[:4]}"
    session_id = make_session(live_db, mentor, title=title, capacity=3, start_in=timedelta(days=5))
    book_session(learner, session_id, db=live_db)  # a booking for the learner (Cancel), a notification for the mentor
    live_db.commit()

    pages = {
        learner_email: [
            ("/", "h1"),
            ("/sessions", "#result-count"),
            (f"/sessions/{session_id}", "#booked-callout"),
            ("/dashboard", "#upcoming-bookings"),
            ("/paths", "#goal-input"),
            ("/profile", "#profile-name"),
        ],
        mentor_email: [
            ("/teach", "#teaching-upcoming"),
            ("/teach/new", "#session-title-input"),
            (f"/teach/sessions/{session_id}", "#manage-title"),
            ("/dashboard", "#dashboard-greeting"),
        ],
        admin_email: [
            ("/insights", "#revenue-chart"),
            ("/insights/definitions", "h1"),
            ("/dashboard", "#dashboard-greeting"),
        ],
    }
    for email, role_pages in pages.items():
        log_in(phone, email, PASSWORD)
        for path, ready in role_pages:
            _fits(phone, path, ready)

        expect(phone.locator("#account-menu")).to_be_hidden()  # the desktop bar is folded away
        phone.locator("#nav-menu").click()
        menu = phone.locator("#nav-menu-panel")
        expect(menu).to_be_visible()
        expect(menu.get_by_role("link", name="Dashboard")).to_be_visible()
        expect(menu.get_by_role("link", name="Paths")).to_be_visible()
        expect(menu.get_by_role("link", name="Teach")).to_have_count(1 if email == mentor_email else 0)
        expect(menu.get_by_role("link", name="Business")).to_have_count(1 if email == admin_email else 0)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        if email == mentor_email:  # the learner's booking reached the mentor's bell, inside the menu
            expect(phone.locator("#menu-unread-count")).to_have_text("1")
            expect(phone.locator("#menu-notification-list")).to_contain_text(f"New booking: {title}")
            phone.locator("#menu-mark-all-read").click()
            expect(phone.locator("#menu-unread-count")).to_have_count(0)
        if email == learner_email:
            menu.get_by_role("link", name="Profile").click()
            phone.wait_for_url("**/profile")
            expect(phone.locator("#nav-menu-panel")).to_be_hidden()
            phone.locator("#nav-menu").click()
            phone.locator("#nav-menu-panel").get_by_role("link", name="Paths").click()
            phone.wait_for_url("**/paths")
            expect(phone.locator("#goal-input")).to_be_visible()
            phone.locator("#nav-menu").click()
        phone.locator("#menu-logout").click()
        phone.wait_for_url(lambda url: url.rstrip("/").count("/") == 2)  # the home page
        phone.locator("#nav-menu").click()
        expect(phone.locator("#nav-menu-panel").get_by_role("link", name="Log in")).to_be_visible()
        phone.keyboard.press("Escape")

    for path, ready in [("/sessions", "#result-count"), ("/login", "#login-email"), ("/signup", "#signup-email")]:
        _fits(phone, path, ready)
    phone.goto("/sessions")
    expect(phone.locator("#filters")).to_be_hidden()  # results first; the filters wait behind their button
    phone.locator("#filters-toggle").click()
    expect(phone.locator("#filters")).to_be_visible()


def test_on_a_phone_the_price_and_book_button_come_before_the_description(phone: Page, live_db):
    mentor_email = _person(live_db, UserRole.MENTOR.value)
    mentor = live_db.query(User).filter(User.email == mentor_email).one()
    session_id = make_session(live_db, mentor, title="Box first", price_minor=2500, description="Long story. " * 80)
    phone.goto(f"/sessions/{session_id}")
    book = phone.locator("#book-button")
    expect(book).to_be_visible()
    assert book.bounding_box()["y"] + book.bounding_box()["height"] <= PHONE["height"]  # on the first screen
    title_y = phone.locator("#session-title").bounding_box()["y"]
    description_y = phone.get_by_text("Long story.", exact=False).first.bounding_box()["y"]
    assert title_y < book.bounding_box()["y"] < description_y
