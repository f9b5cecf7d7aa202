"""Pure helpers that turn form text into service input (testable without a browser)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import ValidationError as PydanticValidationError

from peerlearn.money import to_minor


class FormError(ValueError):
    """Input a person typed that cannot be used; the message says why."""


def local_to_utc(date_text: str, time_text: str, tz_name: str) -> datetime:
    """'2026-03-29' + '18:00' in Europe/Berlin -> an aware UTC datetime (DST handled by zoneinfo)."""
    try:
        zone = ZoneInfo(tz_name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise FormError(f"Unknown time zone {tz_name!r}.") from None
    try:
        naive = datetime.strptime(f"{date_text.strip()} {time_text.strip()}", "%Y-%m-%d %H:%M")
    except ValueError:
        raise FormError("Pick a date and a start time.") from None
    return naive.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))


def price_to_minor(text: str, currency: str) -> int:
    text = (text or "0").strip().replace(",", "")
    try:
        value = to_minor(text or "0", currency)
    except (ValueError, TypeError):
        raise FormError(f"'{text}' is not a price in {currency} (use e.g. 25 or 25.50).") from None
    if value < 0:
        raise FormError("The price cannot be negative.")
    return value


def whole_number(text: str, what: str, *, low: int, high: int) -> int:
    try:
        value = int((text or "").strip())
    except ValueError:
        raise FormError(f"{what} must be a whole number.") from None
    if not low <= value <= high:
        raise FormError(f"{what} must be between {low} and {high}.")
    return value


def end_after(start: datetime, minutes: int) -> datetime:
    return start + timedelta(minutes=minutes)


def skill_list(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def first_error(error: PydanticValidationError) -> str:
    """The first problem pydantic found, as one sentence for the form ('Email: value is not a valid email')."""
    item = error.errors()[0]
    field = ".".join(str(p) for p in item["loc"])
    return f"{field.replace('_', ' ').capitalize()}: {item['msg']}"
