"""Interaction events for the recommender: logged with the change that caused them, seen by the
model right after that change commits (so a new booking moves trending and co-booking at once)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from peerlearn.models import InteractionEvent
from peerlearn.models.enums import InteractionKind

log = logging.getLogger(__name__)
Observer = Callable[[list[InteractionEvent]], None]
_observers: list[Observer] = []
_PENDING = "peerlearn_interactions"


def add_observer(observer: Observer) -> None:
    if observer not in _observers:
        _observers.append(observer)


def log_interaction(
    db: OrmSession, user_id: int, session_id: int | None, kind: InteractionKind, *, value: float = 1.0, source: str = ""
) -> InteractionEvent:
    row = InteractionEvent(user_id=user_id, session_id=session_id, kind=kind, value=value, source=source)
    db.add(row)
    db.info.setdefault(_PENDING, []).append(row)
    return row


@event.listens_for(OrmSession, "after_commit")
def _deliver(session: OrmSession) -> None:
    rows = session.info.pop(_PENDING, [])
    for observer in list(_observers) if rows else []:
        try:
            observer(rows)
        except Exception:  # the model catching up must never undo a committed booking
            log.exception("interaction observer failed")


@event.listens_for(OrmSession, "after_rollback")
def _discard(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)
