"""The simulated gateway's hosted checkout page (the embedded default when no keys are set).

Paying here runs the simulated provider in-process: it signs the webhook a real provider would send, and that
webhook is verified, recorded and applied exactly as Stripe's and Razorpay's are.
"""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from peerlearn.billing.payments import pay_simulated_checkout, simulated_checkout
from peerlearn.db import session_scope
from peerlearn.models import Booking, LearningSession
from peerlearn.money import format_money
from peerlearn.platform.errors import ServiceError
from peerlearn.ui.offload import run_blocking
from peerlearn.ui.states.auth import AuthState


def _read_checkout(ref: str, db: Session) -> tuple[str, str, int, str]:
    payment = simulated_checkout(ref, db=db)
    booking = db.get(Booking, payment.booking_id)
    session = db.get(LearningSession, booking.session_id)
    return format_money(payment.amount_minor, payment.currency), session.title, booking.id, payment.status.value


def _pay(ref: str, card_number: str) -> bool:
    with session_scope() as db:
        return pay_simulated_checkout(ref, card_number, db=db)


class CheckoutState(AuthState):
    ref: str = ""
    amount: str = ""
    title: str = ""
    booking_id: int = 0
    status: str = ""
    error: str = ""
    paying: bool = False

    async def load_checkout(self):
        self.error, self.paying = "", False
        self.ref = ref = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        try:
            self.amount, self.title, self.booking_id, self.status = await self._read(lambda db: _read_checkout(ref, db))
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
