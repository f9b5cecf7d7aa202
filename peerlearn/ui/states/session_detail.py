"""The session page: details, mentor card, my booking, book / wait / cancel."""

from __future__ import annotations

import reflex as rx
from sqlmodel import select

from peerlearn.booking import actions as booking_service
from peerlearn.booking.reviews import session_reviews
from peerlearn.booking.rules import SEAT_HOLDING, describe_refund_policy
from peerlearn.booking.waitlist import join_waitlist, waitlist_position
from peerlearn.catalog.actions import visible_session
from peerlearn.catalog.public import to_public
from peerlearn.catalog.similar import similar_sessions
from peerlearn.db import session_scope
from peerlearn.live import room as live_room
from peerlearn.models import Booking, Profile, User
from peerlearn.money import format_money
from peerlearn.platform.errors import AuthenticationError, NotFoundError, ServiceError
from peerlearn.platform.timefmt import format_local
from peerlearn.ui.states.auth import AuthState


def last_path_segment(path: str) -> int:
    tail = path.rstrip("/").rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


class SessionDetailState(AuthState):
    session: dict[str, str] = {}
    skills: list[str] = []
    reviews: list[dict[str, str]] = []
    similar: list[dict[str, str]] = []
    found: bool = True
    spots_left: int = 0
    my_booking_id: int = 0
    my_booking_status: str = ""
    waitlist_place: int = 0
    coupon: str = ""
    message: str = ""
    recordings: list[dict[str, str]] = []
    chat_log: list[dict[str, str]] = []

    @rx.event
    def set_coupon(self, value: str):
        self.coupon = value

    def _viewer_tz(self, db) -> str:  # noqa: ANN001
        profile = db.get(Profile, self.user_id) if self.user_id else None
        return profile.timezone if profile else "UTC"

    def load_detail(self):
        self.message, self.coupon = "", ""
        self._load()

    def _load(self) -> None:
        session_id = last_path_segment(self.router.url.path)
        with session_scope() as db:
            try:
                public = to_public([visible_session(session_id, viewer_id=self.user_id or None, db=db)], db=db)[0]
            except NotFoundError:
                self.found = False
                return
            tz = self._viewer_tz(db)
            self.found, self.skills, self.spots_left = True, public.skills, public.spots_left
            self.session = {
                "id": str(public.id),
                "title": public.title,
                "description": public.description,
                "when": format_local(public.start_at, tz),
                "minutes": str(int((public.end_at - public.start_at).total_seconds() // 60)),
                "price": "Free" if public.price_minor == 0 else format_money(public.price_minor, public.currency),
                "level": public.level.value,
                "language": public.language,
                "category": public.category or "",
                "status": public.status.value,
                "capacity": str(public.capacity),
                "policy": describe_refund_policy(
                    public.refund_policy, public.partial_refund_percent, public.cancellation_cutoff_hours
                ),
                "mentor_name": public.mentor.full_name,
                "mentor_headline": public.mentor.headline,
                "mentor_rating": f"{public.mentor.rating_avg:.1f}" if public.mentor.rating_count else "New",
                "mentor_reviews": str(public.mentor.rating_count),
                "mentor_taught": str(public.mentor.sessions_taught),
                "approval": "yes" if public.requires_approval else "",
            }
            self.reviews = [
                {"who": r.learner_name, "rating": "★" * r.rating, "comment": r.comment, "reply": r.reply}
                for r in session_reviews(public.mentor.id, db=db, limit=5)
            ]
            self.similar = [
                {"id": str(s.id), "title": s.title, "when": format_local(s.start_at, tz)}
                for s in similar_sessions(public.id, db=db)
            ]
            self._load_mine(public.id, db)
            self._load_room_record(public.id, tz, db)

    def _load_room_record(self, session_id: int, tz: str, db) -> None:  # noqa: ANN001
        self.recordings, self.chat_log = [], []
        user = db.get(User, self.user_id) if self.user_id else None
        record = live_room.room_record(user, session_id, db=db) if user else None
        if record is None:
            return
        self.recordings = [
            {
                "id": str(r.id),
                "when": format_local(r.started_at, tz),
                "minutes": str(r.minutes),
                "url": r.url,
                "download": r.download_url,
            }
            for r in record.recordings
        ]
        self.chat_log = [
            {"author": m.author, "body": m.body, "at": format_local(m.created_at, tz)} for m in record.chat
        ]

    def _load_mine(self, session_id: int, db) -> None:  # noqa: ANN001
        self.my_booking_id, self.my_booking_status, self.waitlist_place = 0, "", 0
        if not self.user_id:
            return
        mine = db.exec(
            select(Booking)
            .where(Booking.session_id == session_id, Booking.learner_id == self.user_id)
            .order_by(Booking.id.desc())
        ).first()
        if mine is not None and mine.status in SEAT_HOLDING:
            self.my_booking_id, self.my_booking_status = mine.id, mine.status.value
        self.waitlist_place = waitlist_position(session_id, self.user_id, db=db) or 0

    def book(self):
        self.message = ""
        try:
            with session_scope() as db:
                user = self._current_user(db)
                booking, payment = booking_service.book_session(
                    user, int(self.session["id"]), coupon_code=self.coupon or None, db=db
                )
                checkout_url = payment.checkout_url if payment else ""
        except AuthenticationError:
            return rx.redirect(f"/login?next=/sessions/{self.session.get('id', '')}")
        except ServiceError as error:
            self.message = error.message
            return rx.toast.error(error.message)
        if checkout_url:
            return rx.redirect(checkout_url)  # hosted checkout: same tab, other host or ours
        self._load()
        return rx.toast.success("Booked! It is on your dashboard.")

    def wait_for_seat(self):
        try:
            with session_scope() as db:
                join_waitlist(self._current_user(db), int(self.session["id"]), db=db)
        except AuthenticationError:
            return rx.redirect(f"/login?next=/sessions/{self.session.get('id', '')}")
        except ServiceError as error:
            return rx.toast.error(error.message)
        self._load()
        return rx.toast.success("You are on the waitlist. We will tell you when a seat frees up.")

    def cancel_my_booking(self):
        try:
            with session_scope() as db:
                _, refunded = booking_service.cancel_booking(self._current_user(db), self.my_booking_id, db=db)
        except AuthenticationError:
            return rx.redirect("/login")
        except ServiceError as error:
            return rx.toast.error(error.message)
        self._load()
        return rx.toast.success("Booking cancelled." + (" Your refund is on its way." if refunded else ""))
