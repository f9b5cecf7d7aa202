"""The time-zone switcher of Discover and the session page (as Cal.com's booker has): every time on the page is
shown again in the zone picked, for this tab; the profile's zone stays as it is."""

from typing import Literal

import reflex as rx

from peerlearn.ui.states.auth import AuthState


def zone_switcher() -> rx.Component:
    return rx.hstack(
        rx.icon("globe", size=16, color=rx.color("gray", 10)),
        rx.text("Times in", size="2", color_scheme="gray", white_space="nowrap"),
        rx.select(
            AuthState.zone_options,
            value=AuthState.viewer_timezone,
            on_change=AuthState.choose_timezone,
            size="1",
            id="zone-switcher",
        ),
        align="center",
        spacing="2",
        min_width="0",
    )


def heading_with_zone_switcher(title: str, size: Literal["5", "7"] = "7") -> rx.Component:
    """A page's heading with the switcher beside it (below it on a phone)."""
    return rx.flex(
        rx.heading(title, size=size),
        zone_switcher(),
        justify="between",
        align="center",
        wrap="wrap",
        row_gap="0.5em",
        width="100%",
    )
