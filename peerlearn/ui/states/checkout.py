"""The simulated gateway's hosted checkout page (the embedded default when no keys are set).

Paying here runs the simulated provider in-process: it signs the webhook a real provider would send, and that
webhook is verified, recorded and applied exactly as Stripe's and Razorpay's are. While the page is open it counts
down the seat hold (the dashboard's poll loop, no script); once the hold has run out it says so and offers to start
again instead of taking a payment for a seat that is no longer held.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import reflex as rx
from sqlmodel import Session

from peerlearn import links
from peerlearn.billing.payments import pay_simulated_checkout, simulated_checkout
from peerlearn.billing.receipts import charge_lines
from peerlearn.db import session_scope
from peerlearn.models import Booking, LearningSession
from peerlearn.models.enums import BookingStatus
from peerlearn.models.types import linked_row, saved_id, utcnow
from peerlearn.money import format_money
from peerlearn.platform.errors import ServiceError
from peerlearn.ui.format.bookings import hold_left
from peerlearn.ui.offload import run_blocking
from peerlearn.ui.polling import poll_while_watching
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.views import ReceiptLine

TICK_SECONDS = 1.0  # the hold reads minutes:seconds


@dataclass(frozen=True)
class CheckoutRead:
    amount: str
    title: str
    booking_id: int
    session_id: int
    status: str
    lines: list[ReceiptLine]
    hold_expires_at: datetime | None  # None: no hold to count down (paid, or not a held seat)
    hold_ended: bool  # the hold is over (run out, or already expired by the scheduler)


def _read_checkout(ref: str, db: Session) -> CheckoutRead:
    payment = simulated_checkout(ref, db=db)
    booking = linked_row(Booking, payment.booking_id, db=db)
    session = linked_row(LearningSession, booking.session_id, db=db)
    price = payment.amount_minor - payment.learner_fee_minor + booking.discount_minor
    lines = [
        ReceiptLine(line.label, line.amount)
        for line in charge_lines(price, booking.discount_minor, payment.learner_fee_minor, payment.currency)
    ]
    held = booking.status == BookingStatus.PENDING_PAYMENT
    return CheckoutRead(
        amount=format_money(payment.amount_minor, payment.currency),
        title=session.title,
        booking_id=saved_id(booking),
        session_id=saved_id(session),
        status=payment.status.value,
        lines=lines,
        hold_expires_at=booking.hold_expires_at if held else None,
        hold_ended=booking.status == BookingStatus.EXPIRED,
    )


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
    hold_note: str = ""  # "Seat held for 9:41 · until 19:12 GMT+5:30 (Asia/Kolkata)"
    hold_over: bool = False  # the seat is no longer held: no card form, a way to start again
    restart_url: str = links.DISCOVER  # the session's page, to book it again
    watching: bool = False
    _hold_expires_at: datetime | None = None

    async def load_checkout(self):
        self.error, self.paying, self.hold_note, self.hold_over = "", False, "", False
        self.ref = ref = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        try:
            read = await self._read(lambda db: _read_checkout(ref, db))
        except ServiceError as error:
            self.error = error.message
            return
        self.amount, self.title, self.booking_id, self.status, self.lines = (
            read.amount,
            read.title,
            read.booking_id,
            read.status,
            read.lines,
        )
        self.restart_url = links.session_link(read.session_id)
        self._hold_expires_at = read.hold_expires_at
        self.hold_over = read.hold_ended
        self._show_hold(utcnow())

    def _show_hold(self, now: datetime) -> None:
        if self._hold_expires_at is None:
            return
        self.hold_note = hold_left(self._hold_expires_at, now, self.viewer_timezone)
        self.hold_over = self.hold_note == ""

    @rx.event(background=True)
    async def watch(self):
        """While the page is open, the hold counts down (no database: the expiry was read on load)."""
        await poll_while_watching(self, TICK_SECONDS, self._tick)

    async def _tick(self) -> None:
        async with self:
            self._show_hold(utcnow())
            if self.hold_over:
                self.watching = False

    def stop_watching(self):
        self.watching = False

    async def pay(self, form: dict):
        self._show_hold(utcnow())
        if self.hold_over:  # the seat went back: no payment for it
            return
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
        yield rx.redirect(f"{links.booking_link(self.booking_id)}?paid=1")
