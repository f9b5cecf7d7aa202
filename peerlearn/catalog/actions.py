"""Mentors' side of learning sessions: create (one-off or weekly), edit, publish, cancel, attendance, completion."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, func, select

from peerlearn import links
from peerlearn.accounts.actions import require_role
from peerlearn.billing.payments import refund_booking
from peerlearn.booking.rules import (
    ACTIVE,
    SEAT_HOLDING,
    check_session_cancellable,
    describe_session_cancellation,
    overlaps,
    weekly_occurrences,
)
from peerlearn.catalog.notices import relied_on_snapshot, tell_booked_learners
from peerlearn.catalog.search_index import refresh_session_tags
from peerlearn.catalog.skills import get_or_create_category, get_or_create_skill
from peerlearn.insights.interactions import log_interaction
from peerlearn.models import (
    Booking,
    LearningSession,
    MentorProfile,
    Payment,
    Profile,
    SessionSeries,
    SessionSkill,
    User,
    WaitlistEntry,
)
from peerlearn.models.catalog import LearningSessionCreate, LearningSessionUpdate
from peerlearn.models.enums import (
    AttendanceStatus,
    BookingStatus,
    InteractionKind,
    NotificationKind,
    PaymentStatus,
    SessionStatus,
    UserRole,
    WaitlistStatus,
)
from peerlearn.models.types import as_utc, saved_id, utcnow
from peerlearn.platform import notifications
from peerlearn.platform.errors import (
    ConflictError,
    ErrorCode,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
    ValidationError,
)
from peerlearn.platform.locks import lock_session
from peerlearn.platform.timefmt import format_for_user, format_local, user_zone

MAX_DURATION = timedelta(hours=12)


def _validate_times(start_at: datetime, end_at: datetime, now: datetime) -> tuple[datetime, datetime]:
    start_at, end_at = as_utc(start_at), as_utc(end_at)
    if end_at <= start_at:
        raise ValidationError("The session must end after it starts.")
    if end_at - start_at > MAX_DURATION:
        raise ValidationError("A session can last at most 12 hours.")
    if start_at <= now:
        raise ValidationError("The start time must be in the future.")
    return start_at, end_at


def _validate_currency(currency: str) -> str:
    code = currency.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise ValidationError(f"'{currency}' is not a currency code (use e.g. USD, EUR, INR).")
    return code


class SessionFieldError(RuleViolationError):
    """A rule about one field of a session; `field` is the `LearningSessionUpdate` field, so a form can show the
    message next to it."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def owned_session(mentor: User, session_id: int, *, db: Session, lock: bool = False) -> LearningSession:
    session = lock_session(session_id, db=db) if lock else db.get(LearningSession, session_id)
    if session is None:
        raise NotFoundError("No such session.")
    if session.mentor_id != mentor.id and not mentor.is_admin:
        raise PermissionDeniedError("Only the session's mentor can do that.")
    return session


def check_mentor_free(
    mentor_id: int,
    start_at: datetime,
    end_at: datetime,
    buffer_minutes: int,
    *,
    db: Session,
    ignore_id: int | None = None,
    zone: str | None = None,
) -> None:
    """A mentor cannot publish two sessions that overlap (their buffer included). The refusal names the other
    session's time in `zone` (the page's viewer zone), by default the mentor's profile zone."""
    buffer = timedelta(minutes=buffer_minutes)
    candidates = db.exec(
        select(LearningSession).where(
            LearningSession.mentor_id == mentor_id,
            LearningSession.status == SessionStatus.PUBLISHED,
            LearningSession.start_at < end_at + buffer + MAX_DURATION,
            LearningSession.end_at > start_at - buffer - MAX_DURATION,
        )
    ).all()
    for other in candidates:
        if other.id == ignore_id:
            continue
        gap = timedelta(minutes=max(buffer_minutes, other.buffer_minutes))
        if overlaps(start_at, end_at, other.start_at, other.end_at, gap):
            raise ConflictError(
                f"This overlaps your session '{other.title}' "
                f"({format_local(other.start_at, zone or user_zone(mentor_id, db=db))}), buffer included.",
                ErrorCode.MENTOR_OVERLAP,
            )


