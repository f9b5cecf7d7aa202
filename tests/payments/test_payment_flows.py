"""Paid bookings end to end through the REST API, with each gateway's adapter against a local fake of its API
and webhooks signed with real HMACs: confirmation, duplicates, reordering, refunds, coupons."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.booking.actions import book_session, expire_holds
from peerlearn.config import reset_settings_cache
from peerlearn.models import Booking, Coupon, LearningSession, Payment
from peerlearn.models.enums import BookingStatus, CouponKind, PaymentStatus
from peerlearn.models.types import utcnow
from peerlearn.payments.registry import clear_gateway_cache
from peerlearn.platform.errors import ServiceError
from tests.factories import make_session, make_user, token_for
from tests.payments.fake_api import FakeAPI

STRIPE_KEY, STRIPE_HOOK = "sk_test_flow", "whsec_flow"
RZP_ID, RZP_SECRET, RZP_HOOK = "rzp_test_flow", "rzp_secret_flow", "rzp_hook_flow"


@pytest.fixture
def gateways(fake_api: FakeAPI, monkeypatch):
    for name, value in {
        "STRIPE_SECRET_KEY": STRIPE_KEY,
        "STRIPE_WEBHOOK_SECRET": STRIPE_HOOK,
        "STRIPE_API_BASE": fake_api.base_url,
        "RAZORPAY_KEY_ID": RZP_ID,
        "RAZORPAY_KEY_SECRET": RZP_SECRET,
        "RAZORPAY_WEBHOOK_SECRET": RZP_HOOK,
        "RAZORPAY_BASE_URL": fake_api.base_url,
    }.items():
        monkeypatch.setenv(name, value)
    reset_settings_cache()
    clear_gateway_cache()
    fake_api.route(
        "POST",
        "/v1/checkout/sessions",
        lambda r: (
            200,
            {
                "id": f"cs_test_{r.form()['metadata[payment_id]']}",
                "object": "checkout.session",
                "status": "open",
                "url": f"https://checkout.stripe.test/{r.form()['metadata[payment_id]']}",
                "amount_total": int(r.form()["line_items[0][price_data][unit_amount]"]),
                "currency": "usd",
            },
        ),
    )
    fake_api.route(
        "POST",
        "/v1/refunds",
        lambda r: (
            200,
            {
                "id": f"re_{len(fake_api.requests)}",
                "object": "refund",
                "status": "succeeded",
                "amount": int(r.form()["amount"]),
            },
        ),
    )
    fake_api.route(
        "POST",
        "/v1/payment_links",
        lambda r: (
            200,
            {
                "id": f"plink_{r.json()['reference_id'].replace('-', '')}",
                "short_url": "https://rzp.test/x",
                "amount": r.json()["amount"],
                "currency": "INR",
                "status": "created",
                "reference_id": r.json()["reference_id"],
            },
        ),
    )
    yield fake_api
    clear_gateway_cache()
    reset_settings_cache()


def stripe_event(event_type: str, obj: dict, event_id: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "api_version": "2025-01-01",
            "created": int(time.time()),
            "livemode": False,
            "data": {"object": obj},
        }
    ).encode()
    ts = int(time.time())
    mac = hmac.new(STRIPE_HOOK.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    return body, {"Stripe-Signature": f"t={ts},v1={mac}", "Content-Type": "application/json"}


def stripe_paid(payment: Payment, event_id: str = "evt_paid_1") -> tuple[bytes, dict[str, str]]:
    return stripe_event(
        "checkout.session.completed",
        {
            "id": payment.provider_ref,
            "object": "checkout.session",
            "payment_intent": f"pi_{payment.id}",
            "amount_total": payment.amount_minor,
            "currency": "usd",
            "payment_status": "paid",
            "metadata": {"payment_id": str(payment.id)},
        },
        event_id,
    )


def razorpay_event(payload: dict, event_id: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    return body, {
        "X-Razorpay-Signature": hmac.new(RZP_HOOK.encode(), body, hashlib.sha256).hexdigest(),
        "X-Razorpay-Event-Id": event_id,
        "Content-Type": "application/json",
    }


def fresh(db: Session) -> Session:
    """End the test session's transaction so it sees what the app committed since (SQLite snapshots)."""
    db.rollback()
    return db


