"""The app shell (navigation that fits each role) and the page decorator."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from reflex.event import EventSpec

from peerlearn.ui import routes
from peerlearn.ui.components.notification_bell import notification_bell, notification_panel, unread_badge
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.notifications import NotificationState
from peerlearn.ui.states.page_load import register_loaders

PageFn = Callable[[], rx.Component]


def _nav_link(label: str, href: str) -> rx.Component:
    return rx.link(
        label, href=href, size="3", weight="medium", color_scheme="gray", high_contrast=True, white_space="nowrap"
    )


# Below Reflex's "md" breakpoint (62em) the links, bell and account collapse into one menu (a mentor's or admin's
# links and account need about 950 px in a row).
WIDE_ONLY = ["none", "none", "none", "flex"]
NARROW_ONLY = ["flex", "flex", "flex", "none"]
LOGOUT_FORM_ID = "logout-form"


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


def _logout_button(button_id: str, **style) -> rx.Component:
    """Log out: the submit button of the one plain form (`_logout_form`) the browser posts to the server, which
    revokes the token and clears the HttpOnly cookie."""
    return rx.el.button(
        "Log out",
        type="submit",
        form=LOGOUT_FORM_ID,
        id=button_id,
        border="none",
        width="100%",
        font="inherit",
        cursor="pointer",
        **style,
    )


def logout_item() -> rx.Component:
    """The account menu's log-out. The form sits outside the menu, and choosing the item keeps the menu open
    (prevent_default), so the button is still on the page when the browser submits."""
    return rx.menu.item(
        _logout_button("logout", background="none"),
        as_child=True,
        color="red",
        on_select=rx.prevent_default,
    )


def _logout_form() -> rx.Component:
    """The one log-out form both menus submit (it holds no fields: the cookie says who)."""
    return rx.el.form(id=LOGOUT_FORM_ID, action=routes.form_action(routes.LOGOUT_FORM), method="post", on_submit=None)


def _wide_links() -> rx.Component:
    signed_in = rx.hstack(
        _nav_link("Find sessions", routes.DISCOVER),
        _nav_link("Mentors", routes.MENTORS),
        _nav_link("Dashboard", routes.DASHBOARD),
        _nav_link("Paths", routes.LEARNING_PATHS),
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
        spacing=rx.breakpoints(initial="4", lg="5"),
        align="center",
    )
    visitor = rx.hstack(
        _nav_link("Find sessions", routes.DISCOVER),
        _nav_link("Mentors", routes.MENTORS),
        rx.link(rx.button("Log in", variant="ghost"), href=routes.LOGIN),
        rx.link(rx.button("Sign up"), href=routes.SIGNUP),
        spacing="3",
        align="center",
    )
    return rx.box(rx.cond(AuthState.logged_in, signed_in, visitor), display=WIDE_ONLY)


def _menu_link(label: str, href: str, icon: str) -> rx.Component:
    return rx.popover.close(
        rx.link(
            rx.hstack(rx.icon(icon, size=16), rx.text(label, size="3", weight="medium"), align="center"),
            href=href,
            underline="none",
            color_scheme="gray",
            high_contrast=True,
            padding_y="0.45em",
            width="100%",
        )
    )


def _narrow_menu() -> rx.Component:
    """Phones: one menu button; the links, notifications and the account live inside it."""
    signed_in = rx.vstack(
        rx.text(AuthState.user_name, size="2", color_scheme="gray", weight="medium"),
        _menu_link("Find sessions", routes.DISCOVER, "search"),
        _menu_link("Mentors", routes.MENTORS, "users"),
        _menu_link("Dashboard", routes.DASHBOARD, "layout-dashboard"),
        _menu_link("Paths", routes.LEARNING_PATHS, "route"),
        rx.cond(AuthState.is_mentor, _menu_link("Teach", routes.TEACH, "presentation")),
        rx.cond(AuthState.is_admin, _menu_link("Business", routes.INSIGHTS, "chart-column")),
        _menu_link("Profile", routes.PROFILE, "user"),
        rx.separator(),
        notification_panel("menu-notification-list", "menu-mark-all-read"),
        rx.separator(),
        _logout_button(
            "menu-logout",
            padding="0.5em",
            border_radius="var(--radius-2)",
            background=rx.color("red", 3),
            color=rx.color("red", 11),
            font_weight="500",
        ),
        spacing="1",
        width="100%",
    )
    visitor = rx.vstack(
        _menu_link("Find sessions", routes.DISCOVER, "search"),
        _menu_link("Mentors", routes.MENTORS, "users"),
        _menu_link("Log in", routes.LOGIN, "log-in"),
        _menu_link("Sign up", routes.SIGNUP, "user-plus"),
        spacing="1",
        width="100%",
    )
    return rx.box(
        rx.popover.root(
            rx.popover.trigger(
                rx.button(
                    rx.icon("menu", size=20),
                    rx.cond(AuthState.logged_in, unread_badge("menu-unread-count")),
                    variant="soft",
                    aria_label="Menu",
                    id="nav-menu",
                )
            ),
            rx.popover.content(
                rx.cond(AuthState.logged_in, signed_in, visitor),
                width="min(92vw, 340px)",
                max_height="80vh",
                overflow_y="auto",
                id="nav-menu-panel",
                collision_padding=8,
            ),
        ),
        display=NARROW_ONLY,
    )


def navbar() -> rx.Component:
    return rx.box(
        rx.hstack(
            brand(),
            rx.spacer(),
            _wide_links(),
            _narrow_menu(),
            rx.cond(AuthState.logged_in, _logout_form()),
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
            padding=["0.75em", "1.5em", "2em"],
            min_height="75vh",
            min_width="0",
        ),
        footer(),
        background=rx.color("gray", 2),
        min_height="100vh",
        overflow_wrap="break-word",  # long words wrap; short ones (amounts) stay whole
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


PHONE = "@media screen and (max-width: 47.99em)"  # below Reflex's "sm" breakpoint
_BLOCK_COLUMNS = {"When", "Session"}


def stack_on_phone(headers: list[str]) -> dict:
    """A table's style: on phones each row becomes a block (no header row) whose first cell and its "When" stand
    on their own lines, and the other cells flow and wrap, each led by its column's name, so buttons never overflow.
    """
    cells: dict[str, dict] = {}
    for index, header in enumerate(headers, start=1):
        selector = f"& td:nth-of-type({index})"
        if index == 1 or header in _BLOCK_COLUMNS:
            cells[selector] = {"display": "block"}
        elif header:
            cells[f"{selector}::before"] = {"content": f'"{header}: "', "color": rx.color("gray", 10)}
    return {
        PHONE: {
            "& thead": {"display": "none"},
            "& tr": {"display": "block", "padding": "0.5em 0", "border_bottom": f"1px solid {rx.color('gray', 5)}"},
            "& td": {
                "display": "inline-block",
                "padding": "0.15em 0.9em 0.15em 0",
                "height": "auto",
                "box_shadow": "none",
                "vertical_align": "middle",
            },
            **cells,
        }
    }


def card(*children: rx.Component, **props) -> rx.Component:
    return rx.card(*children, size="3", width="100%", **props)


def error_callout(message) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle-alert", color_scheme="red", role="alert", id="form-error"),
    )
