"""Typed view models: what a page shows, already formatted for the viewer.

States hold these instead of loose `dict[str, str]`s, so a page reads `item.title` and a typo is an
AttributeError when the page compiles, not a blank cell in production. Reflex serialises a dataclass state var
as a plain object and gives typed vars for its fields (`rx.cond(row.can_cancel, ...)` takes the bool as is).
They are frozen: a state replaces a list rather than editing an item in place. Ids stay strings where a page
puts them in a link, an element id or an event argument. The functions in `peerlearn/ui/format/` build them.
"""

from __future__ import annotations

from dataclasses import dataclass

view = dataclass(frozen=True)


# --- catalog: discovery, the session page, recommendations ---
@view
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


@view
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


@view
class ReviewItem:
    id: str
    who: str
    stars: str
    comment: str
    reply: str


@view
class SessionLink:
    """A session named with its local start time (similar sessions, waitlists, reschedule choices)."""

    id: str
    title: str
    when: str
    label: str = ""
    status: str = ""


@view
class RecordingItem:
    id: str
    when: str
    minutes: str
    url: str
    download: str


@view
class ChatLine:
    who: str
    body: str
    when: str


@view
class RecommendationCard:
    id: str
    title: str
    why: str
    when: str
    mentor: str
    price: str


# --- the learner's bookings, notifications, receipts ---
@view
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


@view
class NotificationItem:
    title: str
    body: str
    link: str
    read: bool
    when: str


@view
class ReceiptLine:
    label: str
    amount: str


# --- the mentor's desk and session management ---
@view
class MentorSessionRow:
    id: str
    title: str
    when: str
    status: str
    booked: str
    fill: str
    price: str


@view
class CalendarDay:
    day: str
    sessions: str
    busy: bool


@view
class EarningRow:
    currency: str
    pending: str
    available: str
    paid: str


@view
class Approval:
    booking_id: str
    learner: str
    title: str


@view
class ManagedSession:
    title: str = ""
    when: str = ""
    status: str = ""
    booked: str = ""
    price: str = ""


@view
class Participant:
    """A booked learner (booking_id set) or someone on the waitlist (booking_id empty)."""

    booking_id: str
    learner: str
    status: str
    attendance: str


# --- the live room ---
@view
class RemotePerson:
    user_id: str
    name: str
    role: str
    url: str
    screen_url: str


@view
class Device:
    id: str
    label: str


# --- admin dashboards ---
@view
class KpiCard:
    key: str
    label: str
    value: str


@view
class HeatCell:
    text: str
    background: str


@view
class TableRow:
    """One row of a dashboard table: its cells, already text, in the table's column order."""

    cells: list[str]


@view
class Definition:
    key: str
    text: str


# --- the profile editor ---
@view
class SkillChip:
    name: str
    level: str