def payment_of(db: Session, booking_id: int) -> Payment:
    fresh(db)
    return db.exec(select(Payment).where(Payment.booking_id == booking_id).order_by(Payment.id.desc())).first()


def status_of(db: Session, booking_id: int) -> BookingStatus:
    fresh(db)
    return db.get(Booking, booking_id).status


def test_stripe_checkout_webhook_confirms_and_duplicates_are_ignored(api, db, gateways):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2500, currency="USD")
    booked = api.post(f"/api/sessions/{sid}/book/", headers=token_for(db, learner)).json()
    assert booked["checkout_url"].startswith("https://checkout.stripe.test/")
    sent = gateways.only("POST", "/v1/checkout/sessions")
    assert sent.form()["line_items[0][price_data][unit_amount]"] == "2500"
    assert sent.headers["idempotency-key"] == f"booking-{booked['id']}-attempt-1"

    body, headers = stripe_paid(payment_of(db, booked["id"]))
    tampered = body.replace(b'"amount_total": 2500', b'"amount_total": 1')
    assert api.post("/api/payments/stripe/webhook/", content=tampered, headers=headers).status_code == 400
    assert status_of(db, booked["id"]) == BookingStatus.PENDING_PAYMENT

    first = api.post("/api/payments/stripe/webhook/", content=body, headers=headers)
    assert first.status_code == 200 and first.json()["outcome"] == "applied"
    again = api.post("/api/payments/stripe/webhook/", content=body, headers=headers)
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"
    assert status_of(db, booked["id"]) == BookingStatus.CONFIRMED
    payment = payment_of(db, booked["id"])
    assert payment.status == PaymentStatus.SUCCEEDED and payment.provider_payment_id == f"pi_{payment.id}"
    assert unbalanced_transactions(db=fresh(db)) == []


def test_stripe_unknown_event_is_200_and_changes_nothing(api, db, gateways):
    body, headers = stripe_event("customer.created", {"id": "cus_1", "object": "customer"}, "evt_other")
    response = api.post("/api/payments/stripe/webhook/", content=body, headers=headers)
    assert response.status_code == 200 and response.json()["outcome"] == "ignored"


def test_stripe_refund_after_cancellation_goes_through_the_api_and_reverses_the_ledger(api, db, gateways):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=5000, currency="USD")
    auth = token_for(db, learner)
    booked = api.post(f"/api/sessions/{sid}/book/", headers=auth).json()
    api.post(
        "/api/payments/stripe/webhook/",
        content=(signed := stripe_paid(payment_of(db, booked["id"])))[0],
        headers=signed[1],
    )
    cancelled = api.delete(f"/api/sessions/{sid}/cancel/", headers=auth)
    assert cancelled.status_code == 200 and cancelled.json()["refund_minor"] == 5000
    refund_call = gateways.only("POST", "/v1/refunds")
    assert refund_call.form()["amount"] == "5000" and refund_call.form()["payment_intent"].startswith("pi_")
    payment = payment_of(db, booked["id"])
    assert payment.status == PaymentStatus.REFUNDED and payment.refunded_minor == 5000
    # Stripe's own refund notification arrives later; nothing is counted twice.
    body, headers = stripe_event(
        "charge.refunded",
        {
            "id": "ch_1",
            "object": "charge",
            "payment_intent": payment.provider_payment_id,
            "amount": 5000,
            "amount_refunded": 5000,
            "currency": "usd",
        },
        "evt_ref_1",
    )
    assert api.post("/api/payments/stripe/webhook/", content=body, headers=headers).status_code == 200
    assert payment_of(db, booked["id"]).refunded_minor == 5000
    assert unbalanced_transactions(db=fresh(db)) == []


