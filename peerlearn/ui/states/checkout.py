"""The simulated gateway's hosted checkout page (the embedded default when no keys are set).

Paying here produces the same signed webhook a real provider sends, delivered
over HTTP to PeerLearn's own webhook route, so verify, record and apply run
exactly as they do for Stripe and Razorpay.
"""

from __future__ import annotations

import httpx
import reflex as rx

from peerlearn.billing.payments import simulated_checkout, simulated_pay
from peerlearn.config import get_settings
from peerlearn.db import session_scope
from peerlearn.models import Booking, LearningSession
from peerlearn.money import format_money
from peerlearn.platform.errors import ServiceError
from peerlearn.ui.states.auth import AuthState


class CheckoutState(AuthState):
    ref: str = ""
    amount: str = ""
    title: str = ""
    booking_id: int = 0
    status: str = ""
    error: str = ""
    paying: bool = False

    def load_checkout(self):
        self.error, self.paying = "", False
        self.ref = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        try:
            with session_scope() as db:
                payment = simulated_checkout(self.ref, db=db)
                booking = db.get(Booking, payment.booking_id)
                session = db.get(LearningSession, booking.session_id)
                self.amount, self.title = format_money(payment.amount_minor, payment.currency), session.title
                self.booking_id, self.status = booking.id, payment.status.value
        except ServiceError as error:
            self.error = error.message

    async def pay(self, form: dict):
        self.error, self.paying = "", True
        yield
        try:
            with session_scope() as db:
                body, headers = simulated_pay(self.ref, form.get("card_number", ""), db=db)
        except ServiceError as error:
            self.error, self.paying = error.message, False
            return
        url = f"http://127.0.0.1:{get_settings().port}/api/payments/simulated/webhook/"
        try:
            async with httpx.AsyncClient(timeout=20) as client:
                response = await client.post(url, content=body, headers={**headers, "Content-Type": "application/json"})
        except httpx.HTTPError:
            self.error, self.paying = "Could not reach the payment webhook. Nothing was charged; try again.", False
            return
        self.paying = False
        if response.status_code != 200:
            self.error = "The payment could not be recorded. Nothing was charged; try again."
            return
        if b"payment.failed" in body:
            self.error = "Your card was declined. Try another card."
            return
        yield rx.redirect(f"/bookings/{self.booking_id}?paid=1")
