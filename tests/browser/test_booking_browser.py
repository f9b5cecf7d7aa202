"""A learner books a paid session and pays on the simulated gateway's page; the booking is confirmed
and the ledger balances (on PostgreSQL whenever it is there, always in CI)."""

import uuid
from datetime import timedelta

from playwright.sync_api import expect
from sqlmodel import select

from peerlearn.accounts.actions import register_user
from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.models import Booking, Payment
from peerlearn.models.enums import BookingStatus, PaymentStatus
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session, make_user

PASSWORD = "learner-password-1"


def test_pay_for_a_session_on_the_simulated_gateway(page, live_db):
    mentor = make_user(live_db, mentor=True, name="Priya Mentor")
    session_id = make_session(live_db, mentor, title="Negotiation drills", price_minor=3500, start_in=timedelta(days=4))
    email = f"learner-{uuid.uuid4().hex[:6]}@example.org"
    register_user(UserCreate(email=email, password=PASSWORD, full_name="Lina Learner"), db=live_db)
    live_db.commit()

    log_in(page, email, PASSWORD)
    page.goto(f"/sessions/{session_id}")
    expect(page.locator("#session-title")).to_have_text("Negotiation drills")
    expect(page.locator("#refund-policy")).to_contain_text("full refund")
    page.locator("#book-button").click()

    page.wait_for_url("**/pay/simulated/**")
    expect(page.locator("#simulation-notice")).to_contain_text("simulated")
    expect(page.locator("#checkout-amount")).to_have_text("$35.00")
    page.locator("#card-number").fill("4000 0000 0000 0002")
    page.locator("#pay-button").click()
    expect(page.locator("#checkout-error")).to_contain_text("declined")
    page.locator("#card-number").fill("4242 4242 4242 4242")
    page.locator("#pay-button").click()

    page.wait_for_url("**/bookings/**")
    expect(page.locator("#booking-status")).to_have_text("confirmed")
    page.goto("/dashboard")
    expect(page.locator("#upcoming-bookings")).to_contain_text("Negotiation drills")
    page.locator("#upcoming-bookings").get_by_role("button", name="Receipt").click()
    page.wait_for_url("**/receipts/**")
    expect(page.locator("#receipt-lines")).to_contain_text("platform fee")
    expect(page.locator("#receipt-lines")).to_contain_text("$4.20")

    live_db.rollback()
    booking = live_db.exec(select(Booking).where(Booking.session_id == session_id)).one()
    assert booking.status == BookingStatus.CONFIRMED
    payment = live_db.exec(
        select(Payment).where(Payment.booking_id == booking.id, Payment.status == PaymentStatus.SUCCEEDED)
    ).one()
    assert payment.platform_fee_minor == 420
    assert unbalanced_transactions(db=live_db) == []