def test_reordered_stripe_events_refund_before_completion_end_correct(api, db, gateways):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=3000, currency="USD")
    booked = api.post(f"/api/sessions/{sid}/book/", headers=token_for(db, learner)).json()
    payment = payment_of(db, booked["id"])
    refund = stripe_event(
        "charge.refunded",
        {
            "id": "ch_2",
            "object": "charge",
            "payment_intent": f"pi_{payment.id}",
            "amount": 3000,
            "amount_refunded": 1000,
            "currency": "usd",
        },
        "evt_ref_early",
    )
    early = api.post("/api/payments/stripe/webhook/", content=refund[0], headers=refund[1])
    assert early.status_code == 409  # not applied and not recorded: Stripe will deliver it again
    paid = stripe_paid(payment, "evt_paid_late")
    assert api.post("/api/payments/stripe/webhook/", content=paid[0], headers=paid[1]).json()["outcome"] == "applied"
    redelivered = api.post("/api/payments/stripe/webhook/", content=refund[0], headers=refund[1])
    assert redelivered.json()["outcome"] == "applied"
    payment = payment_of(db, booked["id"])
    assert payment.refunded_minor == 1000 and payment.status == PaymentStatus.PARTIALLY_REFUNDED
    assert unbalanced_transactions(db=fresh(db)) == []


def test_razorpay_link_paid_for_inr_and_callback_checks_the_stored_link(api, db, gateways):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=49900, currency="INR")
    booked = api.post(f"/api/sessions/{sid}/book/", headers=token_for(db, learner)).json()
    link = gateways.only("POST", "/v1/payment_links").json()
    assert link["amount"] == 49900 and link["currency"] == "INR"
    assert link["callback_url"].endswith("/api/payments/razorpay/callback/")
    payment = payment_of(db, booked["id"])
    assert payment.provider == "razorpay"

    def callback(link_id: str) -> dict[str, str]:
        params = {
            "razorpay_payment_id": "pay_R1",
            "razorpay_payment_link_id": link_id,
            "razorpay_payment_link_reference_id": payment.idempotency_key,
            "razorpay_payment_link_status": "paid",
        }
        message = "|".join(
            [
                params["razorpay_payment_link_id"],
                params["razorpay_payment_link_reference_id"],
                params["razorpay_payment_link_status"],
                params["razorpay_payment_id"],
            ]
        )
        params["razorpay_signature"] = hmac.new(RZP_SECRET.encode(), message.encode(), hashlib.sha256).hexdigest()
        return params

    ok = api.get("/api/payments/razorpay/callback/", params=callback(payment.provider_ref), follow_redirects=False)
    assert ok.status_code == 303 and ok.headers["location"] == f"/bookings/{booked['id']}?paid=1"  # same host
    forged = api.get("/api/payments/razorpay/callback/", params=callback("plink_someone_else"), follow_redirects=False)
    assert "unverified" in forged.headers["location"]

    body, headers = razorpay_event(
        {
            "entity": "event",
            "event": "payment_link.paid",
            "payload": {
                "payment_link": {
                    "entity": {
                        "id": payment.provider_ref,
                        "amount": 49900,
                        "amount_paid": 49900,
                        "currency": "INR",
                        "reference_id": payment.idempotency_key,
                        "status": "paid",
                    }
                },
                "payment": {"entity": {"id": "pay_R1", "amount": 49900, "currency": "INR", "status": "captured"}},
            },
        },
        "EvtR1",
    )
    wrong = dict(headers, **{"X-Razorpay-Signature": "0" * 64})
    assert api.post("/api/payments/razorpay/webhook/", content=body, headers=wrong).status_code == 400
    assert api.post("/api/payments/razorpay/webhook/", content=body, headers=headers).json()["outcome"] == "applied"
    assert api.post("/api/payments/razorpay/webhook/", content=body, headers=headers).json()["outcome"] == "duplicate"
    assert status_of(db, booked["id"]) == BookingStatus.CONFIRMED
    assert unbalanced_transactions(db=fresh(db)) == []


