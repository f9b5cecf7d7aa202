"""The notification bell: unread count and recent items, pushed live to every open tab of the person."""

from __future__ import annotations

import reflex as rx

from peerlearn.db import session_scope
from peerlearn.platform import notifications
from peerlearn.platform.errors import AuthenticationError
from peerlearn.ui.client_registry import client_registry
from peerlearn.ui.states.auth import AuthState


class NotificationState(AuthState):
    unread: int = 0
    items: list[dict[str, str]] = []

    def _refresh(self) -> None:
        """Reload from the database (called on page load and by live pushes)."""
        if not self.user_id:
            self.unread, self.items = 0, []
            return
        with session_scope() as db:
            self.unread = notifications.unread_count(self.user_id, db=db)
            self.items = [
                {
                    "title": n.title,
                    "body": n.body,
                    "link": n.link or "#",
                    "read": "yes" if n.read else "",
                    "when": n.created_at.strftime("%d %b %H:%M UTC"),
                }
                for n in notifications.list_notifications(self.user_id, db=db, limit=12)
            ]

    def load_notifications(self):
        """on_load for signed-in pages: know the tab, so pushes can reach it."""
        if self.user_id:
            client_registry().remember(self.user_id, self.router.session.client_token)
        self._refresh()

    def mark_all_read(self):
        try:
            with session_scope() as db:
                user = self._current_user(db)
                notifications.mark_all_read(user.id, db=db)
        except AuthenticationError:
            return rx.redirect("/login")
        self._refresh()
