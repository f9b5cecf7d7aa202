"""A session's page: what, when (in the viewer's zone), who teaches, seats, book or wait."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.components.confirm import confirm_dialog
from peerlearn.ui.components.zone_switcher import zone_switcher
from peerlearn.ui.layout import card, page
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.session_detail import SessionDetailState as S
from peerlearn.ui.views import RecordingItem, ReviewItem


def _fact(icon: str, text) -> rx.Component:
    return rx.hstack(rx.icon(icon, size=16, color=rx.color("gray", 10)), rx.text(text, size="2"), align="center")


def _mentor_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.text("Your mentor", size="1", color_scheme="gray"),
            rx.link(rx.heading(S.session.mentor_name, size="4", id="mentor-name"), href=S.session.mentor_href),
            rx.text(S.session.mentor_headline, size="2", color_scheme="gray"),
            rx.hstack(
                rx.badge(rx.icon("star", size=12), S.session.mentor_rating, color_scheme="amber"),
                rx.text(S.session.mentor_reviews, " reviews · ", S.session.mentor_taught, " sessions taught", size="1"),
                align="center",
            ),
            rx.link("See their profile and reviews", href=S.session.mentor_href, size="2", id="mentor-profile-link"),
            spacing="2",
        )
    )


def _booking_box() -> rx.Component:
    booked = rx.vstack(
        rx.callout(
            rx.text("You're booked (", S.my_booking_status, ")."),
            icon="circle-check",
            color_scheme="green",
            id="booked-callout",
        ),
        rx.cond(
            S.room.can_join,
            rx.link(
                rx.button(rx.icon("video", size=16), "Join", color_scheme="green", width="100%"),
                href=S.room.url,
                width="100%",
                id="join-room-link",
            ),
        ),
        rx.cond(S.room.note != "", rx.text(S.room.note, size="2", color_scheme="gray", id="room-note")),
        rx.button(
            "Cancel my booking",
            color_scheme="red",
            variant="soft",
            on_click=S.ask_cancel_my_booking,
            id="cancel-booking",
        ),
        confirm_dialog(
            open_=S.cancel_asked,
            title="Cancel your booking of " + S.session.title + "?",
            statement=S.cancel_statement,
            confirm_label="Cancel booking",
            on_confirm=S.cancel_my_booking,
            dismiss_label="Keep booking",
            on_dismiss=S.keep_my_booking,
            dialog_id="cancel-booking-dialog",
        ),
        width="100%",
    )
    bookable = rx.vstack(
        rx.input(placeholder="Coupon code (optional)", value=S.coupon, on_change=S.set_coupon, width="100%"),
        rx.button(
            rx.cond(S.session.free, "Book for free", rx.text("Book for ", S.session.price)),
            size="3",
            width="100%",
            on_click=S.book,
            id="book-button",
        ),
        width="100%",
    )
    waitlist = rx.cond(
        S.waitlist_place > 0,
        rx.callout(rx.text("You are number ", S.waitlist_place, " on the waitlist."), icon="hourglass"),
        rx.button(
            "Join the waitlist",
            size="3",
            width="100%",
            variant="outline",
            on_click=S.wait_for_seat,
            id="waitlist-button",
        ),
    )
    return card(
        rx.vstack(
            rx.heading(S.session.price, size="6"),
            rx.text(
                rx.cond(
                    S.spots_left > 0,
                    rx.text(S.spots_left, " of ", S.session.capacity, " spots left"),
                    rx.badge("Full", color_scheme="orange", size="2"),
                ),
                size="2",
                id="spots-left",
            ),
            rx.cond(S.my_booking_id > 0, booked, rx.cond(S.spots_left > 0, bookable, waitlist)),
            rx.cond(
                S.session.requires_approval,
                rx.text("The mentor approves each booking.", size="1", color_scheme="gray"),
            ),
            rx.text(S.session.policy, size="1", color_scheme="gray", id="refund-policy"),
            rx.cond(S.message != "", rx.text(S.message, color_scheme="red", size="2", id="booking-message")),
            spacing="3",
            width="100%",
        )
    )


def _review(item: rx.Var[ReviewItem]) -> rx.Component:
    return rx.vstack(
        rx.hstack(rx.text(item.stars, color=rx.color("amber", 9)), rx.text(item.who, size="2", weight="medium")),
        rx.text(item.comment, size="2"),
        rx.cond(item.reply != "", rx.text("Mentor: ", item.reply, size="1", color_scheme="gray")),
        spacing="1",
        padding_y="0.5em",
    )


def _recording(item: rx.Var[RecordingItem]) -> rx.Component:
    return rx.vstack(
        rx.box(
            rx.video(src=item.url, controls=True, width="100%", height="auto"),
            class_name="recording-player",
            width="100%",
        ),
        rx.hstack(
            rx.text("Recorded ", item.when, " · ", item.minutes, " min", size="2"),
            rx.link(rx.icon("download", size=14), "Download", href=item.download, size="2"),
            justify="between",
            width="100%",
        ),
        width="100%",
        spacing="1",
    )


def _room_record() -> rx.Component:
    """For participants: the live room's recordings (play here or download) and its chat."""
    return rx.cond(
        (S.recordings.length() > 0) | (S.chat_log.length() > 0),
        rx.vstack(
            rx.heading("From the live room", size="4", padding_top="1em"),
            rx.foreach(S.recordings, _recording),
            rx.cond(
                S.chat_log.length() > 0,
                card(
                    rx.vstack(
                        rx.text("Chat", weight="medium", size="2"),
                        rx.foreach(
                            S.chat_log,
                            lambda m: rx.text(
                                rx.text.strong(m.who),
                                " ",
                                m.body,
                                rx.text(" · ", m.when, size="1", color_scheme="gray"),
                                size="2",
                            ),
                        ),
                        spacing="1",
                        id="chat-history",
                    )
                ),
            ),
            spacing="3",
            width="100%",
            id="room-record",
        ),
    )


