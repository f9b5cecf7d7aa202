"""Show UTC times in the viewer's time zone, with the zone named."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def format_local(value: datetime, tz_name: str) -> str:
    """'Tue 3 Dec, 18:00 (Europe/Berlin)'; an unknown zone falls back to UTC."""
    try:
        zone = ZoneInfo(tz_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone, tz_name = ZoneInfo("UTC"), "UTC"
    local = value.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M} ({tz_name or 'UTC'})"
