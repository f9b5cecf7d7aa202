"""The app's side of live rooms: who may join and when (signed media tokens), opening a room early,
chat that outlives the session, attendance from the media server, and recordings."""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta

from pydantic import BaseModel
from sqlmodel import Session, col, select

from peerlearn.accounts.security import sign
from peerlearn.config import get_settings
from peerlearn.live.public import ChatMessagePublic, RecordingPublic, chat_message_public, recording_public
from peerlearn.models import AttendanceLog, Booking, ChatMessage, LearningSession, Recording, User
from peerlearn.models.enums import BookingStatus, SessionStatus
from peerlearn.models.types import saved_id, utcnow
from peerlearn.platform.errors import (
    AuthenticationError,
    ErrorCode,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
    ValidationError,
)
from peerlearn.platform.timefmt import format_for_user

OPENS_BEFORE = timedelta(minutes=10)
CLOSES_AFTER = timedelta(minutes=30)
EARLY_OPEN_BEFORE = timedelta(minutes=60)  # the mentor may open the room this long before the start
TOKEN_TTL = timedelta(hours=2)
RECORDING_LINK_TTL = timedelta(hours=6)
ROOM_BOOKINGS = (BookingStatus.CONFIRMED, BookingStatus.COMPLETED)


class MediaTokenResponse(BaseModel):
    token: str
    expires_at: datetime
    role: str
    whip_url: str
    media_base_url: str
    ice_servers: list[str]


def room_window(session: LearningSession) -> tuple[datetime, datetime]:
    opens = session.start_at - OPENS_BEFORE
    if session.room_opened_at is not None:
        opens = min(opens, session.room_opened_at)
    return opens, session.end_at + CLOSES_AFTER


def can_open_early(session: LearningSession, now: datetime) -> bool:
    """Whether the mentor may open the room now: from an hour before the start until 30 minutes after the end."""
    return session.start_at - EARLY_OPEN_BEFORE <= now <= session.end_at + CLOSES_AFTER


def participant_role(session: LearningSession, user: User, *, db: Session) -> str:
    """'mentor' or 'learner' for people who may be in the room; otherwise a refusal."""
    if session.mentor_id == user.id:
        return "mentor"
    booked = db.exec(
        select(Booking.id).where(
            Booking.session_id == session.id,
            Booking.learner_id == user.id,
            col(Booking.status).in_(list(ROOM_BOOKINGS)),
        )
    ).first()
    if booked is None:
        raise PermissionDeniedError("Only the mentor and learners with a confirmed booking can join this room.")
    return "learner"


def _room_session(session_id: int, *, db: Session) -> LearningSession:
    session = db.get(LearningSession, session_id)
    if session is None or session.status == SessionStatus.DRAFT:
        raise NotFoundError("No such session.")
    if session.status == SessionStatus.CANCELLED:
        raise RuleViolationError("This session was cancelled.", ErrorCode.ROOM_CLOSED)
    return session


class RoomDoor(BaseModel):
    """What a participant needs before entering: when the room opens and closes, and who they are in it."""

    session_id: int
    title: str
    role: str
    starts_at: datetime
    ends_at: datetime
    opens_at: datetime
    closes_at: datetime
    booking_id: int | None = None
    can_open_early: bool = False  # a mentor, in the early window, with the room not open yet

    def is_open(self, now: datetime) -> bool:
        return self.opens_at <= now <= self.closes_at


def room_door(user: User, session_id: int, *, db: Session, now: datetime | None = None) -> RoomDoor:
    """The door of a session's room for one of its participants (anyone else is refused, as for the token)."""
    now = now or utcnow()
    session = _room_session(session_id, db=db)
    role = participant_role(session, user, db=db)
    opens, closes = room_window(session)
    booking_id = None
    if role == "learner":
        booking_id = db.exec(
            select(Booking.id).where(
                Booking.session_id == session.id,
                Booking.learner_id == user.id,
                col(Booking.status).in_(list(ROOM_BOOKINGS)),
            )
        ).first()
    return RoomDoor(
        session_id=saved_id(session),
        title=session.title,
        role=role,
        starts_at=session.start_at,
        ends_at=session.end_at,
        opens_at=opens,
        closes_at=closes,
        booking_id=booking_id,
        can_open_early=role == "mentor" and now < opens and can_open_early(session, now),
    )


