"""One booking's status: where a learner lands after paying."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.components.charge_lines import charge_lines
from peerlearn.ui.layout import card, page
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.booking_status import BookingStatusState as B


@page(routes.BOOKING, "Your booking", on_load=[AuthState.require_login, B.load_booking])
def booking_page() -> rx.Component:
    return rx.center(
        card(
            rx.vstack(
                rx.heading(B.title, size="6"),
                rx.text(B.when, color_scheme="gray"),
                rx.badge(B.status, size="3", id="booking-status"),
                rx.text(B.explanation, size="2"),
                rx.cond(B.lines.length() > 0, charge_lines(B.lines, id="booking-lines")),
                rx.cond(B.checkout_url != "", rx.link(rx.button("Pay now"), href=B.checkout_url)),
                rx.hstack(
                    rx.link("Go to your dashboard", href=routes.DASHBOARD), rx.link("Session page", href=B.session_link)
                ),
                spacing="3",
            ),
            max_width="560px",
        ),
        padding_y="2em",
    )