def test_coupon_is_counted_exactly_once_under_a_race(database_url, db):
    from peerlearn.db import get_engine

    mentor = make_user(db, mentor=True)
    learners = [make_user(db) for _ in range(12)]
    sid = make_session(db, mentor, price_minor=2000, capacity=20)
    db.add(Coupon(code="LAUNCH", kind=CouponKind.PERCENT, value=25, max_uses=3))
    db.commit()

    def attempt(learner_id: int) -> str:
        with Session(get_engine(), expire_on_commit=False) as own:
            learner = own.get(type(learners[0]), learner_id)
            try:
                booking, _ = book_session(learner, sid, coupon_code="launch", db=own)
                own.commit()
                return f"discount:{booking.discount_minor}"
            except ServiceError as error:
                own.rollback()
                return error.code.value

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(attempt, [l.id for l in learners]))
    assert outcomes.count("discount:500") == 3
    assert outcomes.count("coupon_invalid") == 9
    db.expire_all()
    assert db.exec(select(Coupon)).one().used_count == 3
    # The discounted holds expire unpaid: their uses come back.
    expire_holds(db=db, now=utcnow() + timedelta(minutes=11))
    db.commit()
    db.expire_all()
    assert db.exec(select(Coupon)).one().used_count == 0
    assert db.get(LearningSession, sid).seats_taken == 0


def simulated_event(payment: Payment, data: dict, event_id: str) -> tuple[bytes, dict[str, str]]:
    from peerlearn.config import get_settings
    from peerlearn.payments import simulated

    body = json.dumps({"id": event_id, "type": "payment.succeeded", "data": data}).encode()
    secret = f"simulated:{get_settings().secret_key}"
    return body, {simulated.SIGNATURE_HEADER: simulated.sign(body, secret, int(time.time()))}


def mismatched_success(provider: str, payment: Payment, wrong: str) -> tuple[bytes, dict[str, str]]:
    """A correctly signed 'paid' event from `provider` that reports the wrong amount or currency."""
    amount = 1 if wrong == "amount" else payment.amount_minor
    if provider == "stripe":
        currency = "eur" if wrong == "currency" else payment.currency.lower()
        obj = {
            "id": payment.provider_ref,
            "object": "checkout.session",
            "payment_intent": f"pi_{payment.id}",
            "amount_total": amount,
            "currency": currency,
            "payment_status": "paid",
        }
        return stripe_event("checkout.session.completed", obj, f"evt_wrong_{wrong}")
    currency = "USD" if wrong == "currency" else payment.currency
    if provider == "razorpay":
        link = {"id": payment.provider_ref, "amount": payment.amount_minor, "amount_paid": amount, "currency": currency}
        paid = {"id": "pay_W1", "amount": amount, "currency": currency, "status": "captured"}
        payload = {
            "entity": "event",
            "event": "payment_link.paid",
            "payload": {"payment_link": {"entity": link}, "payment": {"entity": paid}},
        }
        return razorpay_event(payload, f"EvtWrong{wrong}")
    data = {"provider_ref": payment.provider_ref, "amount_minor": amount}  # the forged body from issue #13
    if wrong == "currency":
        data["currency"] = "INR"
    return simulated_event(payment, data, f"evt_sim_wrong_{wrong}")


@pytest.mark.parametrize("wrong", ["amount", "currency"])
@pytest.mark.parametrize(("provider", "currency"), [("stripe", "USD"), ("razorpay", "INR"), ("simulated", "EUR")])
def test_a_payment_reported_for_another_amount_or_currency_is_held_for_review(
    api, db, gateways, monkeypatch, provider, currency, wrong
):
    from peerlearn.models import LedgerTransaction, Notification
    from peerlearn.models.enums import NotificationKind

    if provider == "simulated":  # no Stripe keys: EUR goes to the simulated gateway
        for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"):
            monkeypatch.delenv(name)
        reset_settings_cache()
        clear_gateway_cache()
    admin, mentor, learner = make_user(db, admin=True), make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2500, currency=currency)
    auth = token_for(db, learner)
    booked = api.post(f"/api/sessions/{sid}/book/", headers=auth).json()
    payment = payment_of(db, booked["id"])
    assert payment.provider == provider and payment.amount_minor == 2500

    body, headers = mismatched_success(provider, payment, wrong)
    answer = api.post(f"/api/payments/{provider}/webhook/", content=body, headers=headers)
    # 200, so the provider stops retrying: the event is recorded and an admin decides.
    assert answer.status_code == 200 and answer.json()["outcome"] == "flagged"
    again = api.post(f"/api/payments/{provider}/webhook/", content=body, headers=headers)
    assert again.status_code == 200 and again.json()["outcome"] == "duplicate"

    assert status_of(db, booked["id"]) == BookingStatus.PENDING_PAYMENT
    payment = payment_of(db, booked["id"])
    assert payment.status == PaymentStatus.NEEDS_REVIEW and payment.paid_at is None
    assert wrong in payment.review_reason
    assert db.exec(select(LedgerTransaction).where(LedgerTransaction.payment_id == payment.id)).all() == []
    flags = db.exec(
        select(Notification).where(
            Notification.user_id == admin.id, Notification.kind == NotificationKind.PAYMENT_NEEDS_REVIEW
        )
    ).all()
    assert len(flags) == 1 and f"booking {booked['id']}" in flags[0].body
    listed = api.get("/api/admin/payments/review/", headers=token_for(db, admin)).json()
    assert [(p["id"], p["amount_minor"]) for p in listed] == [(payment.id, 2500)]
    assert api.get("/api/admin/payments/review/", headers=auth).status_code == 403
    # The learner cannot pay a second time while the first payment is being checked.
    from peerlearn.billing.payments import start_checkout

    with pytest.raises(ServiceError, match="being checked"):
        start_checkout(fresh(db).get(Booking, booked["id"]), db=db)
    db.rollback()


