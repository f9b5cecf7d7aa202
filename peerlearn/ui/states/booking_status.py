"""State for one booking's status page."""

from __future__ import annotations

from peerlearn.booking.actions import get_booking
from peerlearn.models.enums import BookingStatus
from peerlearn.platform.errors import AuthenticationError, NotFoundError
from peerlearn.platform.timefmt import format_local
from peerlearn.ui.format.bookings import booking_charge_lines
from peerlearn.ui.format.common import on_this_site
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.session_detail import last_path_segment
from peerlearn.ui.views import ReceiptLine

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

    async def load_booking(self):
        if not self.user_id:
            return
        booking_id, tz = last_path_segment(self.router.url.path), self.viewer_timezone
        try:
            booking = await self._as_user(lambda user, db: get_booking(user, booking_id, db=db))
        except (AuthenticationError, NotFoundError):
            self.title, self.status, self.explanation, self.lines = "Booking not found", "", "", []
            return
        self.title, self.when = booking.session_title, format_local(booking.start_at, tz)
        self.status = booking.status.value.replace("_", " ")
        self.explanation = EXPLANATIONS.get(booking.status, "")
        self.lines = booking_charge_lines(booking)
        self.checkout_url, self.session_link = on_this_site(booking.checkout_url), f"/sessions/{booking.session_id}"
