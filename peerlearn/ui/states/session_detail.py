"""The session page: details, mentor card, my booking, book / wait / cancel."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx
from sqlmodel import Session

from peerlearn.booking import actions as booking_service
from peerlearn.booking.queries import active_booking
from peerlearn.booking.reviews import session_reviews
from peerlearn.booking.rules import describe_refund_policy
from peerlearn.booking.waitlist import join_waitlist, waitlist_position
from peerlearn.catalog.actions import visible_session
from peerlearn.catalog.public import to_public
from peerlearn.catalog.similar import similar_sessions
from peerlearn.live import room as live_room
from peerlearn.models import User
from peerlearn.money import format_money
from peerlearn.platform.errors import AuthenticationError, NotFoundError, ServiceError
from peerlearn.platform.timefmt import format_local
from peerlearn.ui.states.auth import AuthState


def last_path_segment(path: str) -> int:
    tail = path.rstrip("/").rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


@dataclass
class _Detail:
    """Everything the session page shows, read in one transaction."""

    session: dict[str, str]
    skills: list[str]
    spots_left: int
    reviews: list[dict[str, str]]
    similar: list[dict[str, str]]
    my_booking_id: int = 0
    my_booking_status: str = ""
    waitlist_place: int = 0
    recordings: list[dict[str, str]] = field(default_factory=list)
    chat_log: list[dict[str, str]] = field(default_factory=list)


def _read_detail(session_id: int, viewer_id: int, tz: str, db: Session) -> _Detail | None:
    try:
        public = to_public([visible_session(session_id, viewer_id=viewer_id or None, db=db)], db=db)[0]
    except NotFoundError:
        return None
    detail = _Detail(
        session={
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
        },
        skills=public.skills,
        spots_left=public.spots_left,
        reviews=[
            {"who": r.learner_name, "rating": "★" * r.rating, "comment": r.comment, "reply": r.reply}
            for r in session_reviews(public.mentor.id, db=db, limit=5)
        ],
        similar=[
            {"id": str(s.id), "title": s.title, "when": format_local(s.start_at, tz)}
            for s in similar_sessions(public.id, db=db)
        ],
    )
    viewer = db.get(User, viewer_id) if viewer_id else None
    if viewer is None:
        return detail
    mine = active_booking(public.id, viewer.id, db=db)
    if mine is not None:
        detail.my_booking_id, detail.my_booking_status = mine.id, mine.status.value
    detail.waitlist_place = waitlist_position(public.id, viewer.id, db=db) or 0
    record = live_room.room_record(viewer, public.id, db=db)
    if record is not None:
        detail.recordings = [
            {
                "id": str(r.id),
                "when": format_local(r.started_at, tz),
                "minutes": str(r.minutes),
                "url": r.url,
                "download": r.download_url,
            }
            for r in record.recordings
        ]
        detail.chat_log = [
            {"author": m.author, "body": m.body, "at": format_local(m.created_at, tz)} for m in record.chat
        ]
    return detail


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

    async def load_detail(self):
        self.message, self.coupon = "", ""
        await self._load()

    async def _load(self) -> None:
        session_id, viewer_id, tz = last_path_segment(self.router.url.path), self.user_id, self.viewer_timezone
        detail = await self._read(lambda db: _read_detail(session_id, viewer_id, tz, db))
        self.found = detail is not None
        if detail is None:
            return
        self.session, self.skills, self.spots_left = detail.session, detail.skills, detail.spots_left
        self.reviews, self.similar = detail.reviews, detail.similar
        self.my_booking_id, self.my_booking_status = detail.my_booking_id, detail.my_booking_status
        self.waitlist_place, self.recordings, self.chat_log = detail.waitlist_place, detail.recordings, detail.chat_log

    def _login_again(self):
        return rx.redirect(f"/login?next=/sessions/{self.session.get('id', '')}")

    async def book(self):
        self.message = ""
        session_id, coupon = int(self.session["id"]), self.coupon or None

        def book(user: User, db: Session) -> str:
            _, payment = booking_service.book_session(user, session_id, coupon_code=coupon, db=db)
            return payment.checkout_url if payment else ""

        try:
            checkout_url = await self._as_user(book, write=True)
        except AuthenticationError:
            return self._login_again()
        except ServiceError as error:
            await self._load()  # someone may have taken the last seat: show what is true now
            self.message = error.message
            return rx.toast.error(error.message)
        if checkout_url:
            return rx.redirect(checkout_url)  # hosted checkout: same tab, other host or ours
        await self._load()
        return rx.toast.success("Booked! It is on your dashboard.")

    async def wait_for_seat(self):
        session_id = int(self.session["id"])
        try:
            await self._as_user(lambda user, db: join_waitlist(user, session_id, db=db), write=True)
        except AuthenticationError:
            return self._login_again()
        except ServiceError as error:
            return rx.toast.error(error.message)
        await self._load()
        return rx.toast.success("You are on the waitlist. We will tell you when a seat frees up.")

    async def cancel_my_booking(self):
        booking_id = self.my_booking_id
        try:
            _, refunded = await self._as_user(
                lambda user, db: booking_service.cancel_booking(user, booking_id, db=db), write=True
            )
        except AuthenticationError:
            return rx.redirect("/login")
        except ServiceError as error:
            await self._load()
            return rx.toast.error(error.message)
        await self._load()
        return rx.toast.success("Booking cancelled." + (" Your refund is on its way." if refunded else ""))
