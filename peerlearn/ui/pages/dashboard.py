"""The signed-in home: a learner's bookings and waitlists, and what each role does next."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.components.confirm import confirm_dialog
from peerlearn.ui.components.recommended import recommended_strip
from peerlearn.ui.layout import card, page, stack_on_phone
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.learner import LearnerState as L
from peerlearn.ui.states.recommendations import RecommendationsState
from peerlearn.ui.views import BookingRow


def _room_way_in(row: rx.Var[BookingRow]) -> rx.Component:
    """Join while the live room is open; before that, when it opens (refreshed while the page is open)."""
    return rx.hstack(
        rx.cond(
            row.can_join,
            rx.link(
                rx.button(rx.icon("video", size=14), "Join", size="1", color_scheme="green"),
                href=row.room_url,
                class_name="join-room-link",
            ),
        ),
        rx.cond(row.room_note != "", rx.text(row.room_note, size="1", color_scheme="gray", class_name="room-note")),
        spacing="2",
        align="center",
        wrap="wrap",
    )


def _booking_row(row: rx.Var[BookingRow]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.vstack(rx.link(row.title, href="/sessions/" + row.session_id), _room_way_in(row), spacing="1")
        ),
        rx.table.cell(row.when),
        rx.table.cell(rx.badge(row.status, variant="soft")),
        rx.table.cell(row.price),
        rx.table.cell(
            rx.hstack(
                rx.cond(row.checkout_url != "", rx.link(rx.button("Pay now", size="1"), href=row.checkout_url)),
                rx.cond(
                    row.receipt != "",
                    rx.link(rx.button("Receipt", size="1", variant="outline"), href=row.receipt),
                ),
                rx.cond(
                    row.can_reschedule,
                    rx.button("Reschedule", size="1", variant="soft", on_click=L.open_reschedule(row.id)),
                ),
                rx.cond(
                    row.can_cancel,
                    rx.button("Cancel", size="1", color_scheme="red", variant="soft", on_click=L.ask_cancel(row.id)),
                ),
                spacing="2",
                wrap="wrap",
            )
        ),
        class_name="booking-row",
    )


def _review_form(row: rx.Var[BookingRow]) -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.input(type="hidden", name="session_id", value=row.session_id),
            rx.select(["5", "4", "3", "2", "1"], name="rating", placeholder="Rating", size="1"),
            rx.input(name="comment", placeholder="A short comment (optional)", size="1", width="16em"),
            rx.button("Rate", size="1", type="submit"),
            spacing="2",
            wrap="wrap",
        ),
        on_submit=L.submit_review,
    )


def _past_row(row: rx.Var[BookingRow]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.vstack(
                rx.link(row.title, href="/sessions/" + row.session_id),
                rx.cond(row.can_join, _room_way_in(row)),
                spacing="1",
            )
        ),
        rx.table.cell(row.when),
        rx.table.cell(rx.badge(row.status, variant="soft", color_scheme="gray")),
        rx.table.cell(
            rx.hstack(
                rx.cond(row.can_review, _review_form(row)),
                rx.cond(
                    row.receipt != "",
                    rx.link(rx.button("Receipt", size="1", variant="outline"), href=row.receipt),
                ),
            )
        ),
    )


def _table(headers: list[str], rows, render, empty: str, table_id: str) -> rx.Component:
    return rx.cond(
        rows.length() > 0,
        rx.box(
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
                rx.table.body(rx.foreach(rows, render)),
                width="100%",
                id=table_id,
            ),
            overflow_x="auto",
            width="100%",
            style=stack_on_phone(headers),
        ),
        rx.text(empty, color_scheme="gray", size="2"),
    )


def _reschedule_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Move to another session"),
            rx.dialog.description("Same mentor, same price: no new payment needed.", size="2"),
            rx.cond(
                L.reschedule_choices.length() > 0,
                rx.vstack(
                    rx.foreach(
                        L.reschedule_choices,
                        lambda c: rx.button(
                            c.label,
                            variant="outline",
                            width="100%",
                            white_space="normal",
                            height="auto",
                            min_height="2em",
                            on_click=L.pick_reschedule(c.id, c.when),
                            class_name="reschedule-choice",
                        ),
                    ),
                    width="100%",
                ),
                rx.text("No other session of this mentor at this price has a free seat.", size="2"),
            ),
            rx.button("Close", variant="soft", on_click=L.close_reschedule(False), margin_top="1em"),
        ),
        open=(L.reschedule_for > 0) & (L.move_to == ""),
        on_open_change=L.close_reschedule,
    )


def _confirm_dialogs() -> rx.Fragment:
    return rx.fragment(
        confirm_dialog(
            open_=L.cancel_for > 0,
            title="Cancel your booking of " + L.cancel_title + "?",
            statement=L.cancel_statement,
            confirm_label="Cancel booking",
            on_confirm=L.cancel,
            dismiss_label="Keep booking",
            on_dismiss=L.keep_booking,
            dialog_id="cancel-booking-dialog",
        ),
        confirm_dialog(
            open_=L.move_to != "",
            title="Move your booking?",
            statement=rx.cond(
                L.move_from_when != "",
                "Your seat moves from " + L.move_from_when + " to " + L.move_to_when + ".",
                "Your seat moves to " + L.move_to_when + ".",
            ),
            detail=rx.text(
                "Same price, so nothing is charged or refunded; your current seat is given up.",
                size="2",
                color_scheme="gray",
            ),
            confirm_label="Move my booking",
            on_confirm=L.reschedule_to,
            dismiss_label="Keep current time",
            on_dismiss=L.close_reschedule,
            dialog_id="reschedule-confirm-dialog",
        ),
    )


@page(
    routes.DASHBOARD,
    "Dashboard",
    on_load=[AuthState.require_login, L.load_dashboard, RecommendationsState.load_recommendations],
)
def dashboard_page() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading("Welcome, ", AuthState.user_name, size="7", id="dashboard-greeting"),
            rx.spacer(),
            rx.cond(
                AuthState.is_mentor,
                rx.link(
                    rx.button(rx.icon("presentation", size=16), "Your teaching", variant="soft"), href=routes.TEACH
                ),
                rx.link(
                    rx.button(rx.icon("presentation", size=16), "Start teaching", variant="soft"),
                    href=f"{routes.SIGNUP}?role=mentor",
                    id="start-teaching",
                ),
            ),
            rx.link(rx.button(rx.icon("search", size=16), "Find sessions"), href=routes.DISCOVER),
            width="100%",
            wrap="wrap",
        ),
        card(
            rx.heading("Upcoming", size="5"),
            _table(
                ["Session", "When", "Status", "Price", ""],
                L.upcoming,
                _booking_row,
                "Nothing booked yet. Find a session that fits your goals.",
                "upcoming-bookings",
            ),
        ),
        recommended_strip(),
        rx.cond(
            L.waitlists.length() > 0,
            card(
                rx.heading("Waitlists", size="5"),
                rx.foreach(
                    L.waitlists,
                    lambda w: rx.hstack(
                        rx.link(w.title, href="/sessions/" + w.id),
                        rx.text(w.when, size="2"),
                        rx.badge(w.status),
                    ),
                ),
            ),
        ),
        card(
            rx.heading("Past", size="5"),
            _table(["Session", "When", "Status", ""], L.past, _past_row, "No past sessions yet.", "past-bookings"),
        ),
        _reschedule_dialog(),
        _confirm_dialogs(),
        on_mount=L.watch,  # the rooms' countdowns move and Join appears when a room opens
        on_unmount=L.stop_watching,
        spacing="5",
        width="100%",
    )
