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

    def load_notifications(self):
        """on_load for signed-in pages: know the tab, so pushes can reach it."""
        if self.user_id:
            client_registry().remember(self.user_id, self.router.session.client_token)
        refresh_notifications(self)

    def mark_all_read(self):
        try:
            with session_scope() as db:
                user = self._current_user(db)
                notifications.mark_all_read(user.id, db=db)
        except AuthenticationError:
            return rx.redirect("/login")
        refresh_notifications(self)


def refresh_notifications(state: NotificationState) -> None:
    """Reload a tab's bell from the database: on page load, after marking read, and on a live push
    (peerlearn/ui/live_push.py). A plain function, not a method: Reflex makes every public method of a
    state an event handler, and this is called directly inside `app.modify_state`."""
    if not state.user_id:
        state.unread, state.items = 0, []
        return
    with session_scope() as db:
        state.unread = notifications.unread_count(state.user_id, db=db)
        state.items = [
            {
                "title": n.title,
                "body": n.body,
                "link": n.link or "#",
                "read": "yes" if n.read else "",
                "when": n.created_at.strftime("%d %b %H:%M UTC"),
            }
            for n in notifications.list_notifications(state.user_id, db=db, limit=12)
        ]
