"""The learner dashboard: upcoming and past bookings, waitlists, and the actions on them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import reflex as rx
from pydantic import ValidationError as PydanticValidationError
from sqlmodel import Session

from peerlearn.booking import actions as booking_service
from peerlearn.booking.public import BookingPublic
from peerlearn.booking.reviews import ReviewCreate, submit_review
from peerlearn.models import User
from peerlearn.models.enums import BookingStatus
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import ServiceError
from peerlearn.ui.format.bookings import booking_row, reschedule_choices, waitlist_links
from peerlearn.ui.polling import poll_while_watching
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.views import BookingRow, SessionLink

REFRESH_SECONDS = 20.0
UPCOMING = {BookingStatus.HELD, BookingStatus.PENDING_APPROVAL, BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED}


class LearnerState(AuthState):
    upcoming: list[BookingRow] = []
    past: list[BookingRow] = []
    waitlists: list[SessionLink] = []
    reschedule_for: int = 0
    reschedule_choices: list[SessionLink] = []
    move_to: str = ""  # the reschedule option picked (a session id), waiting for the learner to confirm
    move_to_when: str = ""
    move_from_when: str = ""
    cancel_for: int = 0  # the booking whose Cancel was clicked, waiting for the learner to confirm
    cancel_title: str = ""
    cancel_statement: str = ""  # what cancelling does now, e.g. "You'll get a full refund of $40.00 to your card."
    watching: bool = False
    _bookings: list[BookingPublic] = []

    async def load_dashboard(self):
        if not self.user_id:
            return
        await self._load()

    async def _load(self) -> None:
        now, tz = utcnow(), self.viewer_timezone
        rows, waiting = await self._as_user(
            lambda user, db: (
                booking_service.list_bookings(user, db=db, now=now),
                booking_service.my_waitlists(user, db=db),
            )
        )
        self._bookings = rows
        self._show(now)
        self.waitlists = waitlist_links(waiting, tz)

    def _show(self, now: datetime) -> None:
        rows, tz = self._bookings, self.viewer_timezone
        self.upcoming = [booking_row(b, tz, now) for b in reversed(rows) if b.status in UPCOMING and b.end_at > now]
        self.past = [booking_row(b, tz, now) for b in rows if b.status not in UPCOMING or b.end_at <= now][:20]

    @rx.event(background=True)
    async def watch(self):
        """While the dashboard is open: the rooms' countdowns move and Join appears when a room opens (no database:
        the times were read on load; a mentor opening a room early shows on the next load)."""
        await poll_while_watching(self, REFRESH_SECONDS, self._tick)

    async def _tick(self) -> None:
        async with self:
            self._show(utcnow())

    def stop_watching(self):
        self.watching = False

    async def _act(self, action: Callable[[User, Session], object], success: str):
        return await self._perform(action, success, self._load)

    async def ask_cancel(self, booking_id: str):
        """Cancel was clicked: say what cancelling would do now (the refund), and wait for a yes."""
        zone = self.viewer_timezone
        try:
            preview = await self._as_user(
                lambda user, db: booking_service.cancellation_preview(user, int(booking_id), db=db, zone=zone)
            )
        except ServiceError as error:
            return rx.toast.error(error.message)
        if not preview.allowed:
            return rx.toast.error(preview.statement)
        self.cancel_for, self.cancel_title, self.cancel_statement = preview.booking_id, preview.title, preview.statement
        return None

    def keep_booking(self, _open: bool = False):
        self.cancel_for, self.cancel_title, self.cancel_statement = 0, "", ""

    async def cancel(self):
        """Yes, cancel: the booking named in the dialog."""
        booking_id, zone = self.cancel_for, self.viewer_timezone
        self.keep_booking()
        if not booking_id:
            return None
        return await self._act(
            lambda user, db: booking_service.cancel_booking(user, booking_id, db=db, zone=zone), "Booking cancelled."
        )

    async def open_reschedule(self, booking_id: str):
        tz = self.viewer_timezone
        options = await self._as_user(lambda user, db: booking_service.reschedule_options(user, int(booking_id), db=db))
        self.reschedule_choices = reschedule_choices(options, tz)
        self.reschedule_for = int(booking_id)
        self.move_from_when = next((row.when for row in self.upcoming if row.id == booking_id), "")

    def close_reschedule(self, _open: bool = False):
        self.reschedule_for, self.reschedule_choices, self.move_to, self.move_to_when = 0, [], "", ""

    def pick_reschedule(self, session_id: str, when: str):
        self.move_to, self.move_to_when = session_id, when

    async def reschedule_to(self):
        """Yes, move: to the option picked in the list."""
        booking_id, session_id, zone = self.reschedule_for, self.move_to, self.viewer_timezone
        self.close_reschedule()
        if not booking_id or not session_id:
            return None
        return await self._act(
            lambda user, db: booking_service.reschedule_booking(user, booking_id, int(session_id), db=db, zone=zone),
            "Moved. Your seat in the new session is confirmed.",
        )

    async def submit_review(self, form: dict):
        try:
            data = ReviewCreate(rating=int(form.get("rating") or 0), comment=form.get("comment", ""))
        except (ValueError, PydanticValidationError):
            return rx.toast.error("Pick a rating from 1 to 5.")
        session_id = int(form.get("session_id", "0"))
        return await self._act(
            lambda user, db: submit_review(user, session_id, data, db=db), "Thank you for your review!"
        )
