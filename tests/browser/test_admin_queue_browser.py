"""An admin works the dashboard's queue: verifies one waiting mentor, rejects another only after confirming, and
marks a mentor's payout request paid, also only after confirming; each leaves its list, and the mentor's profile
shows the Verified badge."""

import uuid
from datetime import timedelta

from playwright.sync_api import expect
from sqlmodel import select

from peerlearn.accounts.actions import ensure_admin
from peerlearn.billing.payments import handle_webhook, simulated_pay
from peerlearn.billing.payouts import request_payout
from peerlearn.booking.actions import book_session
from peerlearn.models import LedgerEntry, MentorProfile, Payout
from peerlearn.models.enums import LedgerAccount, PayoutStatus, VerificationStatus
from peerlearn.models.types import utcnow
from tests.browser.helpers import log_in
from tests.factories import make_session, make_user


def test_admin_verifies_rejects_and_pays_from_the_dashboard(page, live_db):
    tag = uuid.uuid4().hex[:5]
    keen = make_user(live_db, mentor=True, name=f"Keen {tag}")
    doubtful = make_user(live_db, mentor=True, name=f"Doubtful {tag}")
    live_db.get(MentorProfile, keen.id).verification_status = VerificationStatus.PENDING
    earner = make_user(live_db, mentor=True, name=f"Earner {tag}")
    live_db.get(MentorProfile, earner.id).verification_status = VerificationStatus.VERIFIED
    live_db.commit()
    _, payment = book_session(make_user(live_db), make_session(live_db, earner, price_minor=10000), db=live_db)
    live_db.commit()
    handle_webhook("simulated", *simulated_pay(payment.provider_ref, "4242424242424242", db=live_db), db=live_db)
    for entry in live_db.exec(
        select(LedgerEntry).where(LedgerEntry.account == LedgerAccount.MENTOR_PAYABLE, LedgerEntry.user_id == earner.id)
    ):
        entry.available_at = utcnow() - timedelta(hours=1)  # as if the escrow delay had passed
        live_db.add(entry)
    live_db.commit()
    payout_id = request_payout(earner, "USD", 3000, db=live_db).id
    email = f"boss-{tag}@example.org"
    ensure_admin(email, "admin-password-1", db=live_db)
    live_db.commit()

    page.set_viewport_size({"width": 1366, "height": 900})
    log_in(page, email, "admin-password-1")
    page.goto("/insights")
    mentors = page.locator("#mentors-to-verify")
    keen_row = mentors.locator("div").filter(has_text=f"Keen {tag}").filter(has=page.locator(".verify-mentor")).last
    expect(keen_row).to_contain_text("Asked to be verified")
    keen_row.locator(".verify-mentor").click()
    expect(page.get_by_text("Mentor verified.")).to_be_visible()
    expect(mentors).not_to_contain_text(f"Keen {tag}")

    doubtful_row = mentors.locator("div").filter(has_text=f"Doubtful {tag}").filter(has=page.locator(".reject-mentor"))
    doubtful_row.last.locator(".reject-mentor").click()
    dialog = page.locator("#reject-mentor-dialog")
    expect(dialog).to_contain_text(f"Reject Doubtful {tag}?")
    dialog.locator(".confirm-dismiss").click()  # the safe choice changes nothing
    expect(mentors).to_contain_text(f"Doubtful {tag}")
    doubtful_row.last.locator(".reject-mentor").click()
    dialog.locator(".confirm-action").click()
    expect(mentors).not_to_contain_text(f"Doubtful {tag}")

    payouts = page.locator("#payout-requests")
    expect(payouts).to_contain_text(f"Earner {tag}")
    expect(payouts).to_contain_text("$30.00")
    earner_row = payouts.locator("div").filter(has_text=f"Earner {tag}").filter(has=page.locator(".pay-payout")).last
    earner_row.locator(".pay-payout").click()
    paying = page.locator("#mark-paid-dialog")
    expect(paying).to_contain_text(f"Earner {tag} will see $30.00 as paid to them")
    paying.locator(".confirm-dismiss").click()  # "Not yet" pays nothing
    expect(paying).to_be_hidden()
    expect(payouts).to_contain_text(f"Earner {tag}")
    live_db.expire_all()
    assert live_db.get(Payout, payout_id).status != PayoutStatus.PAID
    earner_row.locator(".pay-payout").click()
    paying.locator(".confirm-action").click()
    expect(page.get_by_text("Payout marked paid.")).to_be_visible()
    expect(payouts).not_to_contain_text(f"Earner {tag}")

    live_db.expire_all()
    assert live_db.get(Payout, payout_id).status == PayoutStatus.PAID
    assert live_db.get(MentorProfile, keen.id).verification_status == VerificationStatus.VERIFIED
    assert live_db.get(MentorProfile, doubtful.id).verification_status == VerificationStatus.REJECTED
    page.goto(f"/mentors/{keen.id}")
    expect(page.locator(".trust-signal[data-key=verified]")).to_contain_text("Verified mentor")