def _set_skills(session: LearningSession, names: list[str], *, db: Session) -> None:
    db.exec(delete(SessionSkill).where(col(SessionSkill.session_id) == session.id))
    seen = set()
    for name in names:
        skill = get_or_create_skill(name, db=db, category_id=session.category_id)
        if skill.id not in seen:
            seen.add(skill.id)
            db.add(SessionSkill(session_id=saved_id(session), skill_id=saved_id(skill)))
    db.flush()
    refresh_session_tags(session, db=db)


def create_sessions(
    mentor: User, data: LearningSessionCreate, *, db: Session, now: datetime | None = None, zone: str | None = None
) -> list[LearningSession]:
    """Create one session, or every occurrence of a weekly series. Published at once unless a draft.
    `zone`: where a refusal quotes times (the editor's viewer zone), by default the mentor's profile zone."""
    require_role(mentor, UserRole.MENTOR)
    now = now or utcnow()
    start_at, end_at = _validate_times(data.start_at, data.end_at, now)
    currency = _validate_currency(data.currency)
    if data.status not in (SessionStatus.PUBLISHED, SessionStatus.DRAFT):
        raise ValidationError("A new session is either published or a draft.")
    category_id = get_or_create_category(data.category, db=db).id if data.category else None
    occurrences = [(start_at, end_at)]
    series_id = None
    if data.recurrence:
        profile = db.get(Profile, mentor.id)
        occurrences = weekly_occurrences(
            start_at, end_at, data.recurrence.count, profile.timezone if profile else "UTC"
        )
        series = SessionSeries(mentor_id=saved_id(mentor), rule=f"FREQ=WEEKLY;COUNT={data.recurrence.count}")
        db.add(series)
        db.flush()
        series_id = series.id
    created = []
    for occ_start, occ_end in occurrences:
        if data.status == SessionStatus.PUBLISHED:
            check_mentor_free(saved_id(mentor), occ_start, occ_end, data.buffer_minutes, db=db, zone=zone)
        session = LearningSession(
            mentor_id=saved_id(mentor),
            series_id=series_id,
            title=data.title.strip(),
            description=data.description.strip(),
            category_id=category_id,
            level=data.level,
            language=data.language.strip(),
            start_at=occ_start,
            end_at=occ_end,
            capacity=data.capacity,
            price_minor=data.price_minor,
            currency=currency,
            min_notice_minutes=data.min_notice_minutes,
            cancellation_cutoff_hours=data.cancellation_cutoff_hours,
            refund_policy=data.refund_policy,
            partial_refund_percent=data.partial_refund_percent,
            requires_approval=data.requires_approval,
            buffer_minutes=data.buffer_minutes,
            status=data.status,
        )
        db.add(session)
        db.flush()
        _set_skills(session, data.skills, db=db)
        created.append(session)
    db.flush()
    return created


def _active_bookings(session_id: int, *, db: Session) -> list[Booking]:
    return list(db.exec(select(Booking).where(Booking.session_id == session_id, col(Booking.status).in_(list(ACTIVE)))))


def update_session(
    mentor: User,
    session_id: int,
    data: LearningSessionUpdate,
    *,
    db: Session,
    now: datetime | None = None,
    zone: str | None = None,
) -> LearningSession:
    now = now or utcnow()
    session = owned_session(mentor, session_id, db=db, lock=True)
    if session.status in (SessionStatus.CANCELLED, SessionStatus.COMPLETED):
        raise RuleViolationError(f"A {session.status.value} session cannot be edited.")
    changes = data.model_dump(exclude_unset=True)
    booked = bool(_active_bookings(saved_id(session), db=db))
    before = relied_on_snapshot(session)
    money_or_time = {"start_at", "end_at", "price_minor", "currency"} & changes.keys()
    if booked and money_or_time:
        raise SessionFieldError(
            "Learners have booked this session, so its time and price cannot change. Cancel it and create a new one "
            "instead.",
            field=next(f for f in ("start_at", "end_at", "price_minor", "currency") if f in money_or_time),
        )
    if "capacity" in changes and changes["capacity"] < session.seats_taken:
        raise SessionFieldError(
            f"{session.seats_taken} seats are already taken; capacity cannot go below that.", field="capacity"
        )
    if "start_at" in changes or "end_at" in changes:
        start_at, end_at = _validate_times(
            changes.get("start_at", session.start_at), changes.get("end_at", session.end_at), now
        )
        changes["start_at"], changes["end_at"] = start_at, end_at
    if "currency" in changes:
        changes["currency"] = _validate_currency(changes["currency"])
    if "category" in changes:
        category = changes.pop("category")
        session.category_id = get_or_create_category(category, db=db).id if category else None
    skills = changes.pop("skills", None)
    for field, value in changes.items():
        setattr(session, field, value.strip() if isinstance(value, str) else value)
    if session.status == SessionStatus.PUBLISHED:
        check_mentor_free(
            saved_id(mentor),
            session.start_at,
            session.end_at,
            session.buffer_minutes,
            db=db,
            ignore_id=saved_id(session),
            zone=zone,
        )
    session.updated_at = now
    db.add(session)
    if skills is not None:
        _set_skills(session, skills, db=db)
    db.flush()
    if booked:
        holding = [b for b in _active_bookings(saved_id(session), db=db) if b.status in SEAT_HOLDING]
        tell_booked_learners(before, session, holding, db=db)
    return session