def issue_room_token(user: User, session_id: int, *, db: Session, now: datetime | None = None) -> MediaTokenResponse:
    from peerlearn.media.placement import node_for_room
    from peerlearn.media.tokens import issue_media_token
    from peerlearn.redis_client import shared_redis

    now = now or utcnow()
    session = _room_session(session_id, db=db)
    role = participant_role(session, user, db=db)
    opens, closes = room_window(session)
    if not opens <= now <= closes:
        raise PermissionDeniedError(
            f"The room is open from {format_for_user(opens, user.id, db=db)} until "
            f"{format_for_user(closes, user.id, db=db)} ({OPENS_BEFORE.seconds // 60} minutes before the start to "
            f"{CLOSES_AFTER.seconds // 60} minutes after the end).",
            ErrorCode.ROOM_CLOSED,
        )
    expires = min(now + TOKEN_TTL, closes)
    settings = get_settings()
    token = issue_media_token(settings.secret_key, saved_id(session), saved_id(user), role, opens, expires)
    base = node_for_room(saved_id(session), closes, settings.media_node_urls, now, shared_redis())
    return MediaTokenResponse(
        token=token,
        expires_at=expires,
        role=role,
        whip_url=f"{base}/media/whip/{session.id}",
        media_base_url=base,
        ice_servers=settings.ice_server_urls,
    )


def open_room_early(mentor: User, session_id: int, *, db: Session, now: datetime | None = None) -> LearningSession:
    """The mentor opens the room now (at most 60 minutes before the start)."""
    now = now or utcnow()
    session = _room_session(session_id, db=db)
    if session.mentor_id != mentor.id:
        raise PermissionDeniedError("Only the session's mentor can open its room.")
    if not can_open_early(session, now):
        raise RuleViolationError(
            "A room can be opened from an hour before the start until 30 minutes after the end.", ErrorCode.ROOM_CLOSED
        )
    session.room_opened_at = min(now, session.room_opened_at or now)
    db.add(session)
    return session


def post_chat(user: User, session_id: int, body: str, *, db: Session) -> ChatMessage:
    text = body.strip()
    if not text or len(text) > 2000:
        raise ValidationError("A message must be 1 to 2000 characters.")
    participant_role(_room_session(session_id, db=db), user, db=db)
    message = ChatMessage(session_id=session_id, user_id=saved_id(user), body=text)
    db.add(message)
    db.flush()
    return message


def chat_history(
    user: User, session_id: int, *, db: Session, after_id: int = 0, limit: int = 200
) -> list[ChatMessagePublic]:
    participant_role(_room_session(session_id, db=db), user, db=db)
    rows = db.exec(
        select(ChatMessage, User.full_name)
        .join(User, col(User.id) == ChatMessage.user_id)
        .where(ChatMessage.session_id == session_id, col(ChatMessage.id) > after_id)
        .order_by(col(ChatMessage.id))
        .limit(limit)
    ).all()
    return [chat_message_public(m, name) for m, name in rows]


def record_join(session_id: int, user_id: int, at: datetime, *, db: Session) -> None:
    db.add(AttendanceLog(session_id=session_id, user_id=user_id, joined_at=at))
    booking = db.exec(
        select(Booking).where(
            Booking.session_id == session_id,
            Booking.learner_id == user_id,
            col(Booking.status).in_(list(ROOM_BOOKINGS)),
        )
    ).first()
    if booking is not None and (booking.joined_at is None or at < booking.joined_at):
        booking.joined_at = at
        db.add(booking)


def record_leave(session_id: int, user_id: int, at: datetime, *, db: Session) -> None:
    log = db.exec(
        select(AttendanceLog)
        .where(
            AttendanceLog.session_id == session_id,
            AttendanceLog.user_id == user_id,
            col(AttendanceLog.left_at).is_(None),
        )
        .order_by(col(AttendanceLog.id).desc())
    ).first()
    if log is None:
        return
    log.left_at = at
    db.add(log)
    booking = db.exec(
        select(Booking).where(
            Booking.session_id == session_id,
            Booking.learner_id == user_id,
            col(Booking.status).in_(list(ROOM_BOOKINGS)),
        )
    ).first()
    if booking is not None:
        booking.left_at = at
        booking.attended_seconds += max(0, int((at - log.joined_at).total_seconds()))
        db.add(booking)


def attendance_proposal(mentor: User, session_id: int, *, db: Session) -> dict[str, list[int]]:
    """From connection logs: learners who never connected are proposed as no-shows; a mentor who never
    connected means the learners should be refunded."""
    session = _room_session(session_id, db=db)
    if session.mentor_id != mentor.id:
        raise PermissionDeniedError("Only the session's mentor can see attendance.")
    connected = set(db.exec(select(AttendanceLog.user_id).where(AttendanceLog.session_id == session_id)).all())
    confirmed = db.exec(
        select(Booking).where(Booking.session_id == session_id, Booking.status == BookingStatus.CONFIRMED)
    ).all()
    return {
        "attended_booking_ids": [saved_id(b) for b in confirmed if b.learner_id in connected],
        "no_show_booking_ids": [saved_id(b) for b in confirmed if b.learner_id not in connected],
        "mentor_connected": [1] if session.mentor_id in connected else [],
    }


