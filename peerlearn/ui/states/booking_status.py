"""State for one booking's page: its status and, once the seat is the learner's, its full confirmation."""

from __future__ import annotations

from peerlearn.booking.actions import booking_confirmation
from peerlearn.config import get_settings
from peerlearn.models.enums import BookingStatus
from peerlearn.platform.errors import AuthenticationError, NotFoundError
from peerlearn.ui.format.bookings import booking_charge_lines, booking_confirmation_view
from peerlearn.ui.format.common import on_this_site
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.session_detail import last_path_segment
from peerlearn.ui.views import BookingConfirmationView, ReceiptLine

EXPLANATIONS = {
    BookingStatus.CONFIRMED: "Your seat is confirmed. It is on your dashboard and in your calendar invite.",
    BookingStatus.PENDING_PAYMENT: (
        "Your seat is held while you pay. If the payment does not arrive in time, the seat is released."
    ),
    BookingStatus.PENDING_APPROVAL: (
        "Paid and waiting for the mentor to accept. If they decline, you are refunded in full."
    ),
    BookingStatus.REFUNDED: "This booking was refunded.",
    BookingStatus.EXPIRED: "The seat hold ended before payment arrived.",
}


class BookingStatusState(AuthState):
    title: str = ""
    when: str = ""
    status: str = ""
    explanation: str = ""
    checkout_url: str = ""
    lines: list[ReceiptLine] = []  # session price, coupon, service fee, total (none for a free session)
    session_link: str = "/sessions"
    confirmation: BookingConfirmationView = BookingConfirmationView()

    async def load_booking(self):
        if not self.user_id:
            return
        booking_id, tz = last_path_segment(self.router.url.path), self.viewer_timezone
        try:
            found = await self._as_user(lambda user, db: booking_confirmation(user, booking_id, db=db, zone=tz))
        except (AuthenticationError, NotFoundError):
            self.title, self.status, self.explanation, self.lines = "Booking not found", "", "", []
            self.confirmation = BookingConfirmationView()
            return
        booking = found.booking
        self.confirmation = view = booking_confirmation_view(found, tz, get_settings().base_url)
        self.title, self.when = booking.session_title, view.starts
        self.status = booking.status.value.replace("_", " ")
        self.explanation = EXPLANATIONS.get(booking.status, "")
        self.lines = booking_charge_lines(booking)
        self.checkout_url, self.session_link = on_this_site(booking.checkout_url), view.session_url