def publish_session(
    mentor: User, session_id: int, *, db: Session, now: datetime | None = None, zone: str | None = None
) -> LearningSession:
    now = now or utcnow()
    session = owned_session(mentor, session_id, db=db, lock=True)
    if session.status == SessionStatus.PUBLISHED:
        return session
    if session.status != SessionStatus.DRAFT:
        raise RuleViolationError(f"A {session.status.value} session cannot be published.")
    if session.start_at <= now:
        raise RuleViolationError("This session's start time has passed; change it before publishing.")
    check_mentor_free(
        saved_id(mentor),
        session.start_at,
        session.end_at,
        session.buffer_minutes,
        db=db,
        ignore_id=saved_id(session),
        zone=zone,
    )
    session.status, session.updated_at = SessionStatus.PUBLISHED, now
    db.add(session)
    return session


def unpublish_session(mentor: User, session_id: int, *, db: Session) -> LearningSession:
    session = owned_session(mentor, session_id, db=db, lock=True)
    if session.status != SessionStatus.PUBLISHED:
        raise RuleViolationError("Only a published session can be unpublished.")
    if _active_bookings(saved_id(session), db=db):
        raise RuleViolationError("Learners have booked this session; cancel it instead of unpublishing.")
    session.status = SessionStatus.DRAFT
    db.add(session)
    return session


def cancel_session(
    mentor: User, session_id: int, *, db: Session, reason: str = "", now: datetime | None = None
) -> LearningSession:
    """The mentor cancels before the start: every learner is refunded in full and told; the waitlist is closed.
    A session that is live or over is refused (`session_already_started`)."""
    now = now or utcnow()
    session = owned_session(mentor, session_id, db=db, lock=True)
    check_session_cancellable(session, now)
    return _cancel_and_refund(session, reason=reason, db=db, now=now)


def cancel_after_mentor_no_show(
    mentor: User, session_id: int, *, db: Session, reason: str, now: datetime | None = None
) -> LearningSession:
    """The room's rule, after the end: the mentor never came, so the session is cancelled and everyone refunded."""
    now = now or utcnow()
    session = owned_session(mentor, session_id, db=db, lock=True)
    if session.status in (SessionStatus.CANCELLED, SessionStatus.COMPLETED):
        raise RuleViolationError(f"This session is already {session.status.value}.")
    return _cancel_and_refund(session, reason=reason, db=db, now=now)


def session_cancellation_preview(
    mentor: User, session_id: int, *, db: Session, now: datetime | None = None
) -> tuple[bool, str]:
    """Whether the mentor may cancel now, and what it would do in their terms: who is booked and what each gets."""
    now = now or utcnow()
    session = owned_session(mentor, session_id, db=db)
    try:
        check_session_cancellable(session, now)
    except RuleViolationError as refusal:
        return False, refusal.message
    booked = _active_bookings(saved_id(session), db=db)
    paid = 0
    if booked:
        paid = db.exec(
            select(func.count(func.distinct(Payment.booking_id))).where(
                col(Payment.booking_id).in_([b.id for b in booked]),
                col(Payment.status).in_([PaymentStatus.SUCCEEDED, PaymentStatus.PARTIALLY_REFUNDED]),
            )
        ).one()
    return True, describe_session_cancellation(len(booked), paid)


