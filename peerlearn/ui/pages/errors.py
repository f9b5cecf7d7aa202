"""Clear pages for a missing page and for access denied."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.layout import card, page


def _message(icon: str, title: str, text: str) -> rx.Component:
    return rx.center(
        card(
            rx.vstack(
                rx.icon(icon, size=40, color=rx.color("indigo", 9)),
                rx.heading(title, size="6"),
                rx.text(text, color_scheme="gray", text_align="center"),
                rx.link(rx.button("Go to the start page"), href=routes.HOME),
                align="center",
                spacing="3",
            ),
            max_width="520px",
        ),
        padding_y="4em",
    )


@page(routes.DENIED, "Access denied")
def denied_page() -> rx.Component:
    return _message(
        "shield-x",
        "Access denied",
        "Your account does not have access to that page. If you think it should, log in with another account.",
    )


@page(routes.NOT_FOUND, "Page not found")
def not_found_page() -> rx.Component:
    return _message(
        "map-pin-off", "Page not found", "We could not find that page. It may have moved, or the link may be mistyped."
    )
