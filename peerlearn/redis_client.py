"""The Redis client for shared caches and coordination, when `REDIS_URL` is set."""

from __future__ import annotations

from functools import lru_cache

from peerlearn.config import get_settings


def shared_redis():  # noqa: ANN201 - redis.Redis | None; redis is imported lazily
    """A client with decoded strings, or None when Redis is not configured."""
    url = get_settings().redis_url
    return _client(url) if url else None


@lru_cache(maxsize=4)
def _client(url: str):  # noqa: ANN202
    import redis

    return redis.Redis.from_url(url, decode_responses=True)
