"""The notification bell: unread count and recent items, pushed live to every open tab of the person."""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from peerlearn.models import Notification
from peerlearn.platform import notifications
from peerlearn.platform.errors import AuthenticationError
from peerlearn.ui.client_registry import client_registry
from peerlearn.ui.format.bookings import notification_items
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.views import NotificationItem


class NotificationState(AuthState):
    unread: int = 0
    items: list[NotificationItem] = []

    async def reload_notifications(self, *, remember_tab: bool = False) -> None:
        """Reload from the database (on page load and when a live push says something changed); on page load also
        register the tab, so pushes can reach it (in the same trip off the event loop)."""
        user_id, tz, tab = self.user_id, self.viewer_timezone, self.router.session.client_token
        if not user_id:
            self.unread, self.items = 0, []
            return

        def read(db: Session) -> tuple[int, list[Notification]]:
            if remember_tab:
                client_registry().remember(user_id, tab)
            return notifications.unread_count(user_id, db=db), notifications.list_notifications(
                user_id, db=db, limit=12
            )

        self.unread, rows = await self._read(read)
        self.items = notification_items(rows, tz)

    async def load_notifications(self):
        """on_load for signed-in pages: know the tab, so pushes can reach it, and show the bell's items."""
        await self.reload_notifications(remember_tab=True)

    async def mark_all_read(self):
        try:
            await self._as_user(lambda user, db: notifications.mark_all_read(user.id, db=db), write=True)
        except AuthenticationError:
            return rx.redirect("/login")
        await self.reload_notifications()
