"""Login throttling per account and per client.

Failures are counted in fixed windows: in Redis when `REDIS_URL` is set (so
every worker shares the counts), in process memory otherwise.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from peerlearn.config import get_settings
from peerlearn.platform.errors import ThrottledError

CLIENT_LIMIT_FACTOR = 4  # one client may fail for a few accounts before it is stopped


class CounterStore(Protocol):
    def incr(self, key: str, window_seconds: int) -> int: ...
    def get(self, key: str) -> tuple[int, int]: ...  # (count, seconds left)
    def clear(self, key: str) -> None: ...


class MemoryCounterStore:
    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, float]] = {}
        self._lock = threading.Lock()

    def incr(self, key: str, window_seconds: int) -> int:
        now = time.monotonic()
        with self._lock:
            count, expires = self._counts.get(key, (0, now + window_seconds))
            if expires <= now:
                count, expires = 0, now + window_seconds
            self._counts[key] = (count + 1, expires)
            return count + 1

    def get(self, key: str) -> tuple[int, int]:
        with self._lock:
            count, expires = self._counts.get(key, (0, 0.0))
        left = expires - time.monotonic()
        return (count, int(left) + 1) if left > 0 else (0, 0)

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


class RedisCounterStore:
    def __init__(self, url: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url)

    def incr(self, key: str, window_seconds: int) -> int:
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, window_seconds, nx=True)
        count, _ = pipe.execute()
        return int(count)

    def get(self, key: str) -> tuple[int, int]:
        pipe = self._redis.pipeline()
        pipe.get(key)
        pipe.ttl(key)
        count, ttl = pipe.execute()
        return (int(count or 0), max(int(ttl), 0))

    def clear(self, key: str) -> None:
        self._redis.delete(key)


@dataclass
class LoginThrottle:
    store: CounterStore
    max_failures: int
    window_seconds: int

    def _keys(self, email: str, client: str) -> tuple[str, str]:
        return f"peerlearn:login:acct:{email.strip().lower()}", f"peerlearn:login:client:{client}"

    def check(self, email: str, client: str) -> None:
        """Refuse before the password is even looked at when too many attempts failed."""
        account_key, client_key = self._keys(email, client)
        for key, limit in ((account_key, self.max_failures), (client_key, self.max_failures * CLIENT_LIMIT_FACTOR)):
            count, left = self.store.get(key)
            if count >= limit:
                minutes = max(1, round(left / 60))
                raise ThrottledError(f"Too many failed log-in attempts. Try again in about {minutes} minute(s).", left)

    def record_failure(self, email: str, client: str) -> None:
        for key in self._keys(email, client):
            self.store.incr(key, self.window_seconds)

    def record_success(self, email: str, client: str) -> None:
        self.store.clear(self._keys(email, client)[0])


@lru_cache
def get_login_throttle() -> LoginThrottle:
    settings = get_settings()
    store: CounterStore = RedisCounterStore(settings.redis_url) if settings.redis_url else MemoryCounterStore()
    return LoginThrottle(store, settings.login_max_failures, settings.login_window_seconds)
