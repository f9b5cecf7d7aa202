"""Sign-up page, as a learner or a mentor: a plain HTML form posted to the server (api/auth_forms.py).

Logged in already, 'Become a mentor' (/signup?role=mentor) shows a short form that adds teaching to that account."""

import reflex as rx

from peerlearn.ui import routes
from peerlearn.ui.layout import error_callout, page
from peerlearn.ui.pages.login import auth_card, labelled, server_form
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.become_mentor import BecomeMentorState as B


def _become_mentor_card() -> rx.Component:
    """Logged in as a learner: teaching is added to this account (its bookings and history stay)."""
    return auth_card(
        "Start teaching on PeerLearn",
        rx.text(
            "You are logged in as ",
            rx.text.strong(AuthState.user_email),
            ". Teaching is added to this account: your bookings and history stay, and you keep one log-in.",
            size="2",
        ),
        error_callout(B.become_error),
        rx.form(
            rx.vstack(
                labelled(
                    "Your headline (learners see it next to your name)",
                    rx.input(
                        name="headline",
                        placeholder="Data engineer, 6 years of Python",
                        required=True,
                        min_length=3,
                        max_length=200,
                        width="100%",
                        size="3",
                        id="mentor-headline",
                    ),
                ),
                labelled(
                    "What can you teach? (optional, separated by commas)",
                    rx.input(
                        name="expertise",
                        placeholder="Python, SQL, data modelling",
                        max_length=2000,
                        width="100%",
                        size="3",
                        id="mentor-expertise",
                    ),
                ),
                rx.button("Start teaching", type="submit", size="3", width="100%", id="become-mentor-submit"),
                spacing="3",
            ),
            on_submit=B.submit_become_mentor,
            reset_on_submit=False,
            id="become-mentor-form",
        ),
        rx.text("Not now? ", rx.link("Back to your dashboard", href=routes.DASHBOARD), size="2"),
    )


@page(
    routes.SIGNUP,
    "Sign up",
    on_load=[
        AuthState.load_session,
        AuthState.prepare_signup,
        AuthState.prepare_signup_timezone,
        B.prepare_become_mentor,
    ],
)
def signup_page() -> rx.Component:
    return rx.cond(AuthState.logged_in, _become_mentor_card(), _new_account_card())


def _new_account_card() -> rx.Component:
    return auth_card(
        "Create your PeerLearn account",
        error_callout(AuthState.form_error),
        server_form(
            routes.SIGNUP_FORM,
            rx.vstack(
                labelled(
                    "Full name", rx.input(name="full_name", required=True, width="100%", size="3", id="signup-name")
                ),
                labelled(
                    "Email",
                    rx.input(name="email", type="email", required=True, width="100%", size="3", id="signup-email"),
                ),
                labelled(
                    "Password (10 characters or more, not easy to guess)",
                    rx.input(
                        name="password",
                        type="password",
                        required=True,
                        min_length=10,
                        auto_complete="new-password",
                        width="100%",
                        size="3",
                        id="signup-password",
                    ),
                ),
                labelled(
                    "What do you want to learn? (optional, separated by commas)",
                    rx.input(
                        name="interests",
                        placeholder="Python, guitar, public speaking",
                        max_length=2000,
                        width="100%",
                        size="3",
                        id="signup-interests",
                    ),
                ),
                labelled(
                    "I want to",
                    rx.radio_group.root(
                        rx.hstack(
                            rx.text(
                                rx.hstack(rx.radio_group.item(value="learner", id="role-learner"), "Learn"),
                                as_="label",
                                size="2",
                            ),
                            rx.text(
                                rx.hstack(
                                    rx.radio_group.item(value="mentor", id="role-mentor"), "Learn and teach (mentor)"
                                ),
                                as_="label",
                                size="2",
                            ),
                            spacing="4",
                            wrap="wrap",
                        ),
                        name="role",
                        value=AuthState.signup_role,
                        on_change=AuthState.set_signup_role,
                    ),
                ),
                labelled(
                    "Your time zone (from this browser; change it if it is wrong)",
                    rx.select(
                        AuthState.zone_options,
                        name="timezone",
                        value=AuthState.signup_timezone,
                        on_change=AuthState.set_signup_timezone,
                        width="100%",
                        id="signup-timezone",
                    ),
                ),
                rx.button("Create account", type="submit", size="3", width="100%", id="signup-submit"),
                spacing="3",
            ),
        ),
        rx.text("Already have an account? ", rx.link("Log in", href=routes.LOGIN), size="2"),
    )
