"""The learner's service fee (issue #16): its rule, its settings, and a paid booking with it from checkout to refund.

Fee used below: 5 % of the price after coupons plus $0.30 (USD) / ₹10.00 (INR). A $25.00 session costs the
learner $25.00 + $1.55 = $26.55; commission (12 %) is still taken on the $25.00 price, not on the fee.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError
from sqlmodel import Session, col, func, select

from peerlearn.billing.fees import current_learner_fee, learner_fee
from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.billing.payments import handle_webhook, payment_settings, refund_booking, simulated_checkout
from peerlearn.billing.receipts import receipt_for
from peerlearn.booking import actions as bookings
from peerlearn.config import MAX_LEARNER_FEE_FIXED_MAJOR, Settings, reset_settings_cache
from peerlearn.models import Booking, Coupon, LedgerEntry, Notification, Payment
from peerlearn.models.enums import (
    BookingStatus,
    CouponKind,
    LedgerAccount,
    NotificationKind,
    PaymentStatus,
    RefundPolicy,
)
from peerlearn.models.types import saved_id
from peerlearn.money import SUPPORTED_CURRENCIES
from peerlearn.payments.registry import gateway_by_name
from peerlearn.payments.simulated import SimulatedGateway
from peerlearn.ui.format.bookings import booking_charge_lines
from peerlearn.ui.states.checkout import _read_checkout
from tests.factories import make_session, make_user, pay, token_for

FEE_ENV = {"LEARNER_FEE_BASIS_POINTS": "500", "LEARNER_FEE_FIXED_MINOR": '{"USD": 30, "INR": 1000}'}


@pytest.fixture
def fee_on(database_url, monkeypatch):
    for name, value in FEE_ENV.items():
        monkeypatch.setenv(name, value)
    reset_settings_cache()
    yield
    reset_settings_cache()


def account_total(db: Session, account: LedgerAccount) -> int:
    db.expire_all()
    return db.exec(
        select(func.coalesce(func.sum(LedgerEntry.amount_minor), 0)).where(LedgerEntry.account == account)
    ).one()


def latest_payment(db: Session, booking_id: int) -> Payment:
    db.expire_all()
    return db.exec(select(Payment).where(Payment.booking_id == booking_id).order_by(col(Payment.id).desc())).first()


def lines_of(receipt) -> dict[str, str]:
    return {line.label: line.amount for line in receipt.lines}


# --- the rule, without a database ---


def test_fee_is_percent_of_the_price_after_coupons_plus_the_fixed_part_of_its_currency():
    fixed = {"USD": 30, "INR": 1000}
    assert learner_fee(2500, "USD", basis_points=500, fixed_minor=fixed) == 125 + 30
    assert learner_fee(2500, "usd", basis_points=500, fixed_minor=fixed) == 155  # codes in any case
    assert learner_fee(100_000, "INR", basis_points=250, fixed_minor=fixed) == 2500 + 1000
    assert learner_fee(2500, "EUR", basis_points=500, fixed_minor=fixed) == 125  # no fixed part for EUR
    assert learner_fee(2500, "USD", basis_points=0, fixed_minor={}) == 0  # off


def test_fee_rounds_half_up_to_a_whole_minor_unit():
    assert learner_fee(1010, "USD", basis_points=250, fixed_minor={}) == 25  # 25.25
    assert learner_fee(1030, "USD", basis_points=250, fixed_minor={}) == 26  # 25.75
    assert learner_fee(1020, "USD", basis_points=250, fixed_minor={}) == 26  # 25.5: half up
    assert learner_fee(1500, "JPY", basis_points=333, fixed_minor={}) == 50  # ¥49.95 -> ¥50


def test_free_session_carries_no_fee_even_with_a_fixed_part():
    assert learner_fee(0, "USD", basis_points=500, fixed_minor={"USD": 30}) == 0


# --- the settings ---


def test_fee_is_off_by_default(database_url):
    assert current_learner_fee(2500, "USD") == 0
    assert current_learner_fee(100_000, "INR") == 0


def test_fee_settings_are_read_from_the_environment(fee_on):
    assert current_learner_fee(2500, "USD") == 155
    assert current_learner_fee(2500, "EUR") == 125


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"LEARNER_FEE_BASIS_POINTS": "-1"}, "LEARNER_FEE_BASIS_POINTS must be between 0 and 3000"),
        ({"LEARNER_FEE_BASIS_POINTS": "5000"}, "LEARNER_FEE_BASIS_POINTS must be between 0 and 3000"),
        ({"LEARNER_FEE_FIXED_MINOR": '{"USD": -5}'}, "LEARNER_FEE_FIXED_MINOR[USD] must be between 0 and 5000"),
        ({"LEARNER_FEE_FIXED_MINOR": '{"INR": 1000000}'}, "LEARNER_FEE_FIXED_MINOR[INR] must be between 0"),
        ({"LEARNER_FEE_FIXED_MINOR": '{"XYZ": 5}'}, "LEARNER_FEE_FIXED_MINOR names 'XYZ'"),
        ({"LEARNER_FEE_FIXED_MINOR": "50"}, "learner_fee_fixed_minor"),
    ],
)
def test_absurd_fee_settings_are_refused_at_start_up(monkeypatch, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as refused:
        Settings()
    assert message in str(refused.value)


def test_every_supported_currency_has_a_fixed_fee_ceiling():
    assert set(MAX_LEARNER_FEE_FIXED_MAJOR) == set(SUPPORTED_CURRENCIES)


# --- a paid booking with the fee ---


def test_checkout_charges_price_plus_fee_and_shows_the_fee_as_its_own_line(db, fee_on):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2500, currency="USD")
    booking, payment = bookings.book_session(learner, sid, db=db)
    db.commit()
    assert booking.learner_fee_minor == 155
    assert payment.amount_minor == 2655 and payment.learner_fee_minor == 155

    read = _read_checkout(payment.provider_ref, db)
    amount, lines = read.amount, read.lines
    assert amount == "$26.55"
    assert [(line.label, line.amount) for line in lines] == [
        ("Session price", "$25.00"),
        ("Service fee", "$1.55"),
        ("Total", "$26.55"),
    ]
    public = bookings.get_booking(learner, booking.id, db=db)
    assert (public.amount_due_minor, public.learner_fee_minor, public.total_due_minor) == (2500, 155, 2655)
    assert [line.label for line in booking_charge_lines(public)] == ["Session price", "Service fee", "Total"]


def test_paid_booking_books_the_fee_to_its_own_account_and_the_ledger_balances(db, fee_on):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2500, currency="USD")
    booking, _ = bookings.book_session(learner, sid, db=db)
    db.commit()
    assert pay(db, booking.id)[0] == "applied"

    assert db.get(Booking, booking.id).status == BookingStatus.CONFIRMED
    assert account_total(db, LedgerAccount.LEARNER_FUNDS) == 2655
    assert account_total(db, LedgerAccount.PLATFORM_LEARNER_FEES) == -155
    assert account_total(db, LedgerAccount.PLATFORM_REVENUE) == -300  # 12 % of the $25.00 price, not of the fee
    assert account_total(db, LedgerAccount.MENTOR_PAYABLE) == -2200
    assert unbalanced_transactions(db=db) == []
    confirmed = db.exec(
        select(Notification).where(
            Notification.user_id == learner.id, Notification.kind == NotificationKind.BOOKING_CONFIRMED
        )
    ).one()
    assert "You paid $26.55 (session price $25.00, service fee $1.55)." in confirmed.body


def test_a_provider_report_of_the_price_without_the_fee_is_held_for_review(db, fee_on):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2500, currency="USD")
    booking, payment = bookings.book_session(learner, sid, db=db)
    db.commit()
    gateway = gateway_by_name("simulated", payment_settings())
    assert isinstance(gateway, SimulatedGateway)
    body, headers = gateway.complete(payment.provider_ref, "4242 4242 4242 4242", 2500, "USD")
    assert handle_webhook("simulated", body, headers, db=db) == "flagged"
    db.commit()
    assert latest_payment(db, booking.id).status == PaymentStatus.NEEDS_REVIEW
    assert db.get(Booking, booking.id).status == BookingStatus.PENDING_PAYMENT


def test_receipt_shows_the_service_fee_line_and_the_total_paid(db, fee_on):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2500, currency="USD")
    booking, payment = bookings.book_session(learner, sid, db=db)
    db.commit()
    pay(db, booking.id)
    receipt = receipt_for(payment.id, learner, db=db)
    assert [line.label for line in receipt.lines][:3] == ["Session price", "Service fee", "Paid"]
    lines = lines_of(receipt)
    assert lines["Session price"] == "$25.00" and lines["Service fee"] == "$1.55" and lines["Paid"] == "$26.55"
    assert lines["of which PeerLearn platform fee"] == "$3.00"
    assert receipt.total == "$26.55"


def test_fee_is_on_the_price_after_the_coupon(db, fee_on):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2500, currency="USD")
    db.add(Coupon(code="HALF", kind=CouponKind.PERCENT, value=50))
    db.commit()
    booking, payment = bookings.book_session(learner, sid, coupon_code="HALF", db=db)
    db.commit()
    assert booking.learner_fee_minor == 63 + 30  # 5 % of $12.50 = 62.5 -> 63, plus $0.30
    assert payment.amount_minor == 1250 + 93
    pay(db, booking.id)
    lines = lines_of(receipt_for(payment.id, learner, db=db))
    assert (lines["Session price"], lines["Coupon discount"], lines["Service fee"], lines["Paid"]) == (
        "$25.00",
        "-$12.50",
        "$0.93",
        "$13.43",
    )
    assert account_total(db, LedgerAccount.PLATFORM_LEARNER_FEES) == -93
    assert account_total(db, LedgerAccount.PLATFORM_REVENUE) == -300  # commission on the full price, as before
    assert unbalanced_transactions(db=db) == []


def test_partial_refund_gives_back_the_same_share_of_the_fee_as_of_the_price(db, fee_on):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(
        db, mentor, price_minor=2500, currency="USD", refund_policy=RefundPolicy.PARTIAL, partial_refund_percent=50
    )
    booking, payment = bookings.book_session(learner, sid, db=db)
    db.commit()
    pay(db, booking.id)
    _, refunded = bookings.cancel_booking(learner, booking.id, db=db)
    db.commit()
    assert refunded == 2655 * 50 // 100  # half of price + fee: 1327
    assert account_total(db, LedgerAccount.PLATFORM_LEARNER_FEES) == -155 + 77  # half the fee (77.47) is reversed
    assert account_total(db, LedgerAccount.LEARNER_FUNDS) == 2655 - 1327
    assert unbalanced_transactions(db=db) == []
    lines = lines_of(receipt_for(payment.id, learner, db=db))
    assert lines["Service fee"] == "$1.55"
    assert any(label.startswith("Refund on") and amount == "-$13.27" for label, amount in lines.items())


def test_full_refund_returns_the_whole_fee_and_empties_its_account(db, fee_on):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2500, currency="USD")
    booking, payment = bookings.book_session(learner, sid, db=db)
    db.commit()
    pay(db, booking.id)
    assert refund_booking(db.get(Booking, booking.id), None, reason="Session cancelled by the mentor", db=db) == 2655
    db.commit()
    for account in LedgerAccount:
        if account != LedgerAccount.PAYOUT_CLEARING:
            assert account_total(db, account) == 0, account
    assert latest_payment(db, booking.id).status == PaymentStatus.REFUNDED


def test_two_partial_refunds_reverse_exactly_the_whole_fee(db, fee_on):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2500, currency="USD")
    booking, _ = bookings.book_session(learner, sid, db=db)
    db.commit()
    pay(db, booking.id)
    assert refund_booking(db.get(Booking, booking.id), 1001, reason="part", db=db) == 1001
    assert refund_booking(db.get(Booking, booking.id), None, reason="rest", db=db) == 1654
    db.commit()
    assert account_total(db, LedgerAccount.PLATFORM_LEARNER_FEES) == 0
    assert unbalanced_transactions(db=db) == []


def test_free_session_has_no_fee_and_no_payment(db, fee_on):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=0, currency="USD")
    booking, payment = bookings.book_session(learner, sid, db=db)
    db.commit()
    assert payment is None and booking.status == BookingStatus.CONFIRMED and booking.learner_fee_minor == 0
    assert booking_charge_lines(bookings.get_booking(learner, booking.id, db=db)) == []


def test_fee_off_by_default_changes_nothing(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2500, currency="USD")
    booking, payment = bookings.book_session(learner, sid, db=db)
    db.commit()
    assert payment.amount_minor == 2500 and payment.learner_fee_minor == 0
    pay(db, booking.id)
    assert account_total(db, LedgerAccount.LEARNER_FUNDS) == 2500
    assert db.exec(select(LedgerEntry).where(LedgerEntry.account == LedgerAccount.PLATFORM_LEARNER_FEES)).all() == []
    receipt = receipt_for(payment.id, learner, db=db)
    assert [line.label for line in receipt.lines] == ["Session price", "Paid", "of which PeerLearn platform fee"]
    lines = _read_checkout(simulated_checkout(payment.provider_ref, db=db).provider_ref, db).lines
    assert [line.label for line in lines] == ["Session price", "Total"]


def test_a_later_change_of_the_fee_does_not_alter_a_past_booking(db, fee_on, monkeypatch):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2500, currency="USD")
    other = make_session(db, mentor, price_minor=2500, currency="USD", title="Python again", start_in=timedelta(days=5))
    booking, payment = bookings.book_session(learner, sid, db=db)
    db.commit()
    monkeypatch.setenv("LEARNER_FEE_BASIS_POINTS", "1000")
    reset_settings_cache()
    pay(db, booking.id)
    assert latest_payment(db, booking.id).amount_minor == 2655
    assert lines_of(receipt_for(payment.id, learner, db=db))["Service fee"] == "$1.55"
    moved = bookings.reschedule_booking(learner, booking.id, other, db=db)  # the fee moves with the seat
    db.commit()
    assert moved.learner_fee_minor == 155
    assert bookings.get_booking(learner, saved_id(moved), db=db).total_due_minor == 2655


def test_rest_responses_show_the_fee(api, db, fee_on):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    sid = make_session(db, mentor, price_minor=2500, currency="USD")
    auth = token_for(db, learner)
    booked = api.post(f"/api/sessions/{sid}/book/", headers=auth).json()
    assert (booked["amount_due_minor"], booked["learner_fee_minor"], booked["total_due_minor"]) == (2500, 155, 2655)
    again = api.get(f"/api/bookings/{booked['id']}/", headers=auth).json()
    assert again["learner_fee_minor"] == 155 and again["total_due_minor"] == 2655
    payments = api.get("/api/payments/", headers=auth).json()
    assert [(p["amount_minor"], p["learner_fee_minor"]) for p in payments] == [(2655, 155)]
