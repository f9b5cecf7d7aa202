"""The signed-in home: what each role does next."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.layout import card, page
from peerlearn.ui.states.auth import AuthState


def _tile(icon: str, title: str, text: str, href: str) -> rx.Component:
    return rx.link(
        card(rx.hstack(rx.icon(icon, size=24), rx.vstack(rx.heading(title, size="4"), rx.text(text, size="2", color_scheme="gray"), spacing="1"), align="start")),
        href=href, underline="none",
    )


@page(routes.DASHBOARD, "Dashboard", on_load=AuthState.require_login)
def dashboard_page() -> rx.Component:
    return rx.vstack(
        rx.heading("Welcome, ", AuthState.user_name, size="7", id="dashboard-greeting"),
        rx.grid(
            _tile("user-round-pen", "Your profile", "Skills, interests and goals drive your recommendations.", routes.PROFILE),
            rx.cond(AuthState.is_mentor, _tile("presentation", "Teach", "Publish sessions and see who booked.", routes.DASHBOARD)),
            rx.cond(AuthState.is_admin, _tile("chart-line", "Run the business", "Revenue, learners and marketplace health.", routes.DASHBOARD)),
            columns=rx.breakpoints(initial="1", sm="2", lg="3"), spacing="4", width="100%",
        ),
        spacing="5", width="100%",
    )
