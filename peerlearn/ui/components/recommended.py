"""The 'Recommended for you' strip, used on the learner dashboard and the discovery page."""

import reflex as rx

from peerlearn.ui.states.recommendations import RecommendationsState as R
from peerlearn.ui.views import RecommendationCard


def _card(item: rx.Var[RecommendationCard]) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(item.why, size="1", color_scheme="indigo", weight="medium"),
                rx.spacer(),
                rx.icon_button(
                    rx.icon("x", size=14),
                    size="1",
                    variant="ghost",
                    color_scheme="gray",
                    on_click=R.dismiss(item.id),
                    aria_label="Not interested",
                    class_name="dismiss-recommendation",
                ),
                width="100%",
                align="start",
            ),
            rx.link(rx.heading(item.title, size="3"), on_click=R.open_recommendation(item.id), cursor="pointer"),
            rx.text(item.when, size="1", color_scheme="gray"),
            rx.hstack(rx.text(item.mentor, size="1"), rx.spacer(), rx.badge(item.price, variant="soft"), width="100%"),
            spacing="2",
            width="100%",
        ),
        class_name="recommendation-card",
    )


def recommended_strip() -> rx.Component:
    return rx.cond(
        R.recommended.length() > 0,
        rx.vstack(
            rx.heading("Recommended for you", size="5"),
            rx.grid(
                rx.foreach(R.recommended, _card),
                columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="recommended",
        ),
    )
