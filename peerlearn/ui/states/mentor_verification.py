"""The teaching desk's verification card: where the mentor's verification stands, and asking for it."""

from __future__ import annotations

import reflex as rx

from peerlearn.accounts.verification import request_verification, verification_of
from peerlearn.platform.errors import ServiceError
from peerlearn.ui.format.teaching import verification_message
from peerlearn.ui.states.auth import AuthState


class MentorVerificationState(AuthState):
    verification_message: str = ""
    can_ask: bool = False  # nothing waits and they are not verified: the form shows
    verification_status: str = ""  # "unverified", "pending", "verified", "rejected"

    async def load_verification(self):
        if not self.user_id:
            return
        tz = self.viewer_timezone
        try:
            v = await self._as_user(lambda mentor, db: verification_of(mentor, db=db))
        except ServiceError:
            self.verification_message, self.can_ask, self.verification_status = "", False, ""
            return
        self.verification_message, self.can_ask = verification_message(v, tz)
        self.verification_status = v.status.value

    async def ask_verification(self, form: dict):
        note = str(form.get("note", ""))
        return await self._perform(
            lambda mentor, db: request_verification(mentor, note, db=db),
            "Asked. An admin will check your profile; you'll get a notification when they decide.",
            self.load_verification,
        )

    @rx.var
    def verified(self) -> bool:
        return self.verification_status == "verified"
