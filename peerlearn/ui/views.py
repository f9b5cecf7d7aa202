"""Typed view models: what a page shows, already formatted for the viewer.

States hold these instead of loose `dict[str, str]`s, so a page reads `item.title` and a typo is an
AttributeError when the page compiles, not a blank cell in production. Reflex serialises a dataclass state var
as a plain object and gives typed vars for its fields (`rx.cond(row.can_cancel, ...)` takes the bool as is).
They are frozen: a state replaces a list rather than editing an item in place. Ids stay strings where a page
puts them in a link, an element id or an event argument. The functions in `peerlearn/ui/format/` build them.
"""

from __future__ import annotations

from dataclasses import dataclass


# --- catalog: discovery, the session page, recommendations ---
@dataclass(frozen=True)
class SessionCard:
    """One search result on the discovery page."""

    id: str
    title: str
    when: str
    mentor: str
    rating: str
    skills: str
    price: str
    level: str
    spots: str
    language: str
    mentor_href: str = ""  # the mentor's profile page
    sponsored: bool = False  # a paid placement: the card says "Sponsored"


@dataclass(frozen=True)
class SessionFacts:
    """The session page's facts and mentor card."""

    id: str = ""
    title: str = ""
    description: str = ""
    when: str = ""
    minutes: str = ""
    price: str = ""
    free: bool = False
    level: str = ""
    language: str = ""
    category: str = ""
    status: str = ""
    capacity: str = ""
    policy: str = ""
    mentor_name: str = ""
    mentor_headline: str = ""
    mentor_rating: str = ""
    mentor_reviews: str = ""
    mentor_taught: str = ""
    requires_approval: bool = False
    mentor_href: str = ""  # the mentor's profile page


@dataclass(frozen=True)
class ReviewItem:
    id: str
    who: str
    stars: str
    comment: str
    reply: str


@dataclass(frozen=True)
class SessionLink:
    """A session named with its local start time (similar sessions, waitlists, reschedule choices)."""

    id: str
    title: str
    when: str
    label: str = ""
    status: str = ""


@dataclass(frozen=True)
class RecordingItem:
    id: str
    when: str
    minutes: str
    url: str
    download: str


@dataclass(frozen=True)
class ChatLine:
    who: str
    body: str
    when: str


@dataclass(frozen=True)
class RecommendationCard:
    id: str
    title: str
    why: str
    when: str
    mentor: str
    price: str


# --- the learner's bookings, notifications, receipts ---
@dataclass(frozen=True)
class BookingRow:
    id: str
    session_id: str
    title: str
    when: str
    status: str
    price: str
    can_cancel: bool
    can_review: bool
    can_reschedule: bool
    checkout_url: str
    receipt: str
    can_join: bool = False  # the live room is open now
    room_note: str = ""  # "Room opens Tue 3 Dec, 14:20 (Asia/Kolkata), in 12 min", "Live now", ...
    room_url: str = ""


@dataclass(frozen=True)
class BookingConfirmationView:
    """A booking's confirmation page: what, who, when (the viewer's zone, named), how to get in, what cancelling
    does, the calendar link and the receipt."""

    title: str = ""
    mentor: str = ""
    mentor_url: str = ""
    starts: str = ""  # "Tue 8 Dec, 18:00 GMT+5:30 (Asia/Kolkata)"
    ends: str = ""
    zone: str = ""  # "Times are in GMT+5:30 (Asia/Kolkata)."
    confirmed: bool = False  # the seat is confirmed: how to join and the calendar link show
    join: str = ""  # "The live room opens 10 minutes before the start, Tue 8 Dec, 17:50 GMT+5:30 (Asia/Kolkata)."
    room_url: str = ""
    session_url: str = ""
    google_calendar_url: str = ""
    cancellation: str = ""  # what cancelling now would do
    refund_policy: str = ""
    receipt_url: str = ""


@dataclass(frozen=True)
class NotificationItem:
    title: str
    body: str
    link: str
    read: bool
    when: str


@dataclass(frozen=True)
class ReceiptLine:
    label: str
    amount: str


# --- the mentor's desk and session management ---
@dataclass(frozen=True)
class MentorSessionRow:
    id: str
    title: str
    when: str
    status: str
    booked: str
    fill: str
    price: str


@dataclass(frozen=True)
class CalendarDay:
    day: str
    sessions: str
    busy: bool


@dataclass(frozen=True)
class EarningRow:
    currency: str
    pending: str
    available: str
    paid: str  # paid out (marked paid)
    requested: str = ""  # payouts on their way
    available_amount: str = ""  # the payout form starts with it, e.g. "360.80"
    can_request: bool = False  # available reaches the minimum payout
    minimum: str = ""  # e.g. "$10.00"


@dataclass(frozen=True)
class PayoutRow:
    when: str  # requested, in the viewer's zone with the zone named
    amount: str
    status: str  # Pending or Paid
    paid: bool


@dataclass(frozen=True)
class Approval:
    booking_id: str
    learner: str
    title: str


@dataclass(frozen=True)
class ManagedSession:
    title: str = ""
    when: str = ""
    status: str = ""
    booked: str = ""
    price: str = ""


@dataclass(frozen=True)
class Participant:
    """A booked learner (booking_id set) or someone on the waitlist (booking_id empty)."""

    booking_id: str
    learner: str
    status: str
    attendance: str


# --- the live room ---
@dataclass(frozen=True)
class RoomEntry:
    """The way into a session's live room for one viewer, now: a Join button or when it opens."""

    can_join: bool = False
    note: str = ""
    url: str = ""


@dataclass(frozen=True)
class RoomWait:
    """The room page before the room opens: what, when, how long, and the way back."""

    title: str = ""
    starts: str = ""
    note: str = ""
    back_url: str = ""
    back_label: str = ""
    can_open_early: bool = False


@dataclass(frozen=True)
class RemotePerson:
    user_id: str
    name: str
    role: str
    url: str
    screen_url: str


@dataclass(frozen=True)
class Device:
    id: str
    label: str


# --- admin dashboards ---
@dataclass(frozen=True)
class KpiCard:
    key: str
    label: str
    value: str


@dataclass(frozen=True)
class HeatCell:
    text: str
    background: str


@dataclass(frozen=True)
class TableRow:
    """One row of a dashboard table: its cells, already text, in the table's column order."""

    cells: list[str]


@dataclass(frozen=True)
class MentorToVerifyRow:
    user_id: int
    name: str
    detail: str  # e-mail, headline and expertise
    status: str  # Asked to be verified / Not checked yet


@dataclass(frozen=True)
class PayoutRequestRow:
    id: int
    mentor: str
    amount: str
    when: str  # requested, in the viewer's zone with the zone named


@dataclass(frozen=True)
class Definition:
    key: str
    text: str
    label: str = ""  # the card's words for it


# --- the profile editor ---
@dataclass(frozen=True)
class SkillChip:
    name: str
    level: str
