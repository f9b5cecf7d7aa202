"""iCalendar (.ics) invites for bookings: created, updated on reschedule, cancelled."""

from __future__ import annotations

from datetime import datetime


def _ics_time(value: datetime) -> str:
    return value.strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def build_invite(
    *,
    uid: str,
    title: str,
    description: str,
    start_at: datetime,
    end_at: datetime,
    url: str,
    organizer_email: str,
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
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"
