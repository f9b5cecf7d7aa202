"""Who is using this browser: log-in, sign-up, log-out and the role guards.

The login token lives in a cookie; every handler that does something on a
person's behalf resolves it again on the server, so hiding a button is never
the only guard.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import reflex as rx
from pydantic import ValidationError as PydanticValidationError
from sqlmodel import Session

from peerlearn.accounts import actions as accounts
from peerlearn.accounts.queries import Viewer, viewer_for_token
from peerlearn.db import read_scope, session_scope
from peerlearn.models import User
from peerlearn.models.enums import UserRole
from peerlearn.models.users import UserCreate
from peerlearn.platform.errors import AuthenticationError, ServiceError
from peerlearn.ui import routes
from peerlearn.ui.offload import run_blocking

TOKEN_MAX_AGE = 14 * 24 * 3600
T = TypeVar("T")
Reload = Callable[[], Awaitable[object]]


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
    viewer_timezone: str = "UTC"
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

    async def _read(self, work: Callable[[Session], T]) -> T:
        """`work(db)` in a read-only transaction, off the event loop."""

        def run() -> T:
            with read_scope() as db:
                return work(db)

        return await run_blocking(run)

    async def _as_user(self, work: Callable[[User, Session], T], *, write: bool = False) -> T:
        """`work(user, db)` for the signed-in user, in one transaction off the event loop."""
        token = self.auth_token

        def run() -> T:
            with session_scope() if write else read_scope() as db:
                return work(accounts.user_for_token(token, db=db), db)

        return await run_blocking(run)

    async def _perform(self, action: Callable[[User, Session], object], success: str, reload: Reload):
        """Run `action(user, db)` for the signed-in user in one transaction; a refusal becomes a toast.
        Whatever happened, the page then reloads what is true now."""
        try:
            await self._as_user(action, write=True)
        except AuthenticationError:
            return rx.redirect(f"{routes.LOGIN}?next={self.router.url.path}")
        except ServiceError as error:
            await reload()
            return rx.toast.error(error.message)
        await reload()
        return rx.toast.success(success)

    def _remember(self, viewer: Viewer, token: str | None = None) -> None:
        if token is not None:
            self.auth_token = token
        self.user_id, self.user_name, self.user_email = viewer.id, viewer.full_name, viewer.email
        self.roles = [role.value for role in viewer.roles]
        self.viewer_timezone = viewer.timezone

    def _forget(self) -> None:
        self.auth_token = ""
        self.user_id, self.user_name, self.user_email, self.roles = 0, "", "", []
        self.viewer_timezone = "UTC"

    def _next_path(self) -> str:
        target = self.router.url.query_parameters.get("next", "")
        return target if target.startswith("/") and not target.startswith("//") else routes.DASHBOARD

    def _client(self) -> str:
        return self.router.session.client_ip or "unknown"

    async def _recognise(self) -> bool:
        """Know who is here from the login cookie; False (and forgotten) when nobody valid is."""
        token = self.auth_token
        try:
            viewer = await self._read(lambda db: viewer_for_token(token, db=db))
        except AuthenticationError:
            self._forget()
            return False
        self._remember(viewer)
        return True

    async def load_session(self):
        """on_load for public pages: know who is here without forcing a log-in."""
        await self._recognise()

    async def require_login(self):
        if not await self._recognise():
            return rx.redirect(f"{routes.LOGIN}?next={self.router.url.path}")

    async def _require_role(self, role: UserRole):
        redirect = await self.require_login()
        if redirect is not None:
            return redirect
        if role.value not in self.roles:
            return rx.redirect(routes.DENIED)

    async def require_mentor(self):
        return await self._require_role(UserRole.MENTOR)

    async def require_admin(self):
        return await self._require_role(UserRole.ADMIN)

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
                user_id = accounts.check_password(email, password, client=client, db=db).id
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
