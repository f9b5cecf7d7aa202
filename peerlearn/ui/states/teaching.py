"""Mentors' pages: their sessions and earnings, the session editor, and one session's management."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import reflex as rx
from pydantic import ValidationError as PydanticValidationError
from sqlmodel import Session

from peerlearn.billing.earnings import mentor_balances
from peerlearn.booking import actions as booking_service
from peerlearn.booking.reviews import reply_to_review, session_reviews
from peerlearn.catalog import actions as session_service
from peerlearn.insights import advice as session_advice
from peerlearn.live import room as live_room
from peerlearn.models import LearningSession, User
from peerlearn.models.catalog import LearningSessionCreate, Recurrence
from peerlearn.models.enums import BookingStatus
from peerlearn.models.types import utcnow
from peerlearn.money import format_money
from peerlearn.platform.errors import AuthenticationError, ServiceError
from peerlearn.platform.timefmt import format_local
from peerlearn.ui.forms import FormError, local_to_utc, price_to_minor, skill_list, whole_number
from peerlearn.ui.states.auth import AuthState, first_error
from peerlearn.ui.states.session_detail import last_path_segment


def _two_weeks(sessions: list[LearningSession], tz_name: str, now) -> list[dict[str, str]]:  # noqa: ANN001
    """The next 14 days in the mentor's time zone, each with its sessions' local start times and titles."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz_name)
    today = now.astimezone(zone).date()
    days = [today + timedelta(days=i) for i in range(14)]
    cells = {day: [] for day in days}
    for session in sessions:
        local = session.start_at.astimezone(zone)
        if local.date() in cells and session.status.value != "cancelled":
            cells[local.date()].append(f"{local:%H:%M} {session.title} ({session.seats_taken}/{session.capacity})")
    return [
        {"day": f"{day:%a %d %b}", "items": "\n".join(cells[day]), "busy": "yes" if cells[day] else ""} for day in days
    ]


def _session_row(session: LearningSession, tz: str) -> dict[str, str]:
    return {
        "id": str(session.id),
        "title": session.title,
        "when": format_local(session.start_at, tz),
        "status": session.status.value,
        "booked": f"{session.seats_taken}/{session.capacity}",
        "fill": f"{100 * session.seats_taken // session.capacity}%",
        "price": "Free" if session.price_minor == 0 else format_money(session.price_minor, session.currency),
    }


@dataclass
class _Desk:
    """What the mentor's page shows, read in one transaction."""

    upcoming: list[dict[str, str]]
    past: list[dict[str, str]]
    calendar: list[dict[str, str]]
    earnings: list[dict[str, str]]
    reviews: list[dict[str, str]]
    rating: str
    approvals: list[dict[str, str]]


def _read_desk(mentor: User, tz: str, db: Session) -> _Desk:
    now = utcnow()
    rows = session_service.mentor_sessions(mentor, db=db)
    upcoming = [s for s in rows if s.end_at >= now]
    reviews = session_reviews(mentor.id, db=db, limit=10)
    return _Desk(
        upcoming=[_session_row(s, tz) for s in upcoming],
        past=[_session_row(s, tz) for s in reversed(rows) if s.end_at < now][:20],
        calendar=_two_weeks(rows, tz, now),
        earnings=[
            {
                "currency": b.currency,
                "pending": format_money(b.pending_minor, b.currency),
                "available": format_money(b.available_minor, b.currency),
                "paid": format_money(b.paid_out_minor, b.currency),
            }
            for b in mentor_balances(mentor.id, db=db)
        ],
        reviews=[
            {"id": str(r.id), "who": r.learner_name, "rating": "★" * r.rating, "comment": r.comment, "reply": r.reply}
            for r in reviews
        ],
        rating=f"{sum(r.rating for r in reviews) / len(reviews):.1f}" if reviews else "New",
        approvals=[
            {"booking_id": str(p["booking_id"]), "learner": p["learner"], "title": s.title}
            for s in upcoming
            for p in booking_service.session_participants(mentor, s.id, db=db)
            if p["status"] == BookingStatus.PENDING_APPROVAL.value
        ],
    )


