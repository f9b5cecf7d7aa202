"""One session's management page: publish, unpublish, cancel, complete, and who booked and attended."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from sqlmodel import Session

from peerlearn.booking import actions as booking_service
from peerlearn.catalog import actions as session_service
from peerlearn.links import room_link
from peerlearn.live import room as live_room
from peerlearn.models import User
from peerlearn.models.enums import SessionStatus
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import ServiceError
from peerlearn.ui.format.live import room_entry
from peerlearn.ui.format.teaching import managed_session, participants
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.session_detail import last_path_segment
from peerlearn.ui.views import ManagedSession, Participant, RoomEntry


def _read_managed(
    mentor: User, session_id: int, tz: str, db: Session
) -> tuple[ManagedSession, list[Participant], bool, bool, RoomEntry, bool]:
    session = session_service.owned_session(mentor, session_id, db=db)
    people = participants(booking_service.session_participants(mentor, session_id, db=db))
    now = utcnow()
    opens, closes = live_room.room_window(session)
    room = room_entry(session_id, opens, closes, session.start_at, session.end_at, now, tz)
    may_open = session.status == SessionStatus.PUBLISHED and now < opens and live_room.can_open_early(session, now)
    return managed_session(session, tz), people, session.start_at <= now, session.end_at <= now, room, may_open


class ManageSessionState(AuthState):
    session_id: int = 0
    info: ManagedSession = ManagedSession()
    people: list[Participant] = []
    started: bool = False
    ended: bool = False
    room: RoomEntry = RoomEntry()
    can_open_room: bool = False  # in the early window, the room not open yet
    cancel_asked: bool = False  # "Cancel session" was clicked: the dialog says what it does and waits for a yes
    cancel_statement: str = ""  # e.g. "3 learners are booked; each gets a full refund and an e-mail."
    cancel_reason: str = ""

    async def load_manage(self):
        if not self.user_id:
            return
        self.session_id = session_id = last_path_segment(self.router.url.path)
        tz = self.viewer_timezone
        try:
            self.info, self.people, self.started, self.ended, self.room, self.can_open_room = await self._as_user(
                lambda mentor, db: _read_managed(mentor, session_id, tz, db)
            )
        except ServiceError:
            self.info = ManagedSession(title="Session not found")
            self.people = []

    async def _manage(self, action: Callable[[User, Session], object], success: str):
        return await self._perform(action, success, self.load_manage)

    async def publish(self):
        session_id, zone = self.session_id, self.viewer_timezone
        return await self._manage(
            lambda m, db: session_service.publish_session(m, session_id, db=db, zone=zone), "Published."
        )

    async def unpublish(self):
        session_id = self.session_id
        return await self._manage(
            lambda m, db: session_service.unpublish_session(m, session_id, db=db), "Back to draft."
        )

    async def ask_cancel(self, form: dict):
        """The cancel form was sent: say who is booked and what each learner gets, then wait for a yes."""
        session_id = self.session_id
        try:
            allowed, statement = await self._as_user(
                lambda m, db: session_service.session_cancellation_preview(m, session_id, db=db)
            )
        except ServiceError as error:
            return rx.toast.error(error.message)
        if not allowed:
            await self.load_manage()
            return rx.toast.error(statement)
        self.cancel_asked, self.cancel_statement, self.cancel_reason = True, statement, form.get("reason", "")
        return None

    def keep_session(self, _open: bool = False):
        self.cancel_asked, self.cancel_statement = False, ""

    async def cancel(self):
        """Yes, cancel the session, with the reason typed in the form."""
        if not self.cancel_asked:
            return None
        session_id, reason = self.session_id, self.cancel_reason
        self.keep_session()
        return await self._manage(
            lambda m, db: session_service.cancel_session(m, session_id, reason=reason, db=db),
            "Cancelled. Every learner is refunded in full and has been told.",
        )

    async def complete(self):
        session_id = self.session_id
        return await self._manage(
            lambda m, db: session_service.complete_session(m, session_id, db=db), "Marked completed."
        )

    async def open_room_now(self):
        """The same action as POST /api/sessions/{id}/start/, then into the room."""
        session_id = self.session_id
        try:
            await self._as_user(lambda m, db: live_room.open_room_early(m, session_id, db=db), write=True)
        except ServiceError as error:
            await self.load_manage()
            return rx.toast.error(error.message)
        return rx.redirect(room_link(session_id))

    async def apply_room_attendance(self):
        """Mark attendance from who actually connected to the live room (never connected -> no-show)."""
        session_id = self.session_id

        def apply(mentor: User, db: Session) -> None:
            proposal = live_room.attendance_proposal(mentor, session_id, db=db)
            for booking_id in proposal["attended_booking_ids"]:
                session_service.mark_attendance(mentor, booking_id, True, db=db)
            for booking_id in proposal["no_show_booking_ids"]:
                session_service.mark_attendance(mentor, booking_id, False, db=db)

        return await self._manage(apply, "Attendance taken from the live room's connections.")

    async def mark(self, booking_id: str, attended: bool):
        return await self._manage(
            lambda m, db: session_service.mark_attendance(m, int(booking_id), attended, db=db), "Attendance saved."
        )
