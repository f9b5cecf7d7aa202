"""Pure marketplace rules: booking windows, overlaps and refund amounts. No database here."""

from __future__ import annotations

from datetime import datetime, timedelta

from peerlearn.models import LearningSession
from peerlearn.models.enums import BookingStatus, RefundPolicy, SessionStatus
from peerlearn.platform.errors import ConflictError, ErrorCode, RuleViolationError

# Statuses that hold a seat.
SEAT_HOLDING = frozenset(
    {
        BookingStatus.HELD,
        BookingStatus.PENDING_APPROVAL,
        BookingStatus.PENDING_PAYMENT,
        BookingStatus.CONFIRMED,
    }
)
# Statuses in which the learner still counts as coming.
ACTIVE = SEAT_HOLDING | {BookingStatus.COMPLETED}


def overlaps(
    a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime, buffer: timedelta = timedelta(0)
) -> bool:
    """Half-open intervals [start, end) overlap, after widening the first by `buffer` on both sides."""
    return a_start - buffer < b_end and b_start < a_end + buffer


def booking_opens_check(start_at: datetime, min_notice_minutes: int, now: datetime) -> str | None:
    """Why a session can no longer be booked now, or None when it can."""
    if start_at <= now:
        return "This session has already started."
    if start_at - now < timedelta(minutes=min_notice_minutes):
        return f"Bookings close {min_notice_minutes} minutes before the start."
    return None


def takes_learners(session: LearningSession, now: datetime) -> bool:
    """Published and not started yet: learners may book it, wait for a seat, or be offered one."""
    return session.status == SessionStatus.PUBLISHED and session.start_at > now


def check_bookable(session: LearningSession, learner_id: int, now: datetime) -> None:
    """The one answer to "may this learner take a seat in this session now?": nothing, or the error that says why not.

    Seats are not counted here: a full session may still be bookable by the learner holding a waitlist offer.
    """
    if session.status != SessionStatus.PUBLISHED:
        raise RuleViolationError(
            f"This session is {session.status.value} and cannot be booked.", ErrorCode.NOT_BOOKABLE
        )
    if session.mentor_id == learner_id:
        raise ConflictError("You cannot book your own session.", ErrorCode.OWN_SESSION)
    reason = booking_opens_check(session.start_at, session.min_notice_minutes, now)
    if reason:
        raise RuleViolationError(reason, ErrorCode.NOTICE_TOO_SHORT)


def cancellation_deadline(start_at: datetime, cutoff_hours: int) -> datetime:
    return start_at - timedelta(hours=cutoff_hours)


def learner_can_cancel(start_at: datetime, cutoff_hours: int, now: datetime) -> bool:
    return now < cancellation_deadline(start_at, cutoff_hours)


def refund_for_learner_cancel(paid_minor: int, policy: RefundPolicy, partial_percent: int) -> int:
    """What a learner gets back when cancelling before the cut-off (rounded down to the minor unit)."""
    if policy == RefundPolicy.FULL:
        return paid_minor
    if policy == RefundPolicy.PARTIAL:
        return paid_minor * max(0, min(100, partial_percent)) // 100
    return 0


def describe_refund_policy(policy: RefundPolicy, partial_percent: int, cutoff_hours: int) -> str:
    """The sentence shown before booking."""
    if policy == RefundPolicy.FULL:
        what = "a full refund"
    elif policy == RefundPolicy.PARTIAL:
        what = f"a {partial_percent}% refund"
    else:
        what = "no refund"
    return f"Cancel up to {cutoff_hours} hours before the start for {what}; after that, cancelling is not possible."


def weekly_occurrences(
    start_at: datetime, end_at: datetime, count: int, tz_name: str = "UTC"
) -> list[tuple[datetime, datetime]]:
    """`count` weekly occurrences at the same local wall-clock time in `tz_name` (so DST does not shift them)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(tz_name)
    local_start = start_at.astimezone(zone)
    duration = end_at - start_at
    out = []
    for week in range(count):
        naive = local_start.replace(tzinfo=None) + timedelta(weeks=week)
        occurrence = naive.replace(tzinfo=zone).astimezone(start_at.tzinfo)
        out.append((occurrence, occurrence + duration))
    return out