def _header() -> rx.Component:
    return rx.vstack(
        rx.flex(rx.foreach(S.skills, lambda s: rx.badge(s, variant="soft")), gap="2", wrap="wrap"),
        rx.heading(S.session.title, size=rx.breakpoints(initial="6", sm="8"), id="session-title"),
        rx.flex(
            _fact("calendar", S.session.when),
            _fact("timer", rx.text(S.session.minutes, " minutes")),
            _fact("signal", S.session.level),
            _fact("languages", S.session.language),
            column_gap="1.25em",
            row_gap="0.35em",
            wrap="wrap",
        ),
        zone_switcher(),
        spacing="3",
        width="100%",
        grid_area="head",
        min_width="0",
    )


def _details() -> rx.Component:
    return rx.vstack(
        rx.text(S.session.description, size="3", white_space="pre-wrap"),
        _room_record(),
        rx.heading("What learners say about this mentor", size="4", padding_top="1em"),
        rx.cond(
            S.reviews.length() > 0,
            rx.vstack(rx.foreach(S.reviews, _review), spacing="1"),
            rx.text("No reviews yet.", color_scheme="gray", size="2"),
        ),
        rx.cond(
            S.similar.length() > 0,
            rx.vstack(
                rx.heading("Similar sessions", size="4", padding_top="1em"),
                rx.foreach(S.similar, lambda s: rx.link(s.title, " · ", s.when, href="/sessions/" + s.id)),
                spacing="2",
            ),
        ),
        spacing="3",
        width="100%",
        grid_area="body",
        min_width="0",
    )


# Phones: title and time, then the price and Book box, then the rest. Desktop: the box beside everything.
_AREAS = rx.breakpoints(initial='"head" "side" "body"', md='"head side" "body side"')


@page(routes.SESSION, "Session", on_load=[AuthState.load_session, S.load_detail])
def session_detail_page() -> rx.Component:
    return rx.cond(
        S.found,
        rx.grid(
            _header(),
            _details(),
            rx.vstack(_booking_box(), _mentor_card(), width="100%", grid_area="side", min_width="0"),
            spacing=rx.breakpoints(initial="4", md="6"),
            width="100%",
            style={
                "grid-template-columns": rx.breakpoints(initial="minmax(0, 1fr)", md="minmax(0, 2fr) minmax(0, 1fr)"),
                "grid-template-rows": rx.breakpoints(initial="auto", md="auto 1fr"),
                "grid-template-areas": _AREAS,
            },
        ),
        rx.center(
            rx.vstack(rx.heading("Session not found", size="6"), rx.link("Find sessions", href=routes.DISCOVER)),
            padding="4em",
        ),
    )
