"""Who is using this browser: log-in, sign-up, log-out and the role guards.

The login token lives in a cookie; every handler that does something on a
person's behalf resolves it again on the server, so hiding a button is never
the only guard.
"""

from __future__ import annotations

import reflex as rx
from pydantic import ValidationError as PydanticValidationError

from peerlearn.accounts import actions as accounts
from peerlearn.db import session_scope
from peerlearn.models import User
from peerlearn.models.enums import UserRole
from peerlearn.models.users import UserCreate
from peerlearn.platform.errors import AuthenticationError, ServiceError
from peerlearn.ui import routes

TOKEN_MAX_AGE = 14 * 24 * 3600


def first_error(error: PydanticValidationError) -> str:
    item = error.errors()[0]
    field = ".".join(str(p) for p in item["loc"])
    return f"{field.replace('_', ' ').capitalize()}: {item['msg']}"


class AuthState(rx.State):
    auth_token: str = rx.Cookie("", name="peerlearn_token", same_site="lax", max_age=TOKEN_MAX_AGE)
    user_id: int = 0
    user_name: str = ""
    user_email: str = ""
    roles: list[str] = []
    form_error: str = ""
    signup_role: str = UserRole.LEARNER.value

    @rx.var
    def logged_in(self) -> bool:
        return self.user_id > 0

    @rx.var
    def is_mentor(self) -> bool:
        return UserRole.MENTOR.value in self.roles

    @rx.var
    def is_admin(self) -> bool:
        return UserRole.ADMIN.value in self.roles

    def _current_user(self, db) -> User:  # noqa: ANN001
        """The signed-in user, re-checked against the database (raises when the token is bad)."""
        return accounts.user_for_token(self.auth_token, db=db)

    def _perform(self, action, success: str, reload):  # noqa: ANN001
        """Run `action(user, db)` for the signed-in user in one transaction; a refusal becomes a toast."""
        try:
            with session_scope() as db:
                action(self._current_user(db), db)
        except AuthenticationError:
            return rx.redirect(f"{routes.LOGIN}?next={self.router.url.path}")
        except ServiceError as error:
            return rx.toast.error(error.message)
        reload()
        return rx.toast.success(success)

    def _remember(self, user: User, token: str | None = None) -> None:
        if token is not None:
            self.auth_token = token
        self.user_id, self.user_name, self.user_email = user.id, user.full_name, user.email
        self.roles = [role.value for role in user.roles]

    def _forget(self) -> None:
        self.auth_token = ""
        self.user_id, self.user_name, self.user_email, self.roles = 0, "", "", []

    def _next_path(self) -> str:
        target = self.router.url.query_parameters.get("next", "")
        return target if target.startswith("/") and not target.startswith("//") else routes.DASHBOARD

    def _client(self) -> str:
        return self.router.session.client_ip or "unknown"

    def load_session(self):
        """on_load for public pages: know who is here without forcing a log-in."""
        try:
            with session_scope() as db:
                self._remember(self._current_user(db))
        except AuthenticationError:
            self._forget()

    def require_login(self):
        try:
            with session_scope() as db:
                self._remember(self._current_user(db))
        except AuthenticationError:
            self._forget()
            return rx.redirect(f"{routes.LOGIN}?next={self.router.url.path}")

    def _require_role(self, role: UserRole):
        redirect = self.require_login()
        if redirect is not None:
            return redirect
        if role.value not in self.roles:
            return rx.redirect(routes.DENIED)

    def require_mentor(self):
        return self._require_role(UserRole.MENTOR)

    def require_admin(self):
        return self._require_role(UserRole.ADMIN)

    def clear_form_error(self):
        self.form_error = ""

    def prepare_signup(self):
        """The landing page links to /signup?role=mentor; preselect that choice."""
        self.form_error = ""
        wanted = self.router.url.query_parameters.get("role", "")
        self.signup_role = (
            wanted if wanted in (UserRole.LEARNER.value, UserRole.MENTOR.value) else UserRole.LEARNER.value
        )

    @rx.event
    def set_signup_role(self, value: str):
        self.signup_role = value

    def submit_login(self, form: dict):
        self.form_error = ""
        try:
            with session_scope() as db:
                user, token = accounts.log_in(
                    form.get("email", ""), form.get("password", ""), client=self._client(), db=db
                )
        except ServiceError as error:
            self.form_error = error.message
            return
        self._remember(user, token)
        return rx.redirect(self._next_path())

    def submit_signup(self, form: dict):
        self.form_error = ""
        try:
            data = UserCreate(
                email=form.get("email", "").strip(),
                password=form.get("password", ""),
                full_name=form.get("full_name", ""),
                role=self.signup_role,
            )
        except PydanticValidationError as error:
            self.form_error = first_error(error)
            return
        try:
            with session_scope() as db:
                user = accounts.register_user(data, db=db)
                token = accounts.issue_token(user, db=db)
        except ServiceError as error:
            self.form_error = error.message
            return
        self._remember(user, token)
        return rx.redirect(routes.PROFILE)

    def log_out(self):
        with session_scope() as db:
            accounts.log_out(self.auth_token, db=db)
        self._forget()
        return rx.redirect(routes.HOME)
