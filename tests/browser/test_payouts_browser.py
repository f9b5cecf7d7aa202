"""A mentor with available earnings asks for part of them on the teaching desk: the available balance drops, the
payout is listed as pending with its time in the mentor's zone, and asking for more than is there is refused."""

import uuid
from datetime import timedelta

from playwright.sync_api import expect
from sqlmodel import select

from peerlearn.accounts.actions import register_user
from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.billing.payments import handle_webhook, simulated_pay
from peerlearn.booking.actions import book_session
from peerlearn.models import LedgerEntry
from peerlearn.models.enums import LedgerAccount
from peerlearn.models.types import utcnow
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session, make_user

SHOTS = "/tmp/peerlearn-payouts"


def test_mentor_requests_a_payout_and_sees_it_in_the_history(page, live_db):
    tag = uuid.uuid4().hex[:5]
    mentor = register_user(
        UserCreate(email=f"po-{tag}@example.org", password="mentor-password-1", full_name="Pat", role="mentor"),
        db=live_db,
    )
    live_db.commit()
    sid = make_session(live_db, mentor, title=f"Payout {tag}", price_minor=10000)
    _, payment = book_session(make_user(live_db), sid, db=live_db)
    live_db.commit()
    handle_webhook("simulated", *simulated_pay(payment.provider_ref, "4242424242424242", db=live_db), db=live_db)
    for entry in live_db.exec(
        select(LedgerEntry).where(LedgerEntry.account == LedgerAccount.MENTOR_PAYABLE, LedgerEntry.user_id == mentor.id)
    ):
        entry.available_at = utcnow() - timedelta(hours=1)  # as if the escrow delay had passed
        live_db.add(entry)
    live_db.commit()

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, mentor.email, "mentor-password-1")
    page.goto("/teach")
    earnings = page.locator("#earnings")
    expect(earnings).to_contain_text("$88.00")
    expect(page.locator("#payout-history-empty")).to_be_visible()

    earnings.get_by_label("Amount").fill("500")
    earnings.locator(".request-payout").click()
    expect(page.get_by_text("You asked for $500.00, but $88.00 is available.")).to_be_visible()

    earnings.get_by_label("Amount").fill("30")
    earnings.locator(".request-payout").click()
    history = page.locator("#payout-history")
    expect(history).to_contain_text("$30.00")
    expect(history).to_contain_text("Pending")
    expect(history).to_contain_text("UTC")
    expect(earnings).to_contain_text("$58.00")
    expect(earnings.get_by_label("Amount")).to_have_value("58.00")  # the form starts again from what is left
    page.locator("#payout-history").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}-1366.png")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_timeout(300)
    page.locator("#payout-history").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}-390.png")
    live_db.rollback()
    assert unbalanced_transactions(db=live_db) == []
