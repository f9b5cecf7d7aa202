"""The landing page: what PeerLearn is and how it works."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.layout import card, page

STEPS = [
    (
        "search",
        "Find the right peer",
        "Search sessions by skill, level, language, price and time, or let recommendations that learn from you suggest "
        "them.",
    ),
    (
        "calendar-check",
        "Book and pay safely",
        "Your seat is held while you pay. Payments are held for the mentor until the session has happened.",
    ),
    (
        "video",
        "Meet in the browser",
        "Join a live room with video, screen sharing and chat. No extra app, no third-party meeting link.",
    ),
    ("star", "Rate and grow", "Rate what you got. Good mentors rise, and your next recommendations get better."),
]


def _step(icon: str, title: str, text: str) -> rx.Component:
    return card(
        rx.vstack(
            rx.icon(icon, size=28, color=rx.color("indigo", 10)),
            rx.heading(title, size="4"),
            rx.text(text, color_scheme="gray", size="2"),
            spacing="2",
        )
    )


@page(routes.HOME, "Learn from peers")
def landing_page() -> rx.Component:
    return rx.vstack(
        rx.vstack(
            rx.badge("Peer-to-peer skill learning", size="2", variant="soft"),
            rx.heading(
                "Learn a skill from someone who just mastered it.",
                size=rx.breakpoints(initial="7", md="9"),
                text_align="center",
                max_width="820px",
            ),
            rx.text(
                "PeerLearn connects learners with mentors for live one-to-one and small-group sessions. "
                "Mentors publish sessions and earn; learners book, pay, meet and rate, all in one place.",
                size="5",
                color_scheme="gray",
                text_align="center",
                max_width="720px",
            ),
            rx.hstack(
                rx.link(rx.button("Start learning", size="4"), href=f"{routes.SIGNUP}?role=learner"),
                rx.link(rx.button("Become a mentor", size="4", variant="outline"), href=f"{routes.SIGNUP}?role=mentor"),
                spacing="3",
                wrap="wrap",
                justify="center",
            ),
            align="center",
            spacing="5",
            padding_y=["2em", "4em"],
            width="100%",
        ),
        rx.grid(
            *[_step(*step) for step in STEPS],
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="4",
            width="100%",
        ),
        spacing="6",
        width="100%",
    )
