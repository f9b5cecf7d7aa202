"""A mentor's profile: who they are and what the data says about them, what they teach, when, and what learners said."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.components.zone_switcher import heading_with_zone_switcher
from peerlearn.ui.format.mentors import MentorReview, TrustSignal, UpcomingSession
from peerlearn.ui.layout import card, page
from peerlearn.ui.pages.mentors import mentor_avatar, pro_badge
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.mentor_profile import MentorProfileState as P

_SIGNAL_ICONS = [
    ("verified", "badge-check"),
    ("taught", "presentation"),
    ("learners", "users"),
    ("repeat", "repeat"),
    ("replies", "message-circle-reply"),
    ("years", "briefcase"),
]


def _signal(signal: rx.Var[TrustSignal]) -> rx.Component:
    icon = rx.match(
        signal.key,
        *[(key, rx.icon(name, size=14)) for key, name in _SIGNAL_ICONS],
        rx.icon("calendar", size=14),
    )
    return rx.hstack(
        icon,
        rx.text(signal.text, size="2"),
        align="center",
        spacing="2",
        class_name="trust-signal",
        data_key=signal.key,
    )


def _header() -> rx.Component:
    m = P.mentor
    return card(
        rx.vstack(
            rx.hstack(
                mentor_avatar(m.name, m.initials, m.avatar, size="6"),
                rx.vstack(
                    rx.heading(m.name, size="6", overflow_wrap="anywhere", id="mentor-name"),
                    rx.text(m.headline, size="3", color_scheme="gray", overflow_wrap="anywhere", id="mentor-headline"),
                    rx.hstack(
                        rx.badge(rx.icon("star", size=12), m.rating, color_scheme="amber", size="2"),
                        rx.cond(m.pro, pro_badge(size="2", id="mentor-pro-badge")),
                        rx.text(m.reviews, size="2", color_scheme="gray"),
                        align="center",
                        wrap="wrap",
                        id="mentor-rating",
                    ),
                    spacing="1",
                    min_width="0",
                ),
                align="center",
                spacing="4",
                width="100%",
            ),
            rx.flex(
                rx.foreach(P.signals, _signal),
                wrap="wrap",
                column_gap="1.25em",
                row_gap="0.4em",
                id="trust-signals",
            ),
            spacing="4",
            width="100%",
        )
    )


def _about() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("About", size="4"),
            rx.cond(
                P.mentor.bio != "",
                rx.text(P.mentor.bio, size="2", white_space="pre-wrap", id="mentor-bio"),
                rx.text("This mentor has not written about themselves yet.", size="2", color_scheme="gray"),
            ),
            rx.cond(
                P.skills.length() > 0,
                rx.vstack(
                    rx.text("Teaches", size="1", color_scheme="gray"),
                    rx.hstack(
                        rx.foreach(P.skills, lambda s: rx.badge(s, variant="soft", color_scheme="indigo")),
                        wrap="wrap",
                        spacing="1",
                        id="mentor-skills",
                    ),
                    spacing="1",
                ),
            ),
            rx.cond(
                P.languages != "",
                rx.hstack(
                    rx.icon("languages", size=14, color=rx.color("gray", 10)),
                    rx.text("Sessions in ", P.languages, size="2"),
                    align="center",
                ),
            ),
            spacing="3",
            width="100%",
        )
    )


def _session(item: rx.Var[UpcomingSession]) -> rx.Component:
    return rx.card(
        rx.flex(
            rx.vstack(
                rx.link(item.title, href=item.href, size="2", weight="medium", overflow_wrap="anywhere"),
                rx.text(item.when, size="1"),
                rx.text(item.level, " · ", item.language, " · ", item.spots, size="1", color_scheme="gray"),
                spacing="1",
                min_width="0",
                flex="1",
            ),
            rx.hstack(
                rx.badge(item.price, variant="soft"),
                rx.link(
                    rx.button(rx.cond(item.full, "See session", "Book"), size="2"),
                    href=item.href,
                    class_name="book-mentor-session",
                ),
                align="center",
                spacing="2",
            ),
            justify="between",
            align="center",
            wrap="wrap",
            gap="2",
            width="100%",
        ),
        width="100%",
        class_name="mentor-session",
    )


def _upcoming() -> rx.Component:
    return rx.vstack(
        heading_with_zone_switcher("Upcoming sessions", size="5"),
        rx.cond(
            P.upcoming.length() > 0,
            rx.vstack(rx.foreach(P.upcoming, _session), spacing="2", width="100%", id="mentor-upcoming"),
            rx.text("No upcoming sessions right now: look again soon.", size="2", color_scheme="gray"),
        ),
        spacing="3",
        width="100%",
    )


def _review(review: rx.Var[MentorReview]) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.text(review.stars, color=rx.color("amber", 10), aria_label=review.rating),
            rx.text(review.who, size="2", weight="medium"),
            rx.text(review.when, size="1", color_scheme="gray"),
            align="center",
            wrap="wrap",
        ),
        rx.cond(review.comment != "", rx.text(review.comment, size="2", overflow_wrap="anywhere")),
        rx.cond(
            review.reply != "",
            rx.box(
                rx.text("Mentor's reply: ", review.reply, size="2", color_scheme="gray"),
                border_left=f"3px solid {rx.color('indigo', 6)}",
                padding_left="0.75em",
                margin_top="0.25em",
            ),
        ),
        padding_y="0.6em",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        width="100%",
        class_name="mentor-review",
    )


def _reviews() -> rx.Component:
    return rx.vstack(
        rx.heading("What learners say", size="5"),
        rx.cond(
            P.review_total > 0,
            rx.vstack(
                rx.foreach(P.reviews, _review),
                rx.cond(
                    P.reviews.length() < P.review_total,
                    rx.button("More reviews", variant="soft", on_click=P.more_reviews, id="more-reviews"),
                ),
                spacing="0",
                width="100%",
                id="mentor-reviews",
            ),
            rx.text("No reviews yet.", size="2", color_scheme="gray"),
        ),
        spacing="2",
        width="100%",
    )


def _not_found() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("No such mentor", size="5"),
            rx.link("See all mentors", href=routes.MENTORS),
            spacing="2",
        ),
        id="mentor-not-found",
    )


@page(routes.MENTOR, "Mentor", on_load=[AuthState.load_session, P.load_mentor])
def mentor_profile_page() -> rx.Component:
    return rx.cond(
        P.found,
        rx.vstack(
            rx.link("← All mentors", href=routes.MENTORS, size="2"),
            _header(),
            rx.grid(
                rx.vstack(_upcoming(), _reviews(), spacing="5", width="100%", min_width="0"),
                rx.box(_about(), width="100%", min_width="0"),
                columns=rx.breakpoints(initial="1", md="3fr 2fr"),
                spacing="4",
                width="100%",
            ),
            spacing="4",
            width="100%",
            max_width="1000px",
            margin_x="auto",
            padding_y="1em",
        ),
        _not_found(),
    )
