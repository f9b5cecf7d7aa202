"""Who is using this browser: the viewer, the role guards, and running work as them off the event loop.

The log-in, sign-up and log-out forms are `auth_forms.py`, mixed in here.

The login token lives in an HttpOnly cookie that only the server sets and clears (`peerlearn/api/auth_forms.py`),
so page scripts cannot read it. The browser sends it with the event socket's handshake, and the states read it from
those headers (`_login_token`) whenever they need it: it is never a state var, so no delta carries it to the page.
A log-in or log-out is a full page load, which opens a new socket with the new cookie. Every handler that does
something on a person's behalf resolves the token again on the server, so hiding a button is never the only guard.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import reflex as rx
from sqlmodel import Session

from peerlearn.accounts import actions as accounts
from peerlearn.accounts.queries import Viewer, viewer_for_token
from peerlearn.db import read_scope, session_scope
from peerlearn.login_cookie import token_from_cookie_header
from peerlearn.models import User
from peerlearn.models.enums import UserRole
from peerlearn.platform.errors import AuthenticationError, ServiceError
from peerlearn.ui import routes
from peerlearn.ui.offload import run_blocking
from peerlearn.ui.states.auth_forms import AccountForms
from peerlearn.ui.states.viewer_zone import ViewerZone

T = TypeVar("T")
Reload = Callable[[], Awaitable[object]]


class AuthState(AccountForms, ViewerZone, rx.State):
    user_id: int = 0
    user_name: str = ""
    user_email: str = ""
    roles: list[str] = []

    @rx.var
    def logged_in(self) -> bool:
        return self.user_id > 0

    @rx.var
    def is_mentor(self) -> bool:
        return UserRole.MENTOR.value in self.roles

    @rx.var
    def is_admin(self) -> bool:
        return UserRole.ADMIN.value in self.roles

    def _login_token(self) -> str:
        """The login token from the connection's Cookie header ('' when logged out); server side only."""
        return token_from_cookie_header(self.router.headers.cookie)

    async def _read(self, work: Callable[[Session], T]) -> T:
        """`work(db)` in a read-only transaction, off the event loop."""

        def run() -> T:
            with read_scope() as db:
                return work(db)

        return await run_blocking(run)

    async def _as_user(self, work: Callable[[User, Session], T], *, write: bool = False) -> T:
        """`work(user, db)` for the signed-in user, in one transaction off the event loop."""
        token = self._login_token()

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

    def _remember(self, viewer: Viewer) -> None:
        self.user_id, self.user_name, self.user_email = viewer.id, viewer.full_name, viewer.email
        self.roles = [role.value for role in viewer.roles]
        self.viewer_timezone = self._zone_for(viewer.timezone)

    def _forget(self) -> None:
        self.user_id, self.user_name, self.user_email, self.roles = 0, "", "", []
        self.viewer_timezone = self._visitor_zone()

    def _client(self) -> str:
        return self.router.session.client_ip or "unknown"

    async def _recognise(self) -> bool:
        """Know who is here from the login cookie; False (and forgotten) when nobody valid is."""
        token = self._login_token()
        try:
            viewer = await self._read(lambda db: viewer_for_token(token, db=db))
        except AuthenticationError:
            self._forget()
            return False
        self._remember(viewer)
        return True

    async def load_session(self):
        """on_load for public pages: know who is here without forcing a log-in (and, once, the browser's zone)."""
        await self._recognise()
        return self._detect_zone()

    async def require_login(self):
        if not await self._recognise():
            return rx.redirect(f"{routes.LOGIN}?next={self.router.url.path}")
        return self._detect_zone()

    async def _require_role(self, role: UserRole):
        if not await self._recognise():
            return rx.redirect(f"{routes.LOGIN}?next={self.router.url.path}")
        if role.value not in self.roles:
            return rx.redirect(routes.DENIED)
        return self._detect_zone()

    async def require_mentor(self):
        return await self._require_role(UserRole.MENTOR)

    async def require_admin(self):
        return await self._require_role(UserRole.ADMIN)
