"""The session page: cancelling my booking asks first and states the refund; losing the last seat to someone else
leaves the page saying Full with the waitlist, never "1 of 1 spots left" and a Book button."""

import uuid

from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.booking import actions as booking_service
from peerlearn.models import Booking
from peerlearn.models.enums import BookingStatus, RefundPolicy
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session, make_user, pay

PASSWORD = "learner-password-1"
SHOTS = "/tmp/peerlearn-session-page"


def _learner(db, tag: str, n: int):
    user = register_user(
        UserCreate(email=f"sp{n}-{tag}@example.org", password=PASSWORD, full_name=f"Learner {n}"), db=db
    )
    db.commit()
    return user


def _status(db, booking_id: int) -> BookingStatus:
    db.rollback()
    db.expire_all()
    return db.get(Booking, booking_id).status


def test_cancel_my_booking_asks_with_the_refund_then_cancels(page, live_db):
    tag = uuid.uuid4().hex[:5]
    mentor = make_user(live_db, mentor=True, name="Mo Mentor")
    sid = make_session(live_db, mentor, title=f"Kiln {tag}", price_minor=4000, refund_policy=RefundPolicy.FULL)
    learner = _learner(live_db, tag, 1)
    booking, _ = booking_service.book_session(learner, sid, db=live_db)
    live_db.commit()
    pay(live_db, booking.id)
    expected = booking_service.cancellation_preview(learner, booking.id, db=live_db).statement
    live_db.rollback()

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, learner.email, PASSWORD)
    page.goto(f"/sessions/{sid}")
    page.locator("#cancel-booking").click()
    dialog = page.locator("#cancel-booking-dialog")
    expect(dialog).to_contain_text(f"Cancel your booking of Kiln {tag}?")
    expect(dialog.locator(".confirm-statement")).to_have_text(expected)
    page.wait_for_timeout(400)
    page.screenshot(path=f"{SHOTS}-cancel-390.png")
    dialog.get_by_role("button", name="Keep booking").click()
    expect(dialog).to_have_count(0)
    expect(page.locator("#booked-callout")).to_be_visible()
    assert _status(live_db, booking.id) == BookingStatus.CONFIRMED

    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("#cancel-booking").click()
    expect(dialog.locator(".confirm-statement")).to_have_text(expected)
    page.wait_for_timeout(400)
    page.screenshot(path=f"{SHOTS}-cancel-1366.png")
    dialog.get_by_role("button", name="Cancel booking").click()
    expect(page.locator("#book-button")).to_be_visible()
    assert _status(live_db, booking.id) == BookingStatus.REFUNDED  # paid, so cancelled with its refund


def test_losing_the_last_seat_shows_full_and_the_waitlist(page, live_db):
    tag = uuid.uuid4().hex[:5]
    mentor = make_user(live_db, mentor=True, name="Mo Mentor")
    sid = make_session(live_db, mentor, title=f"Last seat {tag}", capacity=1)
    live_db.commit()
    slow, quick = _learner(live_db, tag, 2), _learner(live_db, tag, 3)

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, slow.email, PASSWORD)
    page.goto(f"/sessions/{sid}")
    expect(page.locator("#spots-left")).to_have_text("1 of 1 spots left")
    booking_service.book_session(quick, sid, db=live_db)  # someone else takes the seat meanwhile
    live_db.commit()

    page.locator("#book-button").click()
    expect(page.locator("#booking-message")).to_contain_text("full")
    expect(page.locator("#spots-left")).to_have_text("Full")
    expect(page.locator("#book-button")).to_have_count(0)
    expect(page.locator("#waitlist-button")).to_be_visible()
    page.screenshot(path=f"{SHOTS}-full-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.wait_for_timeout(300)
    page.screenshot(path=f"{SHOTS}-full-1366.png")
