"""Log-in page: a plain HTML form posted to the server, which sets the HttpOnly login cookie (api/auth_forms.py)."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.layout import card, error_callout, page
from peerlearn.ui.states.auth import AuthState


def auth_card(title: str, *children: rx.Component) -> rx.Component:
    return rx.center(
        card(rx.vstack(rx.heading(title, size="6"), *children, spacing="4", width="100%"), max_width="440px"),
        padding_y="3em",
    )


def labelled(label: str, control: rx.Component) -> rx.Component:
    return rx.vstack(rx.text(label, size="2", weight="medium", as_="label"), control, spacing="1", width="100%")


def server_form(action: str, *children: rx.Component, **props) -> rx.Component:
    """A form the browser posts itself to `action` (no script involved): the answer is a redirect to a page."""
    return rx.el.form(*children, action=routes.form_action(action), method="post", on_submit=None, **props)


@page(routes.LOGIN, "Log in", on_load=[AuthState.load_session, AuthState.prepare_login])
def login_page() -> rx.Component:
    return auth_card(
        "Log in to PeerLearn",
        error_callout(AuthState.form_error),
        server_form(
            routes.LOGIN_FORM,
            rx.el.input(type="hidden", name="next", value=AuthState.login_next),
            rx.vstack(
                labelled(
                    "Email",
                    rx.input(
                        name="email",
                        type="email",
                        placeholder="you@example.org",
                        required=True,
                        auto_complete="username",
                        width="100%",
                        size="3",
                        id="login-email",
                    ),
                ),
                labelled(
                    "Password",
                    rx.input(
                        name="password",
                        type="password",
                        required=True,
                        auto_complete="current-password",
                        width="100%",
                        size="3",
                        id="login-password",
                    ),
                ),
                rx.button("Log in", type="submit", size="3", width="100%", id="login-submit"),
                spacing="3",
            ),
        ),
        rx.text("New here? ", rx.link("Create an account", href=routes.SIGNUP), size="2"),
        rx.text(rx.link("Forgot your password?", href=routes.FORGOT_PASSWORD, id="forgot-password"), size="2"),
    )
