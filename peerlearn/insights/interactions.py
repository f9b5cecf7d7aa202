"""Interaction events for the recommender: logged with the change that caused them, seen by the
model right after that change commits (so a new booking moves trending and co-booking at once)."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from peerlearn.models import InteractionEvent
from peerlearn.models.enums import InteractionKind
from peerlearn.models.types import utcnow
from peerlearn.platform import after_commit

Observer = Callable[[list[InteractionEvent]], None]


def add_observer(observer: Observer) -> None:
    after_commit.add_listener(after_commit.INTERACTIONS, observer)


def log_interaction(
    db: OrmSession,
    user_id: int,
    session_id: int | None,
    kind: InteractionKind,
    *,
    value: float = 1.0,
    source: str = "",
) -> InteractionEvent:
    row = InteractionEvent(user_id=user_id, session_id=session_id, kind=kind, value=value, source=source)
    db.add(row)
    after_commit.defer(db, after_commit.INTERACTIONS, row)
    return row


def log_impressions(db: OrmSession, user_id: int, session_ids: list[int], *, source: str) -> None:
    """What a list showed, one row per session, in one multi-row INSERT. An impression changes nobody's
    recommendations (the model's observer skips them), so they skip the ORM objects and the after-commit topic:
    every page that shows recommendations writes these."""
    if session_ids:
        now = utcnow()
        db.execute(
            sa.insert(InteractionEvent),
            [
                {
                    "user_id": user_id,
                    "session_id": session_id,
                    "kind": InteractionKind.IMPRESSION,
                    "value": 1.0,
                    "source": source,
                    "created_at": now,
                }
                for session_id in session_ids
            ],
        )
