"""iCalendar (.ics, RFC 5545) invites for bookings: created, updated on reschedule, cancelled.

Event times are UTC ("...Z"), so no VTIMEZONE is needed; calendars show them in their owner's zone. Text that
quotes a time (the description's first line) is written by the caller in the recipient's zone.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote, urlencode

from peerlearn.models.types import as_utc


def _ics_time(value: datetime) -> str:
    """'20261208T123000Z': the moment in UTC, whatever zone `value` carries (naive is taken as UTC)."""
    return as_utc(value).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Content lines longer than 75 octets continue on lines that start with a space (RFC 5545 3.1), never
    splitting a UTF-8 character."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        if size + width > (75 if not parts else 74):
            parts.append(current)
            current, size = "", 0
        current, size = current + char, size + width
    parts.append(current)
    return "\r\n ".join(parts)


def _attendee(email: str, name: str) -> list[str]:
    """The invited person (iTIP wants one on a REQUEST); a quoted CN cannot hold a double quote."""
    if not email:
        return []
    cn = name.replace('"', "").replace("\r", " ").replace("\n", " ")
    return [f'ATTENDEE;CN="{cn}";ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{email}']


def build_invite(
    *,
    uid: str,
    title: str,
    description: str,
    start_at: datetime,
    end_at: datetime,
    url: str,
    organizer_email: str,
    attendee_email: str = "",
    attendee_name: str = "",
    sequence: int = 0,
    cancelled: bool = False,
    stamp: datetime,
) -> str:
    """One VEVENT; the same `uid` with a higher `sequence` updates or cancels it in calendars."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//PeerLearn//Bookings//EN",
        f"METHOD:{'CANCEL' if cancelled else 'REQUEST'}",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{_ics_time(stamp)}",
        f"DTSTART:{_ics_time(start_at)}",
        f"DTEND:{_ics_time(end_at)}",
        f"SUMMARY:{_escape(title)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{url}",
        f"ORGANIZER:mailto:{organizer_email}",
        *_attendee(attendee_email, attendee_name),
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


GOOGLE_CALENDAR_RENDER = "https://calendar.google.com/calendar/render"


def google_calendar_link(
    *, title: str, start_at: datetime, end_at: datetime, details: str = "", location: str = ""
) -> str:
    """An "Add to Google Calendar" link: Google's event template, pre-filled (times in UTC, as in the .ics invite,
    so Google shows them in the calendar owner's zone). Every field is percent-encoded; nothing is sent anywhere."""
    fields = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{_ics_time(start_at)}/{_ics_time(end_at)}",
        "details": details,
        "location": location,
    }
    return f"{GOOGLE_CALENDAR_RENDER}?{urlencode({k: v for k, v in fields.items() if v}, quote_via=quote, safe='/')}"
