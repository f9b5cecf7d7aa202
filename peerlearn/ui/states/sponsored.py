"""Delivery of Discover's sponsored results: each one shown is an impression, each card opened a click, recorded
off the loop; a visitor counts too (as nobody in particular)."""

from __future__ import annotations

import reflex as rx

from peerlearn.db import DatabaseBusyError, session_scope
from peerlearn.links import session_link
from peerlearn.platform.errors import ServiceError
from peerlearn.sponsorships import delivery
from peerlearn.ui.offload import run_blocking, run_in_background_lane
from peerlearn.ui.states.auth import AuthState


class SponsoredState(AuthState):
    @rx.event(background=True)
    async def note_shown(self, session_ids: list[int]):
        """Chained after a search that showed sponsored items; no click waits for it."""
        user_id = self.user_id or None

        def record() -> None:
            with session_scope() as db:
                delivery.record_shown(session_ids, user_id=user_id, db=db)

        try:
            await run_in_background_lane(record)
        except (ServiceError, DatabaseBusyError):
            pass  # an impression lost to a busy database is not worth an error on the page

    async def open_sponsored(self, session_id: str):
        user_id = self.user_id or None

        def record() -> None:
            with session_scope() as db:
                delivery.record_opened(int(session_id), user_id=user_id, db=db)

        try:
            await run_blocking(record)
        except (ServiceError, DatabaseBusyError):
            pass  # the click is the mentor's signal, never a reason to block the visit
        return rx.redirect(session_link(int(session_id)))
