"""Identical searches answered from a cache until something they show changes.

Many people ask the same few questions of the catalogue ("python", a level, the next week). A result is kept for
`SEARCH_CACHE_SECONDS` under a key made of the query and the catalogue's version. The version moves on as soon as a
change to sessions, their skills, their mentors' cards or their seats commits (SQLAlchemy's flush tells us which
rows changed, so no code path can forget), so a cached answer never outlives the data it came from. With Redis
configured the cache and the version are shared by every worker and node; otherwise they live in this process.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar, cast

from redis.exceptions import RedisError
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from peerlearn.config import get_settings
from peerlearn.models import Category, LearningSession, MentorProfile, SessionSkill, Skill
from peerlearn.platform import after_commit
from peerlearn.redis_client import shared_redis

log = logging.getLogger(__name__)

T = TypeVar("T")
# A booking changes the session's seat count, and a mentor's rating changes their profile row: both are covered.
SHOWN_IN_RESULTS = (LearningSession, SessionSkill, Skill, Category, MentorProfile)
VERSION_KEY = "peerlearn:catalog:version"
MEMORY_ENTRIES = 2000


class _MemoryCache:
    def __init__(self) -> None:
        self.version = 0
        self._entries: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            hit = self._entries.get(key)
            if hit is None or hit[0] < time.monotonic():
                return None
            self._entries.move_to_end(key)
            return hit[1]

    def put(self, key: str, value: Any, ttl: float) -> None:
        with self._lock:
            self._entries[key] = (time.monotonic() + ttl, value)
            while len(self._entries) > MEMORY_ENTRIES:
                self._entries.popitem(last=False)

    def bump(self) -> None:
        with self._lock:
            self.version += 1
            self._entries.clear()


_memory = _MemoryCache()


def _version() -> str:
    redis = shared_redis()
    if redis is None:
        return str(_memory.version)
    return str(redis.get(VERSION_KEY) or "0")


def cached(
    kind: str, question: str, answer: Callable[[], T], *, dump: Callable[[T], str], load: Callable[[str], T]
) -> T:
    """`answer()` unless the same `question` of this `kind` was answered since the catalogue last changed."""
    ttl = get_settings().search_cache_seconds
    if ttl <= 0:
        return answer()
    redis = shared_redis()
    try:
        key = f"peerlearn:search:{kind}:{_version()}:{hashlib.sha1(question.encode()).hexdigest()}"
    except RedisError:  # Redis down or restarting: search still answers, uncached (bench/faults.py)
        log.warning("search cache unavailable; answering uncached")
        return answer()
    if redis is None:
        hit = _memory.get(key)
        if hit is not None:
            return cast(T, hit)
        value = answer()
        _memory.put(key, value, ttl)
        return value
    try:
        text = redis.get(key)
    except RedisError:
        return answer()
    if text is not None:
        return load(str(text))
    value = answer()
    try:
        redis.set(key, dump(value), ex=ttl)
    except RedisError:
        pass  # not cached this time
    return value


def forget_everything() -> None:
    """Every cached search is stale from now on (the next commit that changes the catalogue calls this)."""
    redis = shared_redis()
    if redis is None:
        _memory.bump()
    else:
        try:
            redis.incr(VERSION_KEY)
        except RedisError:  # stale cached searches still expire after search_cache_seconds
            log.warning("could not invalidate the search cache: Redis unavailable")


@event.listens_for(OrmSession, "before_flush")
def _note_catalogue_changes(db: OrmSession, _context: object, _instances: object) -> None:
    changed = (*db.new, *db.dirty, *db.deleted)
    if any(isinstance(row, SHOWN_IN_RESULTS) for row in changed):
        after_commit.defer(db, after_commit.CATALOG, True)


after_commit.add_listener(after_commit.CATALOG, lambda _changes: forget_everything())
