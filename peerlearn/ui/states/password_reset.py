"""Forgot password: ask for a link by email, then choose a new password with the link's token.

Both steps call the same domain functions as the REST API (`peerlearn/accounts/password_reset.py`); asking for
a link shows the same message whether or not the email has an account.
"""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx
from pydantic import ValidationError as PydanticValidationError

from peerlearn.accounts import password_reset
from peerlearn.db import session_scope
from peerlearn.models.users import PasswordResetConfirm, PasswordResetRequest
from peerlearn.platform.errors import ServiceError
from peerlearn.ui import routes
from peerlearn.ui.forms import first_error
from peerlearn.ui.offload import run_blocking
from peerlearn.ui.states.auth import AuthState

SENT_MESSAGE = "If an account uses this email, a link to choose a new password is on its way. It works once."


def _in_transaction(action: Callable[..., object], *args: object, **kwargs: object) -> None:
    with session_scope() as db:
        action(*args, db=db, **kwargs)


class PasswordResetState(AuthState):
    reset_notice: str = ""

    def clear_reset(self):
        self.form_error, self.reset_notice = "", ""

    async def submit_reset_request(self, form: dict):
        self.clear_reset()
        client = self._client()
        try:
            data = PasswordResetRequest(email=form.get("email", "").strip())
            await run_blocking(_in_transaction, password_reset.request_password_reset, data.email, client=client)
        except PydanticValidationError as error:
            self.form_error = first_error(error)
            return
        except ServiceError as error:
            self.form_error = error.message
            return
        self.reset_notice = SENT_MESSAGE

    async def submit_new_password(self, form: dict):
        self.clear_reset()
        token, client = self.router.url.query_parameters.get("token", ""), self._client()
        try:
            data = PasswordResetConfirm(token=token, new_password=form.get("new_password", ""))
            await run_blocking(
                _in_transaction, password_reset.reset_password, data.token, data.new_password, client=client
            )
        except PydanticValidationError as error:
            self.form_error = first_error(error)
            return
        except ServiceError as error:
            self.form_error = error.message
            return
        self._forget()
        return [rx.toast.success("Password changed. Log in with the new one."), rx.redirect(routes.LOGIN)]
