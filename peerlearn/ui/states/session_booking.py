"""Booking from the session page: book (and pay), join the waitlist, cancel my booking (mixed into SessionDetailState).

Cancelling asks first, stating the refund (the same preview and dialog as the dashboard).
Whatever happens, the page then shows what is true now: a refusal reloads it too (someone may have taken the
last seat meanwhile).
"""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from peerlearn.booking import actions as booking_service
from peerlearn.booking.waitlist import join_waitlist
from peerlearn.models import User
from peerlearn.platform.errors import AuthenticationError, ServiceError
from peerlearn.ui.format.common import on_this_site


class SessionBooking(rx.State, mixin=True):
    coupon: str = ""
    message: str = ""
    cancel_asked: bool = False  # "Cancel my booking" was clicked: the dialog states the refund and waits for a yes
    cancel_statement: str = ""  # e.g. "You'll get a full refund of $40.00 to your card."

    @rx.event
    def set_coupon(self, value: str):
        self.coupon = value

    def _login_again(self):
        return rx.redirect(f"/login?next=/sessions/{self.session.id}")

    async def book(self):
        self.message = ""
        session_id, coupon, zone = int(self.session.id), self.coupon or None, self.viewer_timezone

        def book(user: User, db: Session) -> str:
            _, payment = booking_service.book_session(user, session_id, coupon_code=coupon, db=db, zone=zone)
            return on_this_site(payment.checkout_url) if payment else ""

        try:
            checkout_url = await self._as_user(book, write=True)
        except AuthenticationError:
            return self._login_again()
        except ServiceError as error:
            await self._load()  # someone may have taken the last seat: show what is true now
            self.message = error.message
            return rx.toast.error(error.message)
        if checkout_url:
            return rx.redirect(checkout_url)  # hosted checkout: the provider's site, or our own page by its path
        await self._load()
        return rx.toast.success("Booked! It is on your dashboard.")

    async def wait_for_seat(self):
        session_id = int(self.session.id)
        try:
            await self._as_user(lambda user, db: join_waitlist(user, session_id, db=db), write=True)
        except AuthenticationError:
            return self._login_again()
        except ServiceError as error:
            return rx.toast.error(error.message)
        await self._load()
        return rx.toast.success("You are on the waitlist. We will tell you when a seat frees up.")

    async def ask_cancel_my_booking(self):
        """ "Cancel my booking" was clicked: say what cancelling would do now (the refund), and wait for a yes."""
        booking_id, zone = self.my_booking_id, self.viewer_timezone
        try:
            preview = await self._as_user(
                lambda user, db: booking_service.cancellation_preview(user, booking_id, db=db, zone=zone)
            )
        except AuthenticationError:
            return self._login_again()
        except ServiceError as error:
            await self._load()
            return rx.toast.error(error.message)
        if not preview.allowed:
            return rx.toast.error(preview.statement)
        self.cancel_asked, self.cancel_statement = True, preview.statement
        return None

    def keep_my_booking(self, _open: bool = False):
        self.cancel_asked, self.cancel_statement = False, ""

    async def cancel_my_booking(self):
        """Yes, cancel: only after the dialog asked."""
        if not self.cancel_asked:
            return None
        self.keep_my_booking()
        booking_id, zone = self.my_booking_id, self.viewer_timezone
        try:
            _, refunded = await self._as_user(
                lambda user, db: booking_service.cancel_booking(user, booking_id, db=db, zone=zone), write=True
            )
        except AuthenticationError:
            return self._login_again()
        except ServiceError as error:
            await self._load()
            return rx.toast.error(error.message)
        await self._load()
        return rx.toast.success("Booking cancelled." + (" Your refund is on its way." if refunded else ""))
