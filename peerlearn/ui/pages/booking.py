"""One booking's page, where a learner lands after paying: the confirmation (what, who, when in their zone, how to
get in, the calendar, what cancelling does, the receipt), or the booking's status while it is not theirs yet."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.components.charge_lines import charge_lines
from peerlearn.ui.layout import card, page
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.booking_status import BookingStatusState as B

V = B.confirmation


def _fact(label: str, value: rx.Var[str], id: str) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="2", color_scheme="gray", min_width="3.5em"),
        rx.text(value, size="2", weight="medium", id=id),
        spacing="2",
        align="baseline",
        wrap="wrap",
    )


def _join() -> rx.Component:
    return rx.vstack(
        rx.heading("How to join", size="4"),
        rx.text(V.join, size="2", id="join-instructions"),
        rx.flex(
            rx.link(rx.button(rx.icon("video", size=16), "Live room", variant="soft"), href=V.room_url, id="room-link"),
            rx.link(
                rx.button(rx.icon("calendar-plus", size=16), "Add to Google Calendar", variant="outline"),
                href=V.google_calendar_url,
                is_external=True,
                id="google-calendar-link",
            ),
            spacing="2",
            wrap="wrap",
        ),
        rx.text("The calendar invite (.ics) is also in your confirmation e-mail.", size="1", color_scheme="gray"),
        spacing="2",
        width="100%",
    )


def _terms() -> rx.Component:
    return rx.vstack(
        rx.heading("Cancelling", size="4"),
        rx.text(V.refund_policy, size="2", id="refund-terms"),
        rx.cond(V.cancellation != "", rx.text("If you cancel now: ", V.cancellation, size="2", id="cancel-now")),
        spacing="2",
        width="100%",
    )


@page(routes.BOOKING, "Your booking", on_load=[AuthState.require_login, B.load_booking])
def booking_page() -> rx.Component:
    return rx.center(
        card(
            rx.vstack(
                rx.heading(B.title, size="6", id="booking-title"),
                rx.cond(
                    V.mentor != "",
                    rx.text("with ", rx.link(V.mentor, href=V.mentor_url, id="booking-mentor"), size="3"),
                ),
                rx.badge(B.status, size="3", id="booking-status"),
                rx.text(B.explanation, size="2"),
                rx.cond(
                    V.starts != "",
                    rx.vstack(
                        _fact("Starts", V.starts, "booking-starts"),
                        _fact("Ends", V.ends, "booking-ends"),
                        rx.text(V.zone, size="1", color_scheme="gray", id="booking-zone"),
                        spacing="1",
                    ),
                ),
                rx.cond(B.lines.length() > 0, charge_lines(B.lines, id="booking-lines")),
                rx.cond(B.checkout_url != "", rx.link(rx.button("Pay now"), href=B.checkout_url)),
                rx.cond(V.confirmed, _join()),
                rx.cond(V.refund_policy != "", _terms()),
                rx.flex(
                    rx.cond(V.receipt_url != "", rx.link("Receipt", href=V.receipt_url, id="receipt-link")),
                    rx.link("Go to your dashboard", href=routes.DASHBOARD),
                    rx.link("Session page", href=B.session_link),
                    spacing="4",
                    wrap="wrap",
                ),
                spacing="3",
                width="100%",
            ),
            max_width="560px",
        ),
        padding_y="2em",
    )
