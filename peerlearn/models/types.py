"""Column types shared by every table.

SQLite has no timezone-aware timestamps, so `UTCDateTime` stores UTC and
always hands back an aware UTC datetime, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from sqlmodel import Field, Session, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime; naive input is taken to be UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        value = as_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


def utc_field(*, nullable: bool = False, index: bool = False, default_now: bool = False, description: str = "") -> Any:
    """A timezone-aware UTC timestamp column."""
    kwargs: dict[str, Any] = {
        "sa_type": UTCDateTime(),
        "nullable": nullable,
        "index": index,
        "description": description,
    }
    if default_now:
        kwargs["default_factory"] = utcnow
    elif nullable:
        kwargs["default"] = None
    return Field(**kwargs)


class EnumText(sa.types.TypeDecorator):
    """A StrEnum stored as plain text (no database enum types to migrate), read back as the enum."""

    impl = sa.String(24)
    cache_ok = True

    def __init__(self, enum_cls: type[StrEnum] | None = None, length: int = 24) -> None:
        super().__init__(length)
        self.enum_cls = enum_cls

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: str | None, dialect: sa.Dialect) -> Any:
        if value is None or self.enum_cls is None:
            return value
        return self.enum_cls(value)


def enum_field(default: StrEnum, *, index: bool = False) -> Any:
    """A StrEnum column stored as text."""
    return Field(default=default, sa_type=EnumText(type(default)), index=index, nullable=False)


def json_list_field() -> Any:
    return Field(default_factory=list, sa_type=sa.JSON, nullable=False)


class _HasId(Protocol):
    @property
    def id(self) -> int | None: ...


def saved_id(row: _HasId) -> int:
    """The primary key of a row that is in the database (loaded, or added and flushed).

    SQLModel types every `id` as `int | None` because a new row has none until it is flushed; past that point this
    states it, so a function that needs an int gets one, and a row that was never flushed fails here loudly.
    """
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it first")
    return row.id


_Row = TypeVar("_Row", bound=SQLModel)


def linked_row(model: type[_Row], row_id: int | None, *, db: Session) -> _Row:
    """The row a foreign key points to (a booking's session, a payment's learner).

    The key's constraint says it exists, so a miss is a broken database, not bad input: this fails loudly instead of
    handing back the `None` that `db.get` is typed to return.
    """
    row = db.get(model, row_id) if row_id is not None else None
    if row is None:
        raise LookupError(f"{model.__name__} {row_id} is missing")
    return row
