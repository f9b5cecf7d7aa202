"""The mentor directory: find a mentor by words or skill, sort by rating, sessions taught or soonest free seat."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.components.zone_switcher import heading_with_zone_switcher
from peerlearn.ui.format.mentors import MentorCardView
from peerlearn.ui.layout import card, page
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.mentors import SORT_LABELS
from peerlearn.ui.states.mentors import MentorDirectoryState as M


def mentor_avatar(name, initials, avatar, size: str = "4") -> rx.Component:
    """The mentor's photo when they gave one, else their initials."""
    return rx.avatar(src=avatar, fallback=initials, size=size, radius="full", alt=name, flex_shrink="0")


def pro_badge(**props: object) -> rx.Component:
    """The badge a mentor's paid plan gives."""
    return rx.badge(rx.icon("sparkles", size=12), "Pro", color_scheme="violet", class_name="pro-badge", **props)


def _card(item: rx.Var[MentorCardView]) -> rx.Component:
    return rx.link(
        card(
            rx.vstack(
                rx.hstack(
                    mentor_avatar(item.name, item.initials, item.avatar),
                    rx.vstack(
                        rx.hstack(
                            rx.heading(item.name, size="4", overflow_wrap="anywhere", class_name="mentor-name"),
                            rx.cond(
                                item.verified,
                                rx.badge(rx.icon("badge-check", size=12), "Verified", color_scheme="green"),
                            ),
                            rx.cond(item.pro, pro_badge()),
                            align="center",
                            wrap="wrap",
                            spacing="2",
                        ),
                        rx.text(item.headline, size="2", color_scheme="gray", overflow_wrap="anywhere"),
                        spacing="1",
                        min_width="0",
                    ),
                    align="center",
                    width="100%",
                ),
                rx.hstack(
                    rx.badge(rx.icon("star", size=12), item.rating, color_scheme="amber"),
                    rx.text(item.reviews, size="1", color_scheme="gray"),
                    rx.cond(item.taught != "", rx.text("· ", item.taught, size="1", color_scheme="gray")),
                    align="center",
                    wrap="wrap",
                    spacing="2",
                ),
                rx.hstack(
                    rx.foreach(item.skills, lambda s: rx.badge(s, variant="soft", color_scheme="indigo")),
                    wrap="wrap",
                    spacing="1",
                ),
                rx.hstack(
                    rx.icon("calendar-clock", size=14, color=rx.color("gray", 10), flex_shrink="0"),
                    rx.text(
                        item.next_free,
                        size="1",
                        color_scheme=rx.cond(item.has_next, "green", "gray"),
                        class_name="next-free",
                    ),
                    align="center",
                    spacing="1",
                ),
                spacing="3",
                width="100%",
            ),
            class_name="mentor-card",
        ),
        href=item.href,
        underline="none",
        color="inherit",
        width="100%",
    )


def _search() -> rx.Component:
    """Phones: the words on one line, the skill and the button on the next; wider screens: one line."""
    return rx.form(
        rx.flex(
            rx.input(
                name="q",
                placeholder="Name, topic or skill",
                default_value=M.q,
                max_length=200,
                size="3",
                flex=rx.breakpoints(initial="none", sm="2"),  # a column's flex basis would squash its height
                width="100%",
                min_width="0",
                id="mentor-search",
            ),
            rx.hstack(
                rx.input(
                    name="skill",
                    placeholder="Skill, e.g. Python",
                    default_value=M.skill,
                    max_length=80,
                    size="3",
                    flex="1",
                    min_width="0",
                    id="mentor-skill",
                ),
                rx.button("Search", type="submit", size="3", id="mentor-search-submit"),
                flex=rx.breakpoints(initial="none", sm="1"),
                width="100%",
                spacing="2",
            ),
            direction=rx.breakpoints(initial="column", sm="row"),
            gap="2",
            width="100%",
        ),
        on_submit=M.submit_search,
        width="100%",
    )


def _pager() -> rx.Component:
    return rx.cond(
        M.pages > 1,
        rx.hstack(
            rx.button("Previous", variant="soft", disabled=M.page <= 1, on_click=M.go_to_page(M.page - 1)),
            rx.text("Page ", M.page, " of ", M.pages, size="2"),
            rx.button("Next", variant="soft", disabled=M.page >= M.pages, on_click=M.go_to_page(M.page + 1)),
            align="center",
        ),
    )


def _empty() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("No mentors match", size="4"),
            rx.text("Try fewer words or another skill.", size="2"),
            rx.button("Show all mentors", on_click=M.clear),
            spacing="3",
        ),
        id="no-mentors",
    )


@page(routes.MENTORS, "Mentors", on_load=[AuthState.load_session, M.load_mentors])
def mentors_page() -> rx.Component:
    return rx.vstack(
        heading_with_zone_switcher("Find a mentor"),
        rx.text(
            "Ratings, sessions taught and reviews come from what learners booked, attended and wrote.",
            size="2",
            color_scheme="gray",
        ),
        _search(),
        rx.flex(
            rx.text(M.total, " mentors", size="2", color_scheme="gray", id="mentor-count"),
            rx.select(list(SORT_LABELS.values()), value=M.sort_label, on_change=M.set_sort, id="mentor-sort"),
            justify="between",
            align="center",
            wrap="wrap",
            gap="2",
            width="100%",
        ),
        rx.text(M.sort_explained, size="1", color_scheme="gray", id="sort-explained"),
        rx.cond(M.problem != "", rx.callout(M.problem, color_scheme="red", icon="triangle-alert")),
        rx.cond(
            M.total > 0,
            rx.grid(
                rx.foreach(M.mentors, _card),
                columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                spacing="3",
                width="100%",
                id="mentor-list",
            ),
            _empty(),
        ),
        _pager(),
        spacing="4",
        width="100%",
        padding_y="1em",
    )
