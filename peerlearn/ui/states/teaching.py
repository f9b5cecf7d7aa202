"""The mentor's desk: their sessions, a two-week calendar, earnings, reviews to answer and bookings to approve.

The session editor is `session_editor.py`; one session's management is `manage_session.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import reflex as rx
from sqlmodel import Session

from peerlearn.billing.earnings import mentor_balances
from peerlearn.billing.payouts import payout_history, request_payout
from peerlearn.booking import actions as booking_service
from peerlearn.booking.reviews import reply_to_review, session_reviews
from peerlearn.catalog import actions as session_service
from peerlearn.models import User
from peerlearn.models.enums import BookingStatus
from peerlearn.models.types import utcnow
from peerlearn.ui.format.catalog import review_items
from peerlearn.ui.format.teaching import average_rating, earning_rows, mentor_session_row, payout_rows, two_weeks
from peerlearn.ui.forms import FormError, price_to_minor
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.views import Approval, CalendarDay, EarningRow, MentorSessionRow, PayoutRow, ReviewItem

PAST_SHOWN = 20


@dataclass
class _Desk:
    """What the mentor's page shows, read in one transaction."""

    upcoming: list[MentorSessionRow]
    past: list[MentorSessionRow]
    calendar: list[CalendarDay]
    earnings: list[EarningRow]
    payouts: list[PayoutRow]
    reviews: list[ReviewItem]
    rating: str
    approvals: list[Approval]


def _read_desk(mentor: User, tz: str, db: Session) -> _Desk:
    now = utcnow()
    rows = session_service.mentor_sessions(mentor, db=db)
    upcoming = [s for s in rows if s.end_at >= now]
    reviews = session_reviews(mentor.id, db=db, limit=10)
    return _Desk(
        upcoming=[mentor_session_row(s, tz) for s in upcoming],
        past=[mentor_session_row(s, tz) for s in reversed(rows) if s.end_at < now][:PAST_SHOWN],
        calendar=two_weeks(rows, tz, now),
        earnings=earning_rows(mentor_balances(mentor.id, db=db)),
        payouts=payout_rows(payout_history(mentor.id, db=db), tz),
        reviews=review_items(reviews),
        rating=average_rating([r.rating for r in reviews]),
        approvals=[
            Approval(str(p["booking_id"]), p["learner"], s.title)
            for s in upcoming
            for p in booking_service.session_participants(mentor, s.id, db=db)
            if p["status"] == BookingStatus.PENDING_APPROVAL.value
        ],
    )


class TeachingState(AuthState):
    timezone: str = "UTC"
    upcoming: list[MentorSessionRow] = []
    past: list[MentorSessionRow] = []
    earnings: list[EarningRow] = []
    payouts: list[PayoutRow] = []
    reviews: list[ReviewItem] = []
    approvals: list[Approval] = []
    rating: str = "New"
    calendar: list[CalendarDay] = []

    async def load_teaching(self):
        if not self.user_id:
            return
        self.timezone = tz = self.viewer_timezone
        desk = await self._as_user(lambda mentor, db: _read_desk(mentor, tz, db))
        self.upcoming, self.past, self.calendar, self.payouts = desk.upcoming, desk.past, desk.calendar, desk.payouts
        self.earnings, self.reviews, self.rating, self.approvals = (
            desk.earnings,
            desk.reviews,
            desk.rating,
            desk.approvals,
        )

    async def _act(self, action: Callable[[User, Session], object], success: str):
        return await self._perform(action, success, self.load_teaching)

    async def decide(self, booking_id: str, accept: bool):
        return await self._act(
            lambda user, db: booking_service.decide_booking(user, int(booking_id), accept, db=db),
            "Accepted." if accept else "Declined; the learner is refunded.",
        )

    async def reply(self, form: dict):
        return await self._act(
            lambda user, db: reply_to_review(user, int(form.get("review_id", 0)), form.get("reply", ""), db=db),
            "Reply posted.",
        )

    async def ask_payout(self, form: dict):
        """Pay out the amount typed (all that is available when left empty) in the row's currency."""
        currency, typed = str(form.get("currency", "USD")), str(form.get("amount", "")).strip()
        try:
            amount = price_to_minor(typed, currency) if typed else None
        except FormError as error:
            return rx.toast.error(str(error))
        return await self._act(
            lambda user, db: request_payout(user, currency, amount, db=db),
            "Payout requested. It is on its way with the next payout run.",
        )
