"""Destructive actions wait for a yes: the dialog says what happens (the refund, who is told), keeping changes nothing,
and confirming does it. The dialog's buttons stay on a 390 px phone screen."""

import uuid
from datetime import timedelta

from playwright.sync_api import expect
from sqlmodel import select

from peerlearn.accounts.actions import register_user
from peerlearn.booking import actions as booking_service
from peerlearn.models import Booking, LearningSession
from peerlearn.models.enums import BookingStatus, RefundPolicy, SessionStatus
from peerlearn.models.types import utcnow
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session, pay

SHOTS = "/tmp/peerlearn-confirm"


def _people(db, tag: str, learners: int):
    mentor = register_user(
        UserCreate(email=f"m-{tag}@example.org", password="mentor-password-1", full_name="Mo Mentor", role="mentor"),
        db=db,
    )
    booked = [
        register_user(
            UserCreate(email=f"l{n}-{tag}@example.org", password="learner-password-1", full_name=f"Learner {n}"),
            db=db,
        )
        for n in range(learners)
    ]
    db.commit()
    return mentor, booked


def _status(db, booking_id: int) -> BookingStatus:
    db.rollback()
    db.expire_all()  # a read after the app's commit, not the object this session remembers
    return db.get(Booking, booking_id).status


def _buttons_on_screen(page, dialog_id: str, width: int) -> None:
    page.wait_for_timeout(400)  # the dialog's fade-in, so the screenshot shows it settled
    for name in ("confirm-dismiss", "confirm-action"):
        box = page.locator(f"#{dialog_id} .{name}").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (name, box)


def test_learner_cancel_says_the_refund_and_keeping_keeps_the_booking(page, live_db):
    tag = uuid.uuid4().hex[:5]
    mentor, (learner,) = _people(live_db, tag, 1)
    sid = make_session(live_db, mentor, title=f"Glazing {tag}", price_minor=4000, refund_policy=RefundPolicy.FULL)
    booking, _ = booking_service.book_session(learner, sid, db=live_db)
    live_db.commit()
    pay(live_db, booking.id)
    expected = booking_service.cancellation_preview(learner, booking.id, db=live_db).statement
    live_db.rollback()
    assert expected.startswith("You'll get a full refund of $")

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, learner.email, "learner-password-1")
    page.locator("#upcoming-bookings").get_by_role("button", name="Cancel").click()
    dialog = page.locator("#cancel-booking-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"Cancel your booking of Glazing {tag}?")
    expect(dialog.locator(".confirm-statement")).to_have_text(expected)
    _buttons_on_screen(page, "cancel-booking-dialog", 390)
    page.screenshot(path=f"{SHOTS}-cancel-390.png")

    dialog.get_by_role("button", name="Keep booking").click()
    expect(dialog).to_have_count(0)
    expect(page.locator("#upcoming-bookings")).to_contain_text(f"Glazing {tag}")
    assert _status(live_db, booking.id) == BookingStatus.CONFIRMED

    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("#upcoming-bookings").get_by_role("button", name="Cancel").click()
    expect(dialog.locator(".confirm-statement")).to_have_text(expected)
    _buttons_on_screen(page, "cancel-booking-dialog", 1366)
    page.screenshot(path=f"{SHOTS}-cancel-1366.png")
    page.keyboard.press("Escape")  # Escape is "keep" too
    expect(dialog).to_have_count(0)
    assert _status(live_db, booking.id) == BookingStatus.CONFIRMED

    page.locator("#upcoming-bookings").get_by_role("button", name="Cancel").click()
    dialog.get_by_role("button", name="Cancel booking").click()
    expect(page.get_by_text("Booking cancelled.")).to_be_visible()
    expect(page.locator("#upcoming-bookings")).to_have_count(0)
    assert _status(live_db, booking.id) == BookingStatus.REFUNDED


def test_learner_confirms_the_reschedule_option_before_it_moves(page, live_db):
    tag = uuid.uuid4().hex[:5]
    mentor, (learner,) = _people(live_db, tag, 1)
    first = make_session(live_db, mentor, title=f"Knots {tag}", capacity=3, start_in=timedelta(days=2))
    second = make_session(live_db, mentor, title=f"Sails {tag}", capacity=3, start_in=timedelta(days=3))
    booking, _ = booking_service.book_session(learner, first, db=live_db)
    live_db.commit()

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, learner.email, "learner-password-1")
    page.locator("#upcoming-bookings").get_by_role("button", name="Reschedule").click()
    page.get_by_role("button", name=f"Sails {tag} · ").click()
    dialog = page.locator("#reschedule-confirm-dialog")
    expect(dialog.locator(".confirm-statement")).to_contain_text("Your seat moves from ")
    expect(dialog).to_contain_text("nothing is charged or refunded")
    _buttons_on_screen(page, "reschedule-confirm-dialog", 390)
    page.screenshot(path=f"{SHOTS}-reschedule-390.png")
    dialog.get_by_role("button", name="Keep current time").click()
    expect(dialog).to_have_count(0)
    assert _status(live_db, booking.id) == BookingStatus.CONFIRMED

    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("#upcoming-bookings").get_by_role("button", name="Reschedule").click()
    page.get_by_role("button", name=f"Sails {tag} · ").click()
    _buttons_on_screen(page, "reschedule-confirm-dialog", 1366)
    page.screenshot(path=f"{SHOTS}-reschedule-1366.png")
    dialog.get_by_role("button", name="Move my booking").click()
    expect(page.get_by_text("Moved. Your seat in the new session is confirmed.")).to_be_visible()
    assert _status(live_db, booking.id) == BookingStatus.CANCELLED
    moved = live_db.exec(select(Booking).where(Booking.rescheduled_from_id == booking.id)).one()
    assert moved.session_id == second and moved.status == BookingStatus.CONFIRMED


