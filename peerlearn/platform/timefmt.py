"""Show UTC times in the viewer's time zone, with the zone named."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _zone(tz_name: str) -> tuple[ZoneInfo, str]:
    """The zone and its name; an unknown zone falls back to UTC."""
    try:
        return ZoneInfo(tz_name or "UTC"), tz_name or "UTC"
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC"), "UTC"


def format_local(value: datetime, tz_name: str) -> str:
    """'Tue 3 Dec, 18:00 (Europe/Berlin)'."""
    zone, name = _zone(tz_name)
    local = value.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} ({name})"


def format_time(value: datetime, tz_name: str) -> str:
    """'18:00', the time of day in the viewer's zone (for things that happen today, like chat)."""
    return f"{value.astimezone(_zone(tz_name)[0]):%H:%M}"
