"""Every time people read, in one place: in the viewer's zone, with the zone named, the year when it is not this year.

Formatting is Babel's (CLDR patterns and zone names), so DST abbreviations ("EST"/"EDT") and offsets ("GMT+5:30")
come from maintained data rather than ad-hoc strings:

    format_local(t, "America/New_York")  ->  "Mon 5 Jan, 12:00 EST (America/New_York)"
    format_local(t, "Asia/Kolkata")      ->  "Mon 5 Jan, 22:30 GMT+5:30 (Asia/Kolkata)"
    format_local(t, "UTC")               ->  "Mon 5 Jan 2027, 17:00 UTC"   (another year: the year is shown)

An unknown or empty zone falls back to UTC, so a bad profile value never breaks a page.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from babel.dates import format_datetime, get_timezone_gmt
from babel.units import format_unit
from sqlmodel import Session, select

from peerlearn.models import Profile

LOCALE = "en"
_THIS_YEAR = "EEE d MMM, HH:mm"
_OTHER_YEAR = "EEE d MMM y, HH:mm"
_UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Universal", "Zulu", "Etc/Universal", "Etc/Zulu"})


@lru_cache(maxsize=1)
def known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


# Browsers (ICU, like CLDR) still report some zones by their old IANA names; people know the current ones.
_RENAMED = {
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Rangoon": "Asia/Yangon",
    "Europe/Kiev": "Europe/Kyiv",
    "America/Godthab": "America/Nuuk",
    "Atlantic/Faeroe": "Atlantic/Faroe",
    "Pacific/Truk": "Pacific/Chuuk",
    "Pacific/Ponape": "Pacific/Pohnpei",
}


def valid_zone(tz_name: str | None) -> str:
    """`tz_name` (by its current name) when it is an IANA zone this machine knows, else "UTC" (for zones a
    browser reports)."""
    name = (tz_name or "").strip()
    name = _RENAMED.get(name, name)
    return name if name in known_zones() else "UTC"


def _zone(tz_name: str) -> tuple[ZoneInfo, str]:
    """The zone and its name; an unknown zone falls back to UTC."""
    try:
        return ZoneInfo(tz_name or "UTC"), tz_name or "UTC"
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC"), "UTC"


def _short_gmt(long_gmt: str) -> str:
    """'GMT+01:00' -> 'GMT+1', 'GMT+05:30' -> 'GMT+5:30', 'GMT-03:00' -> 'GMT-3' (CLDR's short localized GMT)."""
    sign_at = max(long_gmt.find("+"), long_gmt.find("-"))
    if sign_at < 0:
        return long_gmt
    hours, _, minutes = long_gmt[sign_at + 1 :].partition(":")
    if int(hours) == 0 and minutes in ("", "00"):
        return "GMT"
    return f"GMT{long_gmt[sign_at]}{int(hours)}" + (f":{minutes}" if minutes not in ("", "00") else "")


def zone_label(local: datetime, name: str) -> str:
    """'EST (America/New_York)', 'GMT+1 (Europe/Berlin)' or 'UTC', for a time already in its zone."""
    if name in _UTC_NAMES:
        return "UTC"
    short = format_datetime(local, "z", tzinfo=local.tzinfo, locale=LOCALE)
    if not short.isalpha():  # CLDR has no English abbreviation here ("+0100"): say "GMT+1" instead
        short = _short_gmt(get_timezone_gmt(local, width="long", locale=LOCALE))
    return f"{short} ({name})"


def format_local(value: datetime, tz_name: str, *, now: datetime | None = None, always_year: bool = False) -> str:
    """'Tue 3 Dec, 18:00 GMT+1 (Europe/Berlin)'; the year appears when it is not the viewer's current year
    (or always, for documents such as receipts)."""
    zone, name = _zone(tz_name)
    local = value.astimezone(zone)
    this_year = (now or datetime.now(UTC)).astimezone(zone).year
    pattern = _OTHER_YEAR if always_year or local.year != this_year else _THIS_YEAR
    return f"{format_datetime(local, pattern, tzinfo=zone, locale=LOCALE)} {zone_label(local, name)}"


def user_zone(user_id: int | None, *, db: Session) -> str:
    """The zone a person's notifications, e-mails and messages quote times in: their profile's, else UTC."""
    zone = db.exec(select(Profile.timezone).where(Profile.user_id == user_id)).first() if user_id else None
    return valid_zone(zone)


def format_for_user(value: datetime, user_id: int | None, *, db: Session, always_year: bool = False) -> str:
    """A time as a message to one person states it (notifications, e-mails, reminders, their domain errors):
    in their profile's zone, named, with the year when it is not their current year."""
    return format_local(value, user_zone(user_id, db=db), always_year=always_year)


def format_time(value: datetime, tz_name: str) -> str:
    """'18:00', the time of day in the viewer's zone (for things that happen today, like chat)."""
    zone = _zone(tz_name)[0]
    return format_datetime(value.astimezone(zone), "HH:mm", tzinfo=zone, locale=LOCALE)


def format_time_zoned(value: datetime, tz_name: str) -> str:
    """'18:00 GMT+1 (Europe/Berlin)': a time of day with its zone (a reminder for a session starting soon)."""
    zone, name = _zone(tz_name)
    local = value.astimezone(zone)
    return f"{format_time(value, tz_name)} {zone_label(local, name)}"


def format_duration(amount: int, unit: str) -> str:
    """'1 hour', '24 hours', '30 minutes' (CLDR plural rules): `unit` is "hour" or "minute"."""
    return str(format_unit(amount, f"duration-{unit}", length="long", locale="en"))
