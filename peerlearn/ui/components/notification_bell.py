"""The bell in the navbar: unread count, latest notifications, mark all read.

On phones the same list sits inside the navigation menu (`notification_panel`), so it is never off-screen.
"""

import reflex as rx

from peerlearn.ui.states.notifications import NotificationState
from peerlearn.ui.views import NotificationItem


def _item(item: rx.Var[NotificationItem]) -> rx.Component:
    return rx.link(
        rx.vstack(
            rx.text(item.title, weight=rx.cond(item.read, "regular", "bold"), size="2"),
            rx.cond(item.body != "", rx.text(item.body, size="1", color_scheme="gray")),
            rx.text(item.when, size="1", color_scheme="gray"),
            spacing="0",
            padding_y="0.4em",
            min_width="0",
            overflow_wrap="anywhere",
        ),
        href=item.link,
        underline="none",
        color="inherit",
    )


def unread_badge(badge_id: str) -> rx.Component:
    return rx.cond(
        NotificationState.unread > 0,
        rx.badge(NotificationState.unread, color_scheme="red", id=badge_id),
    )


def notification_panel(list_id: str = "notification-list", mark_id: str = "mark-all-read") -> rx.Component:
    """The heading, 'Mark all read' and the latest notifications."""
    return rx.vstack(
        rx.hstack(
            rx.heading("Notifications", size="3"),
            rx.spacer(),
            rx.button("Mark all read", size="1", variant="soft", on_click=NotificationState.mark_all_read, id=mark_id),
            width="100%",
            align="center",
        ),
        rx.cond(
            NotificationState.items.length() > 0,
            rx.vstack(rx.foreach(NotificationState.items, _item), spacing="1", width="100%", id=list_id),
            rx.text("Nothing yet.", color_scheme="gray", size="2"),
        ),
        width="100%",
        spacing="2",
    )


def notification_bell() -> rx.Component:
    return rx.popover.root(
        rx.popover.trigger(
            rx.button(
                rx.icon("bell", size=18),
                unread_badge("unread-count"),
                variant="ghost",
                aria_label="Notifications",
                id="notification-bell",
            )
        ),
        rx.popover.content(rx.box(notification_panel(), width="320px", max_width="100%")),
    )
