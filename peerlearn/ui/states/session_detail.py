"""The session page: details, mentor card, my booking, book / wait / cancel."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from peerlearn.booking.queries import active_booking
from peerlearn.booking.reviews import session_reviews
from peerlearn.booking.waitlist import waitlist_position
from peerlearn.catalog.actions import visible_session
from peerlearn.catalog.public import to_public
from peerlearn.catalog.similar import similar_sessions
from peerlearn.live import room as live_room
from peerlearn.models import User
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import NotFoundError, ServiceError
from peerlearn.platform.timefmt import format_local
from peerlearn.ui.format.catalog import chat_log, recording_items, review_items, session_facts
from peerlearn.ui.format.live import door_entry
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.session_booking import SessionBooking
from peerlearn.ui.views import ChatLine, RecordingItem, ReviewItem, RoomEntry, SessionFacts, SessionLink


def last_path_segment(path: str) -> int:
    tail = path.rstrip("/").rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


@dataclass
class _Detail:
    """Everything the session page shows, read in one transaction."""

    session: SessionFacts
    skills: list[str]
    spots_left: int
    reviews: list[ReviewItem]
    similar: list[SessionLink]
    my_booking_id: int = 0
    my_booking_status: str = ""
    waitlist_place: int = 0
    recordings: list[RecordingItem] = field(default_factory=list)
    chat_log: list[ChatLine] = field(default_factory=list)
    room: RoomEntry = field(default_factory=RoomEntry)


def _read_detail(session_id: int, viewer_id: int, tz: str, db: Session) -> _Detail | None:
    try:
        public = to_public([visible_session(session_id, viewer_id=viewer_id or None, db=db)], db=db)[0]
    except NotFoundError:
        return None
    detail = _Detail(
        session=session_facts(public, tz),
        skills=public.skills,
        spots_left=public.spots_left,
        reviews=review_items(session_reviews(public.mentor.id, db=db, limit=5)),
        similar=[
            SessionLink(str(s.id), s.title, format_local(s.start_at, tz)) for s in similar_sessions(public.id, db=db)
        ],
    )
    viewer = db.get(User, viewer_id) if viewer_id else None
    if viewer is None:
        return detail
    mine = active_booking(public.id, viewer.id, db=db)
    if mine is not None:
        detail.my_booking_id, detail.my_booking_status = mine.id, mine.status.value
    detail.waitlist_place = waitlist_position(public.id, viewer.id, db=db) or 0
    if mine is not None and mine.status in live_room.ROOM_BOOKINGS:
        now = utcnow()
        try:
            detail.room = door_entry(live_room.room_door(viewer, public.id, db=db, now=now), now, tz)
        except ServiceError:  # a cancelled session has no room to join
            pass
    record = live_room.room_record(viewer, public.id, db=db)
    if record is not None:
        detail.recordings, detail.chat_log = recording_items(record.recordings, tz), chat_log(record.chat, tz)
    return detail


class SessionDetailState(SessionBooking, AuthState):
    session: SessionFacts = SessionFacts()
    skills: list[str] = []
    reviews: list[ReviewItem] = []
    similar: list[SessionLink] = []
    found: bool = True
    spots_left: int = 0
    my_booking_id: int = 0
    my_booking_status: str = ""
    waitlist_place: int = 0
    recordings: list[RecordingItem] = []
    chat_log: list[ChatLine] = []
    room: RoomEntry = RoomEntry()

    async def load_detail(self):
        self.message, self.coupon = "", ""
        self.cancel_asked, self.cancel_statement = False, ""
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
        self.room = detail.room
