"""Forgot-password and choose-a-new-password pages (the emailed link opens the second)."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.layout import error_callout, page
from peerlearn.ui.pages.login import auth_card, labelled
from peerlearn.ui.states.password_reset import PasswordResetState as R


@page(routes.FORGOT_PASSWORD, "Forgot password", on_load=[R.load_session, R.clear_reset])
def forgot_password_page() -> rx.Component:
    return auth_card(
        "Reset your password",
        rx.text("We will email you a link to choose a new password.", size="2"),
        error_callout(R.form_error),
        rx.cond(
            R.reset_notice != "",
            rx.callout(R.reset_notice, icon="mail", color_scheme="green", id="reset-notice"),
        ),
        rx.form(
            rx.vstack(
                labelled(
                    "Email",
                    rx.input(name="email", type="email", required=True, width="100%", size="3", id="reset-email"),
                ),
                rx.button("Email me a link", type="submit", size="3", width="100%", id="reset-submit"),
                spacing="3",
            ),
            on_submit=R.submit_reset_request,
            reset_on_submit=False,
        ),
        rx.text(rx.link("Back to log in", href=routes.LOGIN), size="2"),
    )


@page(routes.PASSWORD_RESET, "Choose a new password", on_load=[R.load_session, R.clear_reset])
def password_reset_page() -> rx.Component:
    return auth_card(
        "Choose a new password",
        rx.text("At least 10 characters. A few unrelated words are easy to remember and hard to guess.", size="2"),
        error_callout(R.form_error),
        rx.form(
            rx.vstack(
                labelled(
                    "New password",
                    rx.input(
                        name="new_password",
                        type="password",
                        required=True,
                        min_length=10,
                        width="100%",
                        size="3",
                        id="reset-new-password",
                    ),
                ),
                rx.button("Set password", type="submit", size="3", width="100%", id="reset-confirm"),
                spacing="3",
            ),
            on_submit=R.submit_new_password,
            reset_on_submit=False,
        ),
        rx.text(rx.link("Ask for a new link", href=routes.FORGOT_PASSWORD), size="2"),
    )
