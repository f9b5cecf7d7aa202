"""The Redis client for shared caches and coordination, when `REDIS_URL` is set."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from peerlearn.config import get_settings

if TYPE_CHECKING:  # redis is imported lazily at run time, so a process without Redis configured never loads it
    import redis


def shared_redis() -> redis.Redis | None:
    """A client with decoded strings, or None when Redis is not configured."""
    url = get_settings().redis_url
    return _client(url) if url else None


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    import redis

    return redis.Redis.from_url(url, decode_responses=True)