def test_mentor_cancel_says_who_is_refunded_and_a_live_session_offers_no_cancel(page, live_db):
    tag = uuid.uuid4().hex[:5]
    mentor, learners = _people(live_db, tag, 3)
    sid = make_session(live_db, mentor, title=f"Pottery {tag}", price_minor=2500, capacity=5)
    for learner in learners:
        booking, _ = booking_service.book_session(learner, sid, db=live_db)
        live_db.commit()
        pay(live_db, booking.id)

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, mentor.email, "mentor-password-1")
    page.goto(f"/teach/sessions/{sid}")
    expect(page.locator("#manage-status")).to_have_text("published")
    page.locator("input[name=reason]").fill("I am ill")
    page.locator("#cancel-session").click()
    dialog = page.locator("#cancel-session-dialog")
    expect(dialog.locator(".confirm-statement")).to_have_text(
        "3 learners are booked; each gets a full refund and an e-mail."
    )
    expect(dialog).to_contain_text("I am ill")
    _buttons_on_screen(page, "cancel-session-dialog", 390)
    page.screenshot(path=f"{SHOTS}-session-390.png")
    dialog.get_by_role("button", name="Keep session").click()
    expect(dialog).to_have_count(0)
    live_db.rollback()
    live_db.expire_all()
    assert live_db.get(LearningSession, sid).status == SessionStatus.PUBLISHED

    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("#cancel-session").click()
    _buttons_on_screen(page, "cancel-session-dialog", 1366)
    page.screenshot(path=f"{SHOTS}-session-1366.png")
    dialog.get_by_role("button", name="Cancel session").click()
    expect(page.locator("#manage-status")).to_have_text("cancelled")
    live_db.rollback()
    live_db.expire_all()
    assert live_db.get(LearningSession, sid).status == SessionStatus.CANCELLED
    refunded = live_db.exec(select(Booking).where(Booking.session_id == sid)).all()
    assert [b.status for b in refunded] == [BookingStatus.REFUNDED] * 3

    live = make_session(live_db, mentor, title=f"Live {tag}", start_in=timedelta(days=5))
    row = live_db.get(LearningSession, live)
    row.start_at, row.end_at = utcnow() - timedelta(minutes=10), utcnow() + timedelta(minutes=50)
    live_db.add(row)
    live_db.commit()
    page.goto(f"/teach/sessions/{live}")
    expect(page.locator("#manage-status")).to_have_text("published")
    expect(page.locator("#cancel-session-card")).to_have_count(0)
