"""An admin sees the revenue chart and KPI cards; a learner is refused the dashboards."""

import uuid

from playwright.sync_api import expect

from peerlearn.accounts.actions import ensure_admin, register_user
from peerlearn.billing.payments import handle_webhook, simulated_pay
from peerlearn.booking.actions import book_session
from peerlearn.models.types import utcnow
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session, make_user


def test_admin_sees_revenue_chart_and_learner_is_refused(page, live_db):
    mentor, payer = make_user(live_db, mentor=True), make_user(live_db)
    session_id = make_session(live_db, mentor, price_minor=5000)
    _, payment = book_session(payer, session_id, db=live_db)
    live_db.commit()
    handle_webhook("simulated", *simulated_pay(payment.provider_ref, "4242424242424242", db=live_db), db=live_db)
    admin_email, learner_email = f"boss-{uuid.uuid4().hex[:6]}@example.org", f"l-{uuid.uuid4().hex[:6]}@example.org"
    ensure_admin(admin_email, "admin-password-1", db=live_db)
    register_user(UserCreate(email=learner_email, password="learner-password-1", full_name="Lu Learner"), db=live_db)
    live_db.commit()

    log_in(page, learner_email, "learner-password-1")
    page.goto("/insights")
    page.wait_for_url("**/denied**")
    expect(page.get_by_text("Access denied").first).to_be_visible()

    page.context.clear_cookies()
    log_in(page, admin_email, "admin-password-1")
    page.goto("/insights")
    expect(page.locator("#revenue-chart .recharts-surface").first).to_be_visible()
    expect(page.locator("#revenue-chart .recharts-bar-rectangle").first).to_be_visible()
    expect(page.locator(".kpi-card").first).to_contain_text("Gross booking value")
    expect(page.locator(".kpi-card").first).to_contain_text("$")
    expect(page.locator("#ledger-health")).to_contain_text("Ledger balanced")
    expect(page.locator("#gbv-by-gateway")).to_contain_text("simulated")
    expect(page.locator(".kpi-card").filter(has_text="CAC")).to_contain_text("— · —")
    page.locator("input[name=month]").fill(utcnow().strftime("%Y-%m"))
    page.locator("input[name=amount]").fill("300")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".kpi-card").filter(has_text="CAC")).to_contain_text("$")
