"""Which browser tabs (Reflex client tokens) belong to which person, so updates can be pushed to them.

In memory for one worker; in Redis when `REDIS_URL` is set, so any worker can
push to a tab whose state lives in the shared Redis state manager.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from functools import lru_cache

from peerlearn.config import get_settings

MAX_TABS_PER_USER = 10
TTL_SECONDS = 24 * 3600


class MemoryClientRegistry:
    def __init__(self) -> None:
        self._tokens: dict[int, deque[str]] = defaultdict(lambda: deque(maxlen=MAX_TABS_PER_USER))
        self._lock = threading.Lock()

    def remember(self, user_id: int, client_token: str) -> None:
        with self._lock:
            tokens = self._tokens[user_id]
            if client_token not in tokens:
                tokens.append(client_token)

    def tokens(self, user_id: int) -> list[str]:
        with self._lock:
            return list(self._tokens.get(user_id, ()))


class RedisClientRegistry:
    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, decode_responses=True)

    def _key(self, user_id: int) -> str:
        return f"peerlearn:clients:{user_id}"

    def remember(self, user_id: int, client_token: str) -> None:
        key = self._key(user_id)
        pipe = self._redis.pipeline()
        pipe.lrem(key, 0, client_token)
        pipe.rpush(key, client_token)
        pipe.ltrim(key, -MAX_TABS_PER_USER, -1)
        pipe.expire(key, TTL_SECONDS)
        pipe.execute()

    def tokens(self, user_id: int) -> list[str]:
        return list(self._redis.lrange(self._key(user_id), 0, -1))


@lru_cache
def client_registry() -> MemoryClientRegistry | RedisClientRegistry:
    url = get_settings().redis_url
    return RedisClientRegistry(url) if url else MemoryClientRegistry()
