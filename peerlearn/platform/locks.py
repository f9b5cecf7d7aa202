"""Row locks for the rows that can race (a session's seats, a payment, a coupon).

On PostgreSQL: SELECT ... FOR UPDATE inside the caller's transaction. On
SQLite every transaction already holds the write lock (BEGIN IMMEDIATE in
peerlearn.db), so a plain read is just as safe.
"""

from __future__ import annotations

from typing import TypeVar

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

from peerlearn.models import LearningSession

T = TypeVar("T", bound=SQLModel)


def lock_row(model: type[T], row_id: int | None, *, db: Session) -> T | None:
    """The row with that primary key, locked for the rest of the transaction (None when there is none)."""
    primary_key = sa.inspect(model).primary_key[0]
    query = select(model).where(primary_key == row_id).execution_options(populate_existing=True)
    if db.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    return db.exec(query).first()


def lock_linked(model: type[T], row_id: int, *, db: Session) -> T:
    """`lock_row` for a row a foreign key points to (a booking's session): it exists, so a miss fails loudly."""
    row = lock_row(model, row_id, db=db)
    if row is None:
        raise LookupError(f"{model.__name__} {row_id} is missing")
    return row


def lock_session(session_id: int, *, db: Session) -> LearningSession | None:
    return lock_row(LearningSession, session_id, db=db)
