"""The session form's values, both ways: a session as the text its edit form starts with (times in the mentor's
zone), and an edited form back to only the changes (`LearningSessionUpdate`), each problem named by its field."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from pydantic import ValidationError as PydanticValidationError

from peerlearn.models import LearningSession
from peerlearn.models.catalog import LearningSessionUpdate
from peerlearn.money import from_minor
from peerlearn.platform.errors import ErrorCode, ServiceError
from peerlearn.ui.forms import FormError, local_to_utc, price_to_minor, skill_list, whole_number

# The model's field -> the form's input that shows its errors.
FORM_FIELD = {
    "start_at": "date",
    "end_at": "minutes",
    "price_minor": "price",
    "min_notice_minutes": "notice",
    "cancellation_cutoff_hours": "cutoff",
    "partial_refund_percent": "partial_percent",
    "buffer_minutes": "buffer",
}


class FieldError(FormError):
    """A typed value that cannot be used; `field` is the form input it belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class EditorValues:
    """The form's inputs as text, as the person sees them."""

    title: str = ""
    description: str = ""
    skills: str = ""
    category: str = ""
    level: str = "beginner"
    language: str = "English"
    date: str = ""
    time: str = ""
    minutes: str = "60"
    capacity: str = "1"
    price: str = "0"
    currency: str = "USD"
    notice: str = "60"
    cutoff: str = "24"
    refund_policy: str = "full"
    partial_percent: str = "50"
    buffer: str = "0"
    requires_approval: bool = False


def editor_values(session: LearningSession, skills: list[str], category: str, tz: str) -> EditorValues:
    local = session.start_at.astimezone(ZoneInfo(tz or "UTC"))
    return EditorValues(
        title=session.title,
        description=session.description,
        skills=", ".join(skills),
        category=category,
        level=session.level.value,
        language=session.language,
        date=f"{local:%Y-%m-%d}",
        time=f"{local:%H:%M}",
        minutes=str(int((session.end_at - session.start_at).total_seconds() // 60)),
        capacity=str(session.capacity),
        price=f"{from_minor(session.price_minor, session.currency)}",
        currency=session.currency,
        notice=str(session.min_notice_minutes),
        cutoff=str(session.cancellation_cutoff_hours),
        refund_policy=session.refund_policy.value,
        partial_percent=str(session.partial_refund_percent),
        buffer=str(session.buffer_minutes),
        requires_approval=session.requires_approval,
    )


def _number(form: dict, name: str, what: str, low: int, high: int) -> int:
    try:
        return whole_number(form.get(name, ""), what, low=low, high=high)
    except FormError as error:
        raise FieldError(name, str(error)) from None


def session_changes(form: dict, before: EditorValues, tz: str) -> LearningSessionUpdate:
    """Only what the person changed: an unchanged time or price is not sent, so a booked session's title can still
    be edited (its time and price are locked once learners booked)."""
    text = {name: str(form.get(name, "")).strip() for name in before.__dataclass_fields__}
    changed = {name for name, value in text.items() if name != "requires_approval" and value != getattr(before, name)}
    changes: dict[str, object] = {}
    for name in {"title", "description", "category", "level", "language", "refund_policy"} & changed:
        changes[name] = text[name] or None if name == "category" else text[name]
    if "skills" in changed:
        changes["skills"] = skill_list(text["skills"])
    if {"date", "time", "minutes"} & changed:
        try:
            start = local_to_utc(text["date"], text["time"], tz)
        except FormError as error:
            raise FieldError("date", str(error)) from None
        changes["start_at"] = start
        changes["end_at"] = start + timedelta(minutes=_number(form, "minutes", "Duration", 15, 720))
    if {"price", "currency"} & changed:
        currency = (text["currency"] or "USD").upper()
        try:
            changes["price_minor"] = price_to_minor(text["price"], currency)
        except FormError as error:
            raise FieldError("price", str(error)) from None
        if "currency" in changed:
            changes["currency"] = currency
    numbers = {
        "capacity": ("capacity", "Capacity", 1, 500),
        "notice": ("min_notice_minutes", "Booking notice", 0, 43200),
        "cutoff": ("cancellation_cutoff_hours", "Cancellation cut-off", 0, 720),
        "partial_percent": ("partial_refund_percent", "Partial refund", 0, 100),
        "buffer": ("buffer_minutes", "Buffer", 0, 240),
    }
    for name in numbers.keys() & changed:
        field, what, low, high = numbers[name]
        changes[field] = _number(form, name, what, low, high)
    approval = form.get("requires_approval") == "on"
    if approval != before.requires_approval:
        changes["requires_approval"] = approval
    try:
        return LearningSessionUpdate(**changes)
    except PydanticValidationError as error:
        item = error.errors()[0]
        field = str(item["loc"][0]) if item["loc"] else ""
        raise FieldError(FORM_FIELD.get(field, field), str(item["msg"])) from None


def error_field(error: ServiceError, update: LearningSessionUpdate) -> str:
    """Which form input a refusal of `update_session` belongs to ("" for the form as a whole)."""
    field = getattr(error, "field", "")
    if field:
        return FORM_FIELD.get(field, field)
    times_changed = "start_at" in update.model_fields_set
    if times_changed and (error.code == ErrorCode.MENTOR_OVERLAP or error.code == ErrorCode.VALIDATION):
        return "date"
    return ""
