"""What the log-in and sign-up pages show around their forms (mixed into AuthState, so every page can reach it).

The forms themselves are plain HTML form posts to `peerlearn/api/auth_forms.py`, which sets the HttpOnly login
cookie and redirects to the next page, or back here with an error code in the query: the page turns the code into a
sentence. Only codes and numbers come back in the query, never text to show, so a crafted link cannot put its own
words next to the form.
"""

from __future__ import annotations

from collections.abc import Mapping

import reflex as rx

from peerlearn import links
from peerlearn.login_cookie import WEAK_PASSWORD
from peerlearn.models.enums import UserRole
from peerlearn.platform.errors import ErrorCode

FORM_ERRORS = {
    ErrorCode.INVALID_CREDENTIALS.value: "Email or password is incorrect.",
    ErrorCode.EMAIL_TAKEN.value: "An account with this email already exists. Log in, or reset your password by email.",
    WEAK_PASSWORD: (
        "This password is too easy to guess. Use a few unrelated words, or a longer phrase only you would think of."
    ),
    ErrorCode.BUSY.value: "PeerLearn is busy right now. Please try again in a moment.",
}
FIELD_ERRORS = {
    "email": "Enter a valid email address.",
    "password": "Use a password of at least 10 characters; a short phrase of unrelated words is easy to remember.",
    "full_name": "Enter your name as others should see it.",
    "role": "Choose whether you want to learn, or to learn and teach.",
    "interests": "List at most 50 things you want to learn, separated by commas.",
}
UNKNOWN_ERROR = "That did not work. Please try again."


def _minutes(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def form_error_message(query: Mapping[str, str]) -> str:
    """The sentence for the `?error=` code the form routes sent back ('' when there is none)."""
    code = query.get("error", "")
    if not code:
        return ""
    if code == ErrorCode.TOO_MANY_ATTEMPTS.value:
        wait = query.get("wait", "")
        when = f"in about {_minutes(int(wait))}" if wait.isdigit() and len(wait) < 7 else "later"
        return f"Too many failed log-in attempts. Try again {when}, or reset your password by email."
    if code == ErrorCode.VALIDATION.value:
        return FIELD_ERRORS.get(query.get("field", ""), UNKNOWN_ERROR)
    return FORM_ERRORS.get(code, UNKNOWN_ERROR)


class AccountForms(rx.State, mixin=True):
    form_error: str = ""
    signup_role: str = UserRole.LEARNER.value
    login_next: str = ""  # where the log-in form sends the person afterwards (a local path, or '' for the dashboard)

    def clear_form_error(self):
        self.form_error = ""

    def prepare_login(self):
        """on_load of /login: the page a guard sent the person from, and what went wrong on the last try."""
        query = self.router.url.query_parameters
        self.login_next = links.local_path(query.get("next", ""), "")
        self.form_error = form_error_message(query)

    def prepare_signup(self):
        """The landing page links to /signup?role=mentor; preselect that choice. And what went wrong last time."""
        query = self.router.url.query_parameters
        self.form_error = form_error_message(query)
        wanted = query.get("role", "")
        self.signup_role = (
            wanted if wanted in (UserRole.LEARNER.value, UserRole.MENTOR.value) else UserRole.LEARNER.value
        )

    @rx.event
    def set_signup_role(self, value: str):
        self.signup_role = value
