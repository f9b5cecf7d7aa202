"""'Become a mentor' for someone already logged in: add teaching to the account they have, not a new account."""

from __future__ import annotations

import reflex as rx
from pydantic import ValidationError as PydanticValidationError

from peerlearn.accounts import actions as accounts
from peerlearn.models.enums import UserRole
from peerlearn.models.users import MentorProfileCreate
from peerlearn.platform.errors import AuthenticationError, ErrorCode, ServiceError
from peerlearn.ui import routes
from peerlearn.ui.states.auth import AuthState

HEADLINE_HELP = "Write a headline of 3 to 200 characters, e.g. 'Data engineer, 6 years of Python'."


class BecomeMentorState(AuthState):
    become_error: str = ""

    def prepare_become_mentor(self):
        """on_load of /signup, after the guard: a logged-in mentor goes to their desk, a logged-in learner who did
        not ask to teach to their dashboard; a learner who did ask sees the short form instead of a new account."""
        self.become_error = ""
        if not self.user_id:
            return None
        if UserRole.MENTOR.value in self.roles:
            return rx.redirect(routes.TEACH)
        if self.router.url.query_parameters.get("role", "") != UserRole.MENTOR.value:
            return rx.redirect(routes.DASHBOARD)
        return None

    async def submit_become_mentor(self, form: dict):
        try:
            data = MentorProfileCreate(
                headline=str(form.get("headline", "")),
                expertise=[s for s in str(form.get("expertise", "")).split(",") if s.strip()],
            )
        except PydanticValidationError as error:
            field = str(error.errors()[0]["loc"][0]) if error.errors() and error.errors()[0]["loc"] else ""
            self.become_error = HEADLINE_HELP if field == "headline" else "List at most 20 skills, separated by commas."
            return None
        try:
            await self._as_user(lambda user, db: accounts.become_mentor(user, data, db=db), write=True)
        except AuthenticationError:
            return rx.redirect(f"{routes.LOGIN}?next={routes.SIGNUP}?role=mentor")
        except ServiceError as error:
            if error.code != ErrorCode.ALREADY_MENTOR:
                self.become_error = error.message
                return None
        self.become_error = ""
        return [rx.redirect(routes.TEACH), rx.toast.success("You can teach now. Create your first session.")]
