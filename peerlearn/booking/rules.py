"""Pure marketplace rules: booking windows, overlaps and refund amounts. No database here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from peerlearn.models import LearningSession
from peerlearn.models.enums import BookingStatus, RefundPolicy, SessionStatus
from peerlearn.money import format_money
from peerlearn.platform.errors import ConflictError, ErrorCode, RuleViolationError
from peerlearn.platform.timefmt import format_duration, format_local

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


def closed_at(deadline: datetime, before: str, tz: str) -> str:
    """'closed at Tue 8 Dec, 17:30 GMT+5:30 (Asia/Kolkata), 30 minutes before the start': a deadline as the
    person told about it reads it (`tz`, their zone, is given by the caller: the page's viewer or the profile)."""
    return f"closed at {format_local(deadline, tz)}, {before} before the start"


def booking_opens_check(start_at: datetime, min_notice_minutes: int, now: datetime, tz: str = "UTC") -> str | None:
    """Why a session can no longer be booked now, or None when it can (a deadline quoted in `tz`)."""
    if start_at <= now:
        return "This session has already started."
    notice = timedelta(minutes=min_notice_minutes)
    if start_at - now < notice:
        return f"Bookings {closed_at(start_at - notice, format_duration(min_notice_minutes, 'minute'), tz)}."
    return None


def takes_learners(session: LearningSession, now: datetime) -> bool:
    """Published and not started yet: learners may book it, wait for a seat, or be offered one."""
    return session.status == SessionStatus.PUBLISHED and session.start_at > now


def check_bookable(session: LearningSession, learner_id: int, now: datetime, tz: str = "UTC") -> None:
    """The one answer to "may this learner take a seat in this session now?": nothing, or the error that says why not.

    Seats are not counted here: a full session may still be bookable by the learner holding a waitlist offer.
    """
    if session.status != SessionStatus.PUBLISHED:
        raise RuleViolationError(
            f"This session is {session.status.value} and cannot be booked.", ErrorCode.NOT_BOOKABLE
        )
    if session.mentor_id == learner_id:
        raise ConflictError("You cannot book your own session.", ErrorCode.OWN_SESSION)
    reason = booking_opens_check(session.start_at, session.min_notice_minutes, now, tz)
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


@dataclass(frozen=True)
class LearnerCancellation:
    """What cancelling one booking does at a given moment: refused (and why), or the refund it brings.

    `paid_minor` is None when nothing was paid (a seat held while paying, a free session, an approval pending)."""

    refusal: RuleViolationError | None
    paid_minor: int | None
    refund_minor: int
    currency: str
    policy: RefundPolicy
    partial_percent: int


def learner_cancellation(
    status: BookingStatus,
    session: LearningSession,
    paid_minor: int | None,
    currency: str,
    now: datetime,
    tz: str = "UTC",
) -> LearnerCancellation:
    """The one rule for a learner cancelling: a seat-holding booking may go; a confirmed one only before the cut-off;
    a payment comes back as the session's refund policy says. `cancel_booking` applies it, the dialog states it."""
    refusal = None
    if status not in SEAT_HOLDING:
        refusal = RuleViolationError(
            f"This booking is {status.value} and cannot be cancelled.", ErrorCode.INVALID_STATE
        )
    elif status == BookingStatus.CONFIRMED and not learner_can_cancel(
        session.start_at, session.cancellation_cutoff_hours, now
    ):
        hours = session.cancellation_cutoff_hours
        closed = closed_at(cancellation_deadline(session.start_at, hours), format_duration(hours, "hour"), tz)
        refusal = RuleViolationError(
            f"Cancelling {closed}.",
            ErrorCode.CANCELLATION_CUTOFF,
        )
    policy, percent = session.refund_policy, session.partial_refund_percent
    refund = refund_for_learner_cancel(paid_minor, policy, percent) if paid_minor and refusal is None else 0
    return LearnerCancellation(refusal, paid_minor, refund, currency, policy, percent)


def describe_learner_cancellation(outcome: LearnerCancellation, *, to_card: bool = True) -> str:
    """What the learner is told before they confirm, in their terms (the amounts `cancel_booking` will refund)."""
    if outcome.refusal is not None:
        return outcome.refusal.message
    if not outcome.paid_minor:
        return "Nothing has been paid, so there is nothing to refund. Your seat is given back."
    where = "to your card" if to_card else "to the account you paid from"
    paid = format_money(outcome.paid_minor, outcome.currency)
    refund = format_money(outcome.refund_minor, outcome.currency)
    if outcome.refund_minor >= outcome.paid_minor:
        return f"You'll get a full refund of {refund} {where}."
    if outcome.refund_minor > 0:
        return f"You'll get a {outcome.partial_percent}% refund: {refund} of the {paid} you paid, {where}."
    return f"No refund: this session's cancellation policy refunds nothing, so the {paid} you paid is kept."


def check_session_cancellable(session: LearningSession, now: datetime) -> None:
    """A mentor may cancel a session only before it starts (once it is live or over, learners were taught or are
    being taught, and a no-show is settled by the room's own rule)."""
    if session.status in (SessionStatus.CANCELLED, SessionStatus.COMPLETED):
        raise RuleViolationError(f"This session is already {session.status.value}.", ErrorCode.INVALID_STATE)
    if session.start_at <= now:
        ended = session.end_at <= now
        raise RuleViolationError(
            "This session has ended and can no longer be cancelled."
            if ended
            else "This session is live and can no longer be cancelled.",
            ErrorCode.SESSION_STARTED,
        )


def describe_session_cancellation(booked: int, paid: int) -> str:
    """What the mentor is told before cancelling: who is affected and what each learner gets (`cancel_session`
    refunds every payment in full and tells every learner, in the app and by e-mail)."""
    if booked == 0:
        return "Nobody has booked yet. The session leaves the catalogue and its waitlist is closed."
    who = "1 learner is booked" if booked == 1 else f"{booked} learners are booked"
    if paid == booked:
        each = "they get" if booked == 1 else "each gets"
        return f"{who}; {each} a full refund and an e-mail."
    if paid == 0:
        return f"{who}; nobody has paid, so there is nothing to refund. Each gets an e-mail."
    payers = "the one who paid gets" if paid == 1 else f"the {paid} who paid get"
    return f"{who}; {payers} a full refund, and everyone gets an e-mail."


def describe_refund_policy(policy: RefundPolicy, partial_percent: int, cutoff_hours: int) -> str:
    """The sentence shown before booking."""
    if policy == RefundPolicy.FULL:
        what = "a full refund"
    elif policy == RefundPolicy.PARTIAL:
        what = f"a {partial_percent}% refund"
    else:
        what = "no refund"
    cutoff = format_duration(cutoff_hours, "hour")
    return f"Cancel up to {cutoff} before the start for {what}; after that, cancelling is not possible."


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
