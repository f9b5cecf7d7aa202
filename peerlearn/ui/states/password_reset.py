"""Forgot password: ask for a link by email, then choose a new password with the link's token.

Both steps call the same domain functions as the REST API (`peerlearn/accounts/password_reset.py`); asking for
a link shows the same message whether or not the email has an account.
"""

from __future__ import annotations

import reflex as rx
from pydantic import ValidationError as PydanticValidationError

from peerlearn.accounts import password_reset
from peerlearn.db import session_scope
from peerlearn.models.users import PasswordResetConfirm, PasswordResetRequest
from peerlearn.platform.errors import ServiceError
from peerlearn.ui import routes
from peerlearn.ui.states.auth import AuthState, first_error

SENT_MESSAGE = "If an account uses this email, a link to choose a new password is on its way. It works once."


class PasswordResetState(AuthState):
    reset_notice: str = ""

    def clear_reset(self):
        self.form_error, self.reset_notice = "", ""

    def submit_reset_request(self, form: dict):
        self.clear_reset()
        try:
            data = PasswordResetRequest(email=form.get("email", "").strip())
            with session_scope() as db:
                password_reset.request_password_reset(data.email, client=self._client(), db=db)
        except PydanticValidationError as error:
            self.form_error = first_error(error)
            return
        except ServiceError as error:
            self.form_error = error.message
            return
        self.reset_notice = SENT_MESSAGE

    def submit_new_password(self, form: dict):
        self.clear_reset()
        token = self.router.url.query_parameters.get("token", "")
        try:
            data = PasswordResetConfirm(token=token, new_password=form.get("new_password", ""))
            with session_scope() as db:
                password_reset.reset_password(data.token, data.new_password, client=self._client(), db=db)
        except PydanticValidationError as error:
            self.form_error = first_error(error)
            return
        except ServiceError as error:
            self.form_error = error.message
            return
        self._forget()
        return [rx.toast.success("Password changed. Log in with the new one."), rx.redirect(routes.LOGIN)]