@pytest.fixture
def learner_fee(gateways, monkeypatch):
    """5 % of the price after coupons plus $0.30 / ₹10.00 (see tests/billing/test_learner_fee.py)."""
    monkeypatch.setenv("LEARNER_FEE_BASIS_POINTS", "500")
    monkeypatch.setenv("LEARNER_FEE_FIXED_MINOR", '{"USD": 30, "INR": 1000}')
    reset_settings_cache()
    clear_gateway_cache()
    return gateways


def test_stripe_charges_price_plus_learner_fee_and_a_cancellation_refunds_both(api, db, learner_fee):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2500, currency="USD")
    auth = token_for(db, learner)
    booked = api.post(f"/api/sessions/{sid}/book/", headers=auth).json()
    assert learner_fee.only("POST", "/v1/checkout/sessions").form()["line_items[0][price_data][unit_amount]"] == "2655"
    body, headers = stripe_paid(payment_of(db, booked["id"]))
    assert api.post("/api/payments/stripe/webhook/", content=body, headers=headers).json()["outcome"] == "applied"
    assert status_of(db, booked["id"]) == BookingStatus.CONFIRMED
    cancelled = api.delete(f"/api/sessions/{sid}/cancel/", headers=auth)
    assert cancelled.status_code == 200 and cancelled.json()["refund_minor"] == 2655
    assert learner_fee.only("POST", "/v1/refunds").form()["amount"] == "2655"
    assert payment_of(db, booked["id"]).status == PaymentStatus.REFUNDED
    assert unbalanced_transactions(db=fresh(db)) == []


def test_razorpay_link_asks_for_price_plus_fee_and_a_report_of_the_price_alone_is_held(api, db, learner_fee):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=49900, currency="INR")
    booked = api.post(f"/api/sessions/{sid}/book/", headers=token_for(db, learner)).json()
    assert booked["learner_fee_minor"] == 2495 + 1000
    assert learner_fee.only("POST", "/v1/payment_links").json()["amount"] == 49900 + 3495
    payment = payment_of(db, booked["id"])
    body, headers = razorpay_event(
        {
            "entity": "event",
            "event": "payment_link.paid",
            "payload": {
                "payment_link": {
                    "entity": {
                        "id": payment.provider_ref,
                        "amount": 49900,
                        "amount_paid": 49900,
                        "currency": "INR",
                        "reference_id": payment.idempotency_key,
                        "status": "paid",
                    }
                },
                "payment": {"entity": {"id": "pay_F1", "amount": 49900, "currency": "INR", "status": "captured"}},
            },
        },
        "EvtF1",
    )
    assert api.post("/api/payments/razorpay/webhook/", content=body, headers=headers).json()["outcome"] == "flagged"
    assert payment_of(db, booked["id"]).status == PaymentStatus.NEEDS_REVIEW
