"""The app shell (navigation that fits each role) and the page decorator."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex.event import EventSpec

from peerlearn.ui import routes
from peerlearn.ui.components.notification_bell import notification_bell
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.notifications import NotificationState
from peerlearn.ui.states.page_load import register_loaders

PageFn = Callable[[], rx.Component]


def _nav_link(label: str, href: str) -> rx.Component:
    return rx.link(label, href=href, size="3", weight="medium", color_scheme="gray", high_contrast=True)


def brand() -> rx.Component:
    return rx.link(
        rx.hstack(
            rx.icon("graduation-cap", size=26, color=rx.color("indigo", 10)),
            rx.heading("PeerLearn", size="5"),
            align="center",
            spacing="2",
        ),
        href=routes.HOME,
        underline="none",
    )


def logout_item() -> rx.Component:
    """Log out: the menu item is the submit button of a plain form the browser posts to the server, which revokes
    the token and clears the HttpOnly cookie. The form sits outside the menu, and choosing the item keeps the menu
    open (prevent_default), so the button is still on the page when the browser submits."""
    return rx.menu.item(
        rx.el.button(
            "Log out",
            type="submit",
            form="logout-form",
            id="logout",
            background="none",
            border="none",
            width="100%",
            font="inherit",
            cursor="pointer",
        ),
        as_child=True,
        color="red",
        on_select=rx.prevent_default,
    )


def navbar() -> rx.Component:
    signed_in_links = rx.hstack(
        _nav_link("Find sessions", routes.DISCOVER),
        _nav_link("Dashboard", routes.DASHBOARD),
        rx.cond(AuthState.is_mentor, _nav_link("Teach", routes.TEACH)),
        rx.cond(AuthState.is_admin, _nav_link("Business", routes.INSIGHTS)),
        notification_bell(),
        rx.menu.root(
            rx.menu.trigger(
                rx.button(rx.icon("user", size=16), AuthState.user_name, variant="soft", id="account-menu")
            ),
            rx.menu.content(
                rx.menu.item("Profile", on_click=rx.redirect(routes.PROFILE)),
                rx.menu.separator(),
                logout_item(),
            ),
        ),
        rx.el.form(id="logout-form", action=routes.form_action(routes.LOGOUT_FORM), method="post", on_submit=None),
        spacing="5",
        align="center",
    )
    visitor_links = rx.hstack(
        _nav_link("Find sessions", routes.DISCOVER),
        rx.link(rx.button("Log in", variant="ghost"), href=routes.LOGIN),
        rx.link(rx.button("Sign up"), href=routes.SIGNUP),
        spacing="3",
        align="center",
    )
    return rx.box(
        rx.hstack(
            brand(),
            rx.spacer(),
            rx.cond(AuthState.logged_in, signed_in_links, visitor_links),
            align="center",
            width="100%",
            max_width="1200px",
            margin_x="auto",
            padding_x=["1em", "1.5em"],
            padding_y="0.8em",
        ),
        border_bottom=f"1px solid {rx.color('gray', 5)}",
        background=rx.color("gray", 1),
        position="sticky",
        top="0",
        z_index="10",
        width="100%",
    )


def footer() -> rx.Component:
    return rx.center(
        rx.text("PeerLearn · learn from peers who have done it", size="2", color_scheme="gray"),
        padding="2em",
        border_top=f"1px solid {rx.color('gray', 4)}",
    )


def shell(content: rx.Component) -> rx.Component:
    return rx.box(
        navbar(),
        rx.box(
            content,
            width="100%",
            max_width="1200px",
            margin_x="auto",
            padding=["1em", "1.5em", "2em"],
            min_height="75vh",
        ),
        footer(),
        background=rx.color("gray", 2),
        min_height="100vh",
    )


PAGES: list[tuple[PageFn, str, str, EventSpec]] = []


def page(route: str, title: str, on_load=AuthState.load_session) -> Callable[[PageFn], PageFn]:
    """Register a page with the shell around it and its on_load guard."""

    def decorator(fn: PageFn) -> PageFn:
        def wrapped() -> rx.Component:
            return shell(fn())

        wrapped.__name__ = fn.__name__
        loads = (on_load if isinstance(on_load, list) else [on_load]) + [NotificationState.load_notifications]
        PAGES.append((wrapped, route, f"{title} · PeerLearn", register_loaders(route, loads)))
        return fn

    return decorator


def card(*children: rx.Component, **props) -> rx.Component:
    return rx.card(*children, size="3", width="100%", **props)


def error_callout(message) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle-alert", color_scheme="red", role="alert", id="form-error"),
    )