class TeachingState(AuthState):
    timezone: str = "UTC"
    upcoming: list[dict[str, str]] = []
    past: list[dict[str, str]] = []
    earnings: list[dict[str, str]] = []
    reviews: list[dict[str, str]] = []
    approvals: list[dict[str, str]] = []
    rating: str = "New"
    editor_error: str = ""
    advice: list[str] = []
    calendar: list[dict[str, str]] = []

    async def load_teaching(self):
        if not self.user_id:
            return
        self.timezone = tz = self.viewer_timezone
        desk = await self._as_user(lambda mentor, db: _read_desk(mentor, tz, db))
        self.upcoming, self.past, self.calendar = desk.upcoming, desk.past, desk.calendar
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

    async def get_advice(self, form: dict):
        """Price range from comparable sessions and the chance of a good outcome, before publishing."""
        currency = (form.get("currency") or "USD").upper()
        try:
            price = price_to_minor(form.get("price", "0"), currency)
            capacity = whole_number(form.get("capacity", "1") or "1", "Seats", low=1, high=500)
        except FormError as error:
            self.advice = [str(error)]
            return
        skills = skill_list(form.get("skills", ""))

        def advise(mentor: User, db: Session) -> list[str]:
            suggestion = session_advice.suggest_price(skills, currency, db=db)
            hint = session_advice.session_success_hint(mentor.id, price, capacity, utcnow() + timedelta(days=7), db=db)
            return [suggestion.reason, hint.reason]

        self.advice = await self._as_user(advise)

    async def submit_session(self, form: dict):
        self.editor_error = ""
        try:
            data = self._session_input(form)
        except FormError as error:
            self.editor_error = str(error)
            return
        except PydanticValidationError as error:
            self.editor_error = first_error(error)
            return
        try:
            first_id = await self._as_user(
                lambda mentor, db: session_service.create_sessions(mentor, data, db=db)[0].id, write=True
            )
        except AuthenticationError:
            return rx.redirect("/login?next=/teach/new")
        except ServiceError as error:
            self.editor_error = error.message
            return
        return rx.redirect(f"/teach/sessions/{first_id}")

    def _session_input(self, form: dict) -> LearningSessionCreate:
        currency = (form.get("currency") or "USD").upper()
        start = local_to_utc(form.get("date", ""), form.get("time", ""), self.viewer_timezone)
        minutes = whole_number(form.get("minutes", "60"), "Duration", low=15, high=720)
        repeat = whole_number(form.get("weeks", "1") or "1", "Weeks", low=1, high=52)
        return LearningSessionCreate(
            title=form.get("title", ""),
            description=form.get("description", ""),
            skills=skill_list(form.get("skills", "")),
            category=form.get("category") or None,
            level=form.get("level") or "beginner",
            language=form.get("language") or "English",
            start_at=start,
            end_at=start + timedelta(minutes=minutes),
            capacity=whole_number(form.get("capacity", "1"), "Capacity", low=1, high=500),
            price_minor=price_to_minor(form.get("price", "0"), currency),
            currency=currency,
            min_notice_minutes=whole_number(form.get("notice", "60") or "0", "Booking notice", low=0, high=43200),
            cancellation_cutoff_hours=whole_number(
                form.get("cutoff", "24") or "0", "Cancellation cut-off", low=0, high=720
            ),
            refund_policy=form.get("refund_policy") or "full",
            partial_refund_percent=whole_number(
                form.get("partial_percent", "50") or "50", "Partial refund", low=0, high=100
            ),
            requires_approval=form.get("requires_approval") == "on",
            buffer_minutes=whole_number(form.get("buffer", "0") or "0", "Buffer", low=0, high=240),
            recurrence=Recurrence(count=repeat) if repeat > 1 else None,
            status="draft" if form.get("draft") == "on" else "published",
        )


def _read_managed(
    mentor: User, session_id: int, tz: str, db: Session
) -> tuple[dict[str, str], list[dict[str, str]], bool, bool]:
    session = session_service.owned_session(mentor, session_id, db=db)
    info = {
        "title": session.title,
        "when": format_local(session.start_at, tz),
        "status": session.status.value,
        "booked": f"{session.seats_taken}/{session.capacity}",
        "price": "Free" if session.price_minor == 0 else format_money(session.price_minor, session.currency),
    }
    people = [
        {k: str(v) if v is not None else "" for k, v in p.items()}
        for p in booking_service.session_participants(mentor, session_id, db=db)
    ]
    now = utcnow()
    return info, people, session.start_at <= now, session.end_at <= now


class ManageSessionState(TeachingState):
    session_id: int = 0
    info: dict[str, str] = {}
    people: list[dict[str, str]] = []
    started: bool = False
    ended: bool = False

    async def load_manage(self):
        if not self.user_id:
            return
        self.session_id = session_id = last_path_segment(self.router.url.path)
        tz = self.viewer_timezone
        try:
            self.info, self.people, self.started, self.ended = await self._as_user(
                lambda mentor, db: _read_managed(mentor, session_id, tz, db)
            )
        except ServiceError:
            self.info = {"title": "Session not found", "status": "", "when": "", "booked": "", "price": ""}
            self.people = []

    async def _manage(self, action: Callable[[User, Session], object], success: str):
        return await self._perform(action, success, self.load_manage)

    async def publish(self):
        session_id = self.session_id
        return await self._manage(lambda m, db: session_service.publish_session(m, session_id, db=db), "Published.")

    async def unpublish(self):
        session_id = self.session_id
        return await self._manage(
            lambda m, db: session_service.unpublish_session(m, session_id, db=db), "Back to draft."
        )

    async def cancel(self, form: dict):
        session_id = self.session_id
        return await self._manage(
            lambda m, db: session_service.cancel_session(m, session_id, reason=form.get("reason", ""), db=db),
            "Cancelled. Every learner is refunded in full and has been told.",
        )

    async def complete(self):
        session_id = self.session_id
        return await self._manage(
            lambda m, db: session_service.complete_session(m, session_id, db=db), "Marked completed."
        )

    async def apply_room_attendance(self):
        """Mark attendance from who actually connected to the live room (never connected -> no-show)."""
        session_id = self.session_id

        def apply(mentor: User, db: Session) -> None:
            proposal = live_room.attendance_proposal(mentor, session_id, db=db)
            for booking_id in proposal["attended_booking_ids"]:
                session_service.mark_attendance(mentor, booking_id, True, db=db)
            for booking_id in proposal["no_show_booking_ids"]:
                session_service.mark_attendance(mentor, booking_id, False, db=db)

        return await self._manage(apply, "Attendance taken from the live room's connections.")

    async def mark(self, booking_id: str, attended: bool):
        return await self._manage(
            lambda m, db: session_service.mark_attendance(m, int(booking_id), attended, db=db), "Attendance saved."
        )
