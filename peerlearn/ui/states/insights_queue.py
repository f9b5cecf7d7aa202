"""The admin's queue on the dashboard: mentors waiting to be verified and mentors' payout requests to pay.

The decisions are the domain's (`accounts.decide_verification`, `billing.payouts.approve_payout`); rejecting a
mentor and marking a payout paid ask first. Each action runs as the signed-in admin in one transaction off the
event loop (`_perform`).
"""

from __future__ import annotations

import reflex as rx
from sqlmodel import Session

from peerlearn.accounts.actions import decide_verification, require_role
from peerlearn.accounts.queries import mentors_to_verify
from peerlearn.billing.payouts import approve_payout, payouts_to_approve
from peerlearn.models import User
from peerlearn.models.enums import UserRole
from peerlearn.platform.errors import ServiceError
from peerlearn.ui.format import insights as fmt
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.views import MentorToVerifyRow, PayoutRequestRow

SHOWN = 8  # the dashboard's figures stay near the top, even on a phone


def _read_queue(user: User, tz: str, db: Session) -> tuple[list[MentorToVerifyRow], list[PayoutRequestRow]]:
    require_role(user, UserRole.ADMIN)
    mentors = fmt.mentor_rows(mentors_to_verify(db=db, limit=SHOWN + 1), tz)
    return mentors, fmt.payout_request_rows(payouts_to_approve(db=db, limit=SHOWN), tz)


class InsightsQueueState(AuthState):
    mentors: list[MentorToVerifyRow] = []
    more_mentors: bool = False  # more are waiting than are shown
    payouts: list[PayoutRequestRow] = []
    reject_id: int = 0  # the mentor whose rejection waits for a confirmation (0: none)
    reject_name: str = ""
    pay_id: int = 0  # the payout request whose "Mark paid" waits for a confirmation (0: none)
    pay_statement: str = ""  # "$30.00 to Earner: mark it paid only once the money has been sent."

    async def load_queue(self):
        if not self.user_id:
            return
        tz = self.viewer_timezone
        try:
            mentors, self.payouts = await self._as_user(lambda user, db: _read_queue(user, tz, db))
        except ServiceError:
            self.mentors, self.payouts = [], []
            return
        self.mentors, self.more_mentors = mentors[:SHOWN], len(mentors) > SHOWN

    @rx.event
    async def verify(self, mentor_id: int):
        return await self._perform(
            lambda admin, db: decide_verification(admin, mentor_id, True, db=db), "Mentor verified.", self.load_queue
        )

    @rx.event
    def ask_reject(self, mentor_id: int, name: str):
        self.reject_id, self.reject_name = mentor_id, name

    @rx.event
    def keep_mentor(self, _open: bool = False):
        self.reject_id, self.reject_name = 0, ""

    @rx.event
    async def reject(self):
        mentor_id, self.reject_id = self.reject_id, 0
        return await self._perform(
            lambda admin, db: decide_verification(admin, mentor_id, False, db=db), "Mentor rejected.", self.load_queue
        )

    @rx.event
    def ask_pay(self, payout_id: int, mentor: str, amount: str):
        self.pay_id, self.pay_statement = payout_id, fmt.mark_paid_statement(mentor, amount)

    @rx.event
    def keep_payout(self, _open: bool = False):
        self.pay_id, self.pay_statement = 0, ""

    @rx.event
    async def pay(self):
        payout_id = self.pay_id
        self.keep_payout()
        if not payout_id:
            return None
        return await self._perform(
            lambda admin, db: approve_payout(admin, payout_id, db=db), "Payout marked paid.", self.load_queue
        )
