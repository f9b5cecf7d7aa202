"""A learner's bookings, waitlists and reschedule choices; notifications; receipt lines."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from peerlearn import links
from peerlearn.billing.receipts import Receipt, charge_lines
from peerlearn.booking.public import BookingConfirmation, BookingPublic
from peerlearn.booking.rules import SEAT_HOLDING
from peerlearn.live.room import ROOM_BOOKINGS
from peerlearn.models import LearningSession, Notification, WaitlistEntry
from peerlearn.models.enums import BookingStatus
from peerlearn.platform.calendar_invite import google_calendar_link
from peerlearn.platform.timefmt import format_duration, format_local, format_time_zoned, valid_zone, zone_label
from peerlearn.ui.format.common import on_this_site, price_text
from peerlearn.ui.format.live import room_entry
from peerlearn.ui.views import (
    BookingConfirmationView,
    BookingRow,
    NotificationItem,
    ReceiptLine,
    RoomEntry,
    SessionLink,
)


def booking_row(b: BookingPublic, tz: str, now: datetime | None = None) -> BookingRow:
    """One booking; a confirmed one also says how to get into its live room (Join, or when it opens)."""
    entry = RoomEntry()
    if now is not None and b.status in ROOM_BOOKINGS and b.room_opens_at and b.room_closes_at:
        entry = room_entry(b.session_id, b.room_opens_at, b.room_closes_at, b.start_at, b.end_at, now, tz)
    return BookingRow(
        id=str(b.id),
        session_id=str(b.session_id),
        title=b.session_title,
        when=format_local(b.start_at, tz),
        status=b.status.value.replace("_", " "),
        price=price_text(b.price_minor, b.currency, due_minor=b.amount_due_minor),
        can_cancel=b.can_cancel,
        can_review=b.can_review,
        can_reschedule=b.status == BookingStatus.CONFIRMED and b.can_cancel,
        checkout_url=on_this_site(b.checkout_url),
        receipt=f"/receipts/{b.payment_id}" if b.payment_id else "",
        can_join=entry.can_join,
        room_note=entry.note,
        room_url=entry.url if entry.can_join else "",
    )


def hold_left(expires_at: datetime | None, now: datetime, tz: str) -> str:
    """'Seat held for 9:41 · until 19:12 GMT+5:30 (Asia/Kolkata)' while a checkout's hold lasts (minutes:seconds,
    rounded up so it never reads 0:00 while the seat is still held); "" once it has run out (or nothing is held)."""
    if expires_at is None or now >= expires_at:
        return ""
    seconds = math.ceil((expires_at - now).total_seconds())
    return f"Seat held for {seconds // 60}:{seconds % 60:02d} · until {format_time_zoned(expires_at, tz)}"


def booking_confirmation_view(c: BookingConfirmation, tz: str, base_url: str) -> BookingConfirmationView:
    """The confirmation page in the viewer's zone; the calendar link carries the way in (absolute: it leaves the
    site) and the mentor, its times in UTC so Google shows them in the calendar's own zone."""
    b = c.booking
    held = b.status in SEAT_HOLDING  # the seat is theirs for now: cancelling it is a choice to explain
    confirmed = b.status == BookingStatus.CONFIRMED  # only then is there a room to join and an event to add
    opens = b.room_opens_at or b.start_at
    before = format_duration(c.room_opens_minutes_before, "minute")
    room_url, session_url = links.room_link(b.session_id), links.session_link(b.session_id)
    google = google_calendar_link(
        title=b.session_title,
        start_at=b.start_at,
        end_at=b.end_at,
        details=f"PeerLearn session with {c.mentor_name}. The live room opens {before} before the start: "
        f"{base_url}{room_url}\nSession page: {base_url}{session_url}",
        location=f"{base_url}{room_url}",
    )
    return BookingConfirmationView(
        title=b.session_title,
        mentor=c.mentor_name,
        mentor_url=links.mentor_link(c.mentor_id),
        starts=format_local(b.start_at, tz),
        ends=format_local(b.end_at, tz),
        zone=f"Times are in {_zone_name(b.start_at, tz)}.",
        confirmed=confirmed,
        join=f"The live room opens {before} before the start, {format_local(opens, tz)}. "
        "Join from your dashboard or with the button below.",
        room_url=room_url,
        session_url=session_url,
        google_calendar_url=google if confirmed else "",
        cancellation=c.cancellation if held else "",
        refund_policy=c.refund_policy,
        receipt_url=links.receipt_link(b.payment_id) if b.payment_id else "",
    )


def _zone_name(at: datetime, tz: str) -> str:
    name = valid_zone(tz)
    return zone_label(at.astimezone(ZoneInfo(name)), name)


def waitlist_links(waiting: Iterable[tuple[WaitlistEntry, LearningSession]], tz: str) -> list[SessionLink]:
    return [SessionLink(str(s.id), s.title, format_local(s.start_at, tz), status=w.status.value) for w, s in waiting]


def reschedule_choices(options: Iterable[LearningSession], tz: str) -> list[SessionLink]:
    return [
        SessionLink(str(s.id), s.title, when := format_local(s.start_at, tz), label=f"{s.title} · {when}")
        for s in options
    ]


def notification_items(rows: Iterable[Notification], tz: str) -> list[NotificationItem]:
    return [
        NotificationItem(n.title, n.body, n.link or "#", bool(n.read), format_local(n.created_at, tz)) for n in rows
    ]


def receipt_summary(receipt: Receipt, tz: str) -> list[str]:
    """The three lines under the receipt number; its times in `tz` (the payer's zone), with the year (a document)."""
    issued, starts = (format_local(t, tz, always_year=True) for t in (receipt.issued_at, receipt.session_start_at))
    return [
        f"Issued {issued} to {receipt.learner_name}",
        f"{receipt.session_title} with {receipt.mentor_name}, {starts}",
        f"Paid through {receipt.provider} · {receipt.status}",
    ]


def booking_charge_lines(b: BookingPublic) -> list[ReceiptLine]:
    """A paid booking's price, coupon, service fee and total; nothing for a free one."""
    if b.price_minor <= 0:
        return []
    return [
        ReceiptLine(line.label, line.amount)
        for line in charge_lines(b.price_minor, b.discount_minor, b.learner_fee_minor, b.currency)
    ]


def receipt_lines(receipt: Receipt) -> list[ReceiptLine]:
    return [ReceiptLine(line.label, line.amount) for line in receipt.lines]
