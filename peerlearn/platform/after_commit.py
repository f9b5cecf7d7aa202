"""Work that must happen only once a change is committed: never before, and never for a change rolled back.

Domain code calls `defer(db, topic, *items)` inside a transaction; when that transaction commits, every listener of
the topic gets the items collected for it (once, in order). Listeners are how the rest of the system hears about a
committed change: open browsers are pushed fresh counts (`PEOPLE`), the recommender sees new interactions
(`INTERACTIONS`), saved learner profiles (`PROFILES`) and newly published sessions (`LISTINGS`), and cached search
results are dropped (`CATALOG`). A failing listener is logged and never undoes the change.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

log = logging.getLogger(__name__)

PEOPLE = "people"  # user ids whose pages should refresh
INTERACTIONS = "interactions"  # InteractionEvent rows for the recommender
CATALOG = "catalog"  # something that search results show has changed
PROFILES = "profiles"  # user ids whose declared profile (skills, interests, goals, language...) was saved
LISTINGS = "listings"  # a session was published: the recommender must learn of it

Listener = Callable[[list[Any]], None]
_listeners: dict[str, list[Listener]] = defaultdict(list)
_PENDING = "peerlearn_after_commit"


def add_listener(topic: str, listener: Listener) -> None:
    if listener not in _listeners[topic]:
        _listeners[topic].append(listener)


def remove_listener(topic: str, listener: Listener) -> None:
    if listener in _listeners[topic]:
        _listeners[topic].remove(listener)


def defer(db: OrmSession, topic: str, *items: Any) -> None:
    db.info.setdefault(_PENDING, defaultdict(list))[topic].extend(items)


def announce(db: OrmSession, *user_ids: int) -> None:
    """These people's open pages should refresh once the change commits."""
    defer(db, PEOPLE, *user_ids)


@event.listens_for(OrmSession, "after_commit")
def _deliver(db: OrmSession) -> None:
    pending: dict[str, list[Any]] = db.info.pop(_PENDING, {})
    for topic, items in pending.items():
        for listener in list(_listeners[topic]) if items else []:
            try:
                listener(items)
            except Exception:  # a listener must never undo a committed change
                log.exception("after-commit listener for %s failed", topic)


@event.listens_for(OrmSession, "after_rollback")
def _discard(db: OrmSession) -> None:
    db.info.pop(_PENDING, None)
