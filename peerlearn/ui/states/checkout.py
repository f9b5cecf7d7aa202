"""The simulated gateway's hosted checkout page (the embedded default when no keys are set).

Paying here runs the simulated provider in-process: it signs the webhook a real provider would send, and that
webhook is verified, recorded and applied exactly as Stripe's and Razorpay's are.
"""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from peerlearn.billing.payments import pay_simulated_checkout, simulated_checkout
from peerlearn.billing.receipts import charge_lines
from peerlearn.db import session_scope
from peerlearn.models import Booking, LearningSession
from peerlearn.models.types import linked_row, saved_id
from peerlearn.money import format_money
from peerlearn.platform.errors import ServiceError
from peerlearn.ui.offload import run_blocking
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.views import ReceiptLine


def _read_checkout(ref: str, db: Session) -> tuple[str, str, int, str, list[ReceiptLine]]:
    payment = simulated_checkout(ref, db=db)
    booking = linked_row(Booking, payment.booking_id, db=db)
    session = linked_row(LearningSession, booking.session_id, db=db)
    price = payment.amount_minor - payment.learner_fee_minor + booking.discount_minor
    lines = [
        ReceiptLine(line.label, line.amount)
        for line in charge_lines(price, booking.discount_minor, payment.learner_fee_minor, payment.currency)
    ]
    amount = format_money(payment.amount_minor, payment.currency)
    return amount, session.title, saved_id(booking), payment.status.value, lines


def _pay(ref: str, card_number: str) -> bool:
    with session_scope() as db:
        return pay_simulated_checkout(ref, card_number, db=db)


class CheckoutState(AuthState):
    ref: str = ""
    amount: str = ""
    title: str = ""
    booking_id: int = 0
    status: str = ""
    lines: list[ReceiptLine] = []  # session price, coupon, service fee, total
    error: str = ""
    paying: bool = False

    async def load_checkout(self):
        self.error, self.paying = "", False
        self.ref = ref = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        try:
            read = await self._read(lambda db: _read_checkout(ref, db))
            self.amount, self.title, self.booking_id, self.status, self.lines = read
        except ServiceError as error:
            self.error = error.message

    async def pay(self, form: dict):
        self.error, self.paying = "", True
        yield
        try:
            paid = await run_blocking(_pay, self.ref, form.get("card_number", ""))
        except ServiceError as error:
            self.error, self.paying = error.message, False
            return
        self.paying = False
        if not paid:
            self.error = "Your card was declined. Try another card."
            return
        yield rx.redirect(f"/bookings/{self.booking_id}?paid=1")