def record_recording(
    session_id: int, path: str, started_at: datetime, ended_at: datetime | None, size_bytes: int, *, db: Session
) -> Recording:
    recording = Recording(
        session_id=session_id, path=path, started_at=started_at, ended_at=ended_at, size_bytes=size_bytes
    )
    db.add(recording)
    return recording


def recordings_for(user: User, session_id: int, *, db: Session) -> list[Recording]:
    participant_role(_room_session(session_id, db=db), user, db=db)
    return list(
        db.exec(select(Recording).where(Recording.session_id == session_id).order_by(col(Recording.started_at)))
    )


def room_participants(session_id: int, *, db: Session) -> list[tuple[int, str, str]]:
    """(user id, name, role) of everyone who may be in the room: the mentor first, then confirmed learners."""
    session = _room_session(session_id, db=db)
    mentor = db.get(User, session.mentor_id)
    if mentor is None:  # the foreign key keeps this from happening
        raise NotFoundError("No such session.")
    learners = db.exec(
        select(User)
        .join(Booking, col(Booking.learner_id) == User.id)
        .where(Booking.session_id == session_id, col(Booking.status).in_(list(ROOM_BOOKINGS)))
        .order_by(User.full_name)
    ).all()
    return [(saved_id(mentor), mentor.full_name, "mentor")] + [(saved_id(u), u.full_name, "learner") for u in learners]


def recording_file(user: User, session_id: int, recording_id: int, *, db: Session) -> Recording:
    recording = db.get(Recording, recording_id)
    if recording is None or recording.session_id != session_id:
        raise NotFoundError("No such recording.")
    participant_role(_room_session(session_id, db=db), user, db=db)
    return recording


def recording_link(user: User, recording: Recording, *, now: datetime | None = None) -> str:
    """A URL that plays or downloads the recording in a browser without an Authorization header
    (a <video> element cannot send one): signed for this user, valid for RECORDING_LINK_TTL."""
    expires = int(((now or utcnow()) + RECORDING_LINK_TTL).timestamp())
    signature = sign(get_settings().secret_key, f"recording:{recording.id}:{user.id}:{expires}")
    return (
        f"/api/sessions/{recording.session_id}/recordings/{recording.id}/"
        f"?user={user.id}&expires={expires}&signature={signature}"
    )


def recording_by_link(
    session_id: int,
    recording_id: int,
    user_id: int | None,
    expires: int | None,
    signature: str | None,
    *,
    db: Session,
    now: datetime | None = None,
) -> Recording:
    """The recording behind a signed link; whether the user may still see it is checked again."""
    if user_id is None or expires is None or not signature:
        raise AuthenticationError("Please log in.")
    expected = sign(get_settings().secret_key, f"recording:{recording_id}:{user_id}:{expires}")
    if not hmac.compare_digest(expected, signature):
        raise AuthenticationError("This link is not valid.")
    if expires < (now or utcnow()).timestamp():
        raise AuthenticationError("This link has expired; open the session page again for a fresh one.")
    user = db.get(User, user_id)
    if user is None or not user.is_active:
        raise AuthenticationError("Please log in.")
    return recording_file(user, session_id, recording_id, db=db)


class RoomRecord(BaseModel):
    """What stays of a live room for its participants: the recordings and the chat."""

    recordings: list[RecordingPublic]
    chat: list[ChatMessagePublic]


def room_record(user: User, session_id: int, *, db: Session, now: datetime | None = None) -> RoomRecord | None:
    """The room's recordings and chat for a participant; None for anyone else."""
    try:
        recordings = recordings_for(user, session_id, db=db)
    except (PermissionDeniedError, NotFoundError, RuleViolationError):
        return None
    public = [recording_public(r, recording_link(user, r, now=now)) for r in recordings]
    return RoomRecord(recordings=public, chat=chat_history(user, session_id, db=db))


def refund_mentor_no_shows(*, db: Session, now: datetime | None = None) -> int:
    """Scheduler job: learners came to the room but the mentor never connected -> cancel and refund everyone in full."""
    from peerlearn.catalog.actions import cancel_after_mentor_no_show

    now = now or utcnow()
    ended = db.exec(
        select(LearningSession).where(
            LearningSession.status == SessionStatus.PUBLISHED,
            LearningSession.end_at <= now - CLOSES_AFTER,
            LearningSession.end_at >= now - timedelta(days=2),
        )
    ).all()
    refunded = 0
    for session in ended:
        present = set(db.exec(select(AttendanceLog.user_id).where(AttendanceLog.session_id == session.id)).all())
        mentor = db.get(User, session.mentor_id)
        if present and session.mentor_id not in present and mentor is not None:
            cancel_after_mentor_no_show(
                mentor,
                saved_id(session),
                reason="The mentor did not join the live room",
                db=db,
                now=now,
            )
            refunded += 1
    return refunded
