"""Tell open browsers that something changed for a person, after the change is committed.

Services call `announce(db, user_id)`; when the transaction commits, every
registered listener gets the user ids. The web app registers one listener
that pushes to that person's open pages; with Redis configured it also
publishes on a channel so every worker can push to the browsers it holds.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

log = logging.getLogger(__name__)
Listener = Callable[[set[int]], None]
_listeners: list[Listener] = []
_PENDING = "peerlearn_announce"


def add_listener(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def remove_listener(listener: Listener) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def announce(db: OrmSession, *user_ids: int) -> None:
    db.info.setdefault(_PENDING, set()).update(user_ids)


@event.listens_for(OrmSession, "after_commit")
def _deliver(session: OrmSession) -> None:
    user_ids = session.info.pop(_PENDING, set())
    if not user_ids:
        return
    for listener in list(_listeners):
        try:
            listener(set(user_ids))
        except Exception:  # a listener must never undo a committed change
            log.exception("live listener failed")


@event.listens_for(OrmSession, "after_rollback")
def _discard(session: OrmSession) -> None:
    session.info.pop(_PENDING, None)
