"""The mentor's desk: their sessions, a two-week calendar, earnings, approvals; one session's management."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from peerlearn.accounts.verification import VerificationPublic
from peerlearn.billing.earnings import Balance
from peerlearn.billing.payouts import PayoutPublic, minimum_payout
from peerlearn.models import LearningSession
from peerlearn.models.enums import PayoutStatus, SessionStatus, VerificationStatus
from peerlearn.money import format_money, from_minor
from peerlearn.platform.timefmt import format_local
from peerlearn.ui.format.common import price_text
from peerlearn.ui.views import CalendarDay, EarningRow, ManagedSession, MentorSessionRow, Participant, PayoutRow

CALENDAR_DAYS = 14


def two_weeks(sessions: Iterable[LearningSession], tz: str, now: datetime) -> list[CalendarDay]:
    """The next 14 days in the mentor's time zone, each with its sessions' local start times and titles."""
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    days = [today + timedelta(days=i) for i in range(CALENDAR_DAYS)]
    cells: dict[object, list[str]] = {day: [] for day in days}
    for session in sessions:
        local = session.start_at.astimezone(zone)
        if local.date() in cells and session.status != SessionStatus.CANCELLED:
            cells[local.date()].append(f"{local:%H:%M} {session.title} ({session.seats_taken}/{session.capacity})")
    return [CalendarDay(f"{day:%a %d %b}", "\n".join(cells[day]), bool(cells[day])) for day in days]


def mentor_session_row(session: LearningSession, tz: str) -> MentorSessionRow:
    return MentorSessionRow(
        id=str(session.id),
        title=session.title,
        when=format_local(session.start_at, tz),
        status=session.status.value,
        booked=f"{session.seats_taken}/{session.capacity}",
        fill=f"{100 * session.seats_taken // session.capacity}%",
        price=price_text(session.price_minor, session.currency),
    )


def earning_rows(balances: Iterable[Balance]) -> list[EarningRow]:
    rows = []
    for b in balances:
        least = minimum_payout(b.currency)
        rows.append(
            EarningRow(
                b.currency,
                format_money(b.pending_minor, b.currency),
                format_money(b.available_minor, b.currency),
                format_money(b.paid_out_minor - b.requested_minor, b.currency),
                requested=format_money(b.requested_minor, b.currency),
                available_amount=f"{from_minor(b.available_minor, b.currency)}",
                can_request=b.available_minor >= least,
                minimum=format_money(least, b.currency),
            )
        )
    return rows


def payout_rows(payouts: Iterable[PayoutPublic], tz: str) -> list[PayoutRow]:
    return [
        PayoutRow(
            when=format_local(p.requested_at, tz),
            amount=format_money(p.amount_minor, p.currency),
            status="Paid" if p.status == PayoutStatus.PAID else "Pending",
            paid=p.status == PayoutStatus.PAID,
        )
        for p in payouts
    ]


def average_rating(ratings: list[int]) -> str:
    return f"{sum(ratings) / len(ratings):.1f}" if ratings else "New"


def managed_session(session: LearningSession, tz: str) -> ManagedSession:
    return ManagedSession(
        title=session.title,
        when=format_local(session.start_at, tz),
        status=session.status.value,
        booked=f"{session.seats_taken}/{session.capacity}",
        price=price_text(session.price_minor, session.currency),
    )


def _text(value: object) -> str:
    return "" if value is None else str(value)


def participants(rows: Iterable[dict]) -> list[Participant]:
    """`session_participants` rows; a waitlisted person has no booking id."""
    return [Participant(_text(p["booking_id"]), p["learner"], p["status"], _text(p["attendance"])) for p in rows]


def verification_message(v: VerificationPublic, tz: str) -> tuple[str, bool]:
    """What the mentor's desk says about their verification, and whether they may ask now (one request at a time)."""
    if v.status == VerificationStatus.VERIFIED:
        return "You are verified: your profile and directory card wear the Verified badge.", False
    if v.status == VerificationStatus.PENDING:
        since = f" since {format_local(v.requested_at, tz)}" if v.requested_at else ""
        return (
            f"Your request to be verified is waiting for an admin{since}. You'll get a notification when they "
            "decide; one request at a time.",
            False,
        )
    if v.status == VerificationStatus.REJECTED:
        return (
            "An admin could not verify you last time. Ask again, saying what they can check now "
            "(a profile or portfolio link).",
            True,
        )
    return (
        "Ask an admin to verify you: verified mentors wear a Verified badge learners look for. Say what they can "
        "check (a profile or portfolio link).",
        True,
    )