def _cancel_and_refund(session: LearningSession, *, reason: str, db: Session, now: datetime) -> LearningSession:
    for booking in _active_bookings(saved_id(session), db=db):
        refunded = refund_booking(booking, None, reason="Session cancelled by the mentor", db=db)
        booking.status = BookingStatus.REFUNDED if refunded else BookingStatus.CANCELLED
        booking.cancelled_at, booking.cancel_reason = now, reason or "Cancelled by the mentor"
        booking.hold_expires_at = None
        db.add(booking)
        notifications.notify(
            booking.learner_id,
            NotificationKind.SESSION_CANCELLED,
            f"Cancelled: {session.title}",
            body=(
                f"The mentor cancelled this session ({format_for_user(session.start_at, booking.learner_id, db=db)}). "
                + (f"Reason: {reason}. " if reason else "")
                + ("You will be refunded in full." if refunded else "")
            ).strip(),
            link=links.session_link(session.id),
            session_id=session.id,
            db=db,
        )
    for entry in db.exec(
        select(WaitlistEntry).where(
            WaitlistEntry.session_id == session.id,
            col(WaitlistEntry.status).in_([WaitlistStatus.WAITING, WaitlistStatus.OFFERED]),
        )
    ):
        entry.status = WaitlistStatus.LEFT
        db.add(entry)
    session.status, session.seats_taken, session.updated_at = SessionStatus.CANCELLED, 0, now
    db.add(session)
    db.flush()
    return session


def mark_attendance(
    mentor: User, booking_id: int, attended: bool, *, db: Session, now: datetime | None = None
) -> Booking:
    now = now or utcnow()
    booking = db.get(Booking, booking_id)
    if booking is None:
        raise NotFoundError("No such booking.")
    session = owned_session(mentor, booking.session_id, db=db)
    if session.start_at > now:
        raise RuleViolationError("Attendance can be marked once the session has started.")
    if booking.status not in (BookingStatus.CONFIRMED, BookingStatus.COMPLETED, BookingStatus.NO_SHOW):
        raise RuleViolationError("Only confirmed bookings have attendance.")
    booking.attendance = AttendanceStatus.ATTENDED if attended else AttendanceStatus.NO_SHOW
    if session.status == SessionStatus.COMPLETED:
        booking.status = BookingStatus.COMPLETED if attended else BookingStatus.NO_SHOW
    db.add(booking)
    return booking


def complete_session(mentor: User, session_id: int, *, db: Session, now: datetime | None = None) -> LearningSession:
    """Close a session after its end: attended bookings complete, no-shows stay no-shows."""
    now = now or utcnow()
    session = owned_session(mentor, session_id, db=db, lock=True)
    if session.status != SessionStatus.PUBLISHED:
        raise RuleViolationError(f"A {session.status.value} session cannot be completed.")
    if session.end_at > now:
        raise RuleViolationError("A session can be marked completed after it ends.")
    for booking in db.exec(
        select(Booking).where(Booking.session_id == session.id, Booking.status == BookingStatus.CONFIRMED)
    ):
        booking.status = (
            BookingStatus.NO_SHOW if booking.attendance == AttendanceStatus.NO_SHOW else BookingStatus.COMPLETED
        )
        if booking.attendance == AttendanceStatus.UNKNOWN:
            booking.attendance = AttendanceStatus.ATTENDED
        if booking.attendance == AttendanceStatus.ATTENDED:
            log_interaction(db, booking.learner_id, session.id, InteractionKind.ATTEND)
        db.add(booking)
    for booking in db.exec(
        select(Booking).where(
            Booking.session_id == session.id, col(Booking.status).in_(list(SEAT_HOLDING - {BookingStatus.CONFIRMED}))
        )
    ):
        booking.status = BookingStatus.EXPIRED
        db.add(booking)
    session.status = SessionStatus.COMPLETED
    db.add(session)
    profile = db.get(MentorProfile, mentor.id)
    if profile is not None:
        profile.sessions_taught += 1
        db.add(profile)
    db.flush()
    return session


def mentor_sessions(
    mentor: User, *, db: Session, include_past: bool = True, now: datetime | None = None
) -> list[LearningSession]:
    now = now or utcnow()
    query = select(LearningSession).where(LearningSession.mentor_id == mentor.id)
    if not include_past:
        query = query.where(LearningSession.end_at >= now)
    return list(db.exec(query.order_by(col(LearningSession.start_at))))


def visible_session(session_id: int, *, viewer_id: int | None, db: Session) -> LearningSession:
    """A session anyone may see; a draft only its mentor."""
    session = db.get(LearningSession, session_id)
    if session is None or (session.status == SessionStatus.DRAFT and session.mentor_id != viewer_id):
        raise NotFoundError("No such session.")
    return session
