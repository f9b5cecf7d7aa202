"""Log-in, sign-up and log-out forms (mixed into AuthState, so every page can reach them).

A successful log-in or sign-up remembers the viewer and sets the login cookie; the token itself is issued and
checked by the accounts service in one transaction off the event loop.
"""

from __future__ import annotations

import reflex as rx
from pydantic import ValidationError as PydanticValidationError

from peerlearn.accounts import actions as accounts
from peerlearn.accounts.queries import Viewer, viewer_for_token
from peerlearn.db import read_scope, session_scope
from peerlearn.models.enums import UserRole
from peerlearn.models.types import saved_id
from peerlearn.models.users import UserCreate
from peerlearn.platform.errors import ServiceError
from peerlearn.platform.timefmt import valid_zone
from peerlearn.ui import routes
from peerlearn.ui.forms import first_error
from peerlearn.ui.offload import run_blocking


class AccountForms(rx.State, mixin=True):
    form_error: str = ""
    signup_role: str = UserRole.LEARNER.value

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

    async def submit_login(self, form: dict):
        self.form_error = ""
        email, password, client = form.get("email", ""), form.get("password", ""), self._client()

        def log_in() -> tuple[Viewer, str]:
            with read_scope() as db:  # the slow password check holds no write lock
                user_id = saved_id(accounts.check_password(email, password, client=client, db=db))
            with session_scope() as db:
                _, token = accounts.finish_log_in(user_id, client=client, db=db)
                return viewer_for_token(token, db=db), token

        try:
            viewer, token = await run_blocking(log_in)
        except ServiceError as error:
            self.form_error = error.message
            return
        self._remember(viewer, token)
        return rx.redirect(self._next_path())

    async def submit_signup(self, form: dict):
        self.form_error = ""
        try:
            data = UserCreate(
                email=form.get("email", "").strip(),
                password=form.get("password", ""),
                full_name=form.get("full_name", ""),
                role=self.signup_role,
                timezone=valid_zone(form.get("timezone") or self.signup_timezone),  # type: ignore[attr-defined]
            )
        except PydanticValidationError as error:
            self.form_error = first_error(error)
            return

        def sign_up() -> tuple[Viewer, str]:
            password_hash = accounts.hash_new_password(data)  # slow: before the write transaction
            with session_scope() as db:
                token = accounts.issue_token(accounts.register_user(data, db=db, password_hash=password_hash), db=db)
                return viewer_for_token(token, db=db), token

        try:
            viewer, token = await run_blocking(sign_up)
        except ServiceError as error:
            self.form_error = error.message
            return
        self._remember(viewer, token)
        return rx.redirect(routes.PROFILE)

    async def log_out(self):
        token = self.auth_token

        def revoke() -> None:
            with session_scope() as db:
                accounts.log_out(token, db=db)

        await run_blocking(revoke)
        self._forget()
        return rx.redirect(routes.HOME)
