"""The notification bell: unread count and recent items, pushed live to every open tab of the person."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from peerlearn.models import Notification
from peerlearn.platform import notifications
from peerlearn.platform.errors import AuthenticationError
from peerlearn.ui.client_registry import client_registry
from peerlearn.ui.format.bookings import notification_items
from peerlearn.ui.offload import run_blocking
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.views import NotificationItem


class NotificationState(AuthState):
    unread: int = 0
    items: list[NotificationItem] = []

    async def reload_notifications(self) -> None:
        """Reload from the database (on page load and when a live push says something changed)."""
        user_id, tz = self.user_id, self.viewer_timezone
        if not user_id:
            self.unread, self.items = 0, []
            return

        def read(db: Session) -> tuple[int, list[Notification]]:
            return notifications.unread_count(user_id, db=db), notifications.list_notifications(
                user_id, db=db, limit=12
            )

        self.unread, rows = await self._read(read)
        self.items = notification_items(rows, tz)

    async def load_notifications(self):
        """on_load for signed-in pages: know the tab, so pushes can reach it."""
        if self.user_id:
            await run_blocking(client_registry().remember, self.user_id, self.router.session.client_token)
        await self.reload_notifications()

    async def mark_all_read(self):
        try:
            await self._as_user(lambda user, db: notifications.mark_all_read(user.id, db=db), write=True)
        except AuthenticationError:
            return rx.redirect("/login")
        await self.reload_notifications()
