"""Log-in throttling that an attacker cannot turn against the account's owner.

Three counters, each over a fixed window (`LOGIN_WINDOW_SECONDS`), in Redis when `REDIS_URL` is set (so every
worker and node shares them) and in process memory otherwise:

- per (account, client): after `LOGIN_MAX_FAILURES` failures that pair is locked until the window ends. Guessing
  from one place locks out only that place, never the owner elsewhere.
- per client, all accounts: after `LOGIN_CLIENT_MAX_FAILURES` failures the client is locked, so one place cannot
  spray passwords across many accounts.
- per account, all clients: after `LOGIN_ACCOUNT_SLOWDOWN_AFTER` failures there is never a lock, only a short,
  growing wait between attempts (1 s, 2 s, 4 s ... up to `LOGIN_ACCOUNT_MAX_DELAY_SECONDS`), which slows guessing
  from many places. A client that logged in to the account before (the caller says so) skips this wait, and a
  password-reset link always works. Asking for reset links is limited per client the same way.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from peerlearn.config import get_settings
from peerlearn.platform.errors import ThrottledError


class CounterStore(Protocol):
    def incr(self, key: str, window_seconds: int) -> int: ...
    def get(self, key: str) -> tuple[int, int]: ...  # (count, seconds left)
    def hold(self, key: str, seconds: int) -> None: ...  # a marker that lasts `seconds` (replaces any earlier one)
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

    def hold(self, key: str, seconds: int) -> None:
        with self._lock:
            self._counts[key] = (1, time.monotonic() + seconds)

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

    def hold(self, key: str, seconds: int) -> None:
        self._redis.set(key, 1, ex=seconds)

    def clear(self, key: str) -> None:
        self._redis.delete(key)


def _minutes(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute" + ("s" if minutes != 1 else "")


@dataclass
class LoginThrottle:
    store: CounterStore
    pair_max_failures: int = 5
    client_max_failures: int = 20
    account_slowdown_after: int = 10
    account_max_delay_seconds: int = 30
    account_base_delay_seconds: int = 1
    window_seconds: int = 900
    prefix: str = "peerlearn:login"

    def _account(self, email: str) -> str:
        # Hashed so that neither odd characters nor people's addresses end up in Redis key names.
        return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]

    def _pair_key(self, email: str, client: str) -> str:
        return f"{self.prefix}:pair:{self._account(email)}:{client}"

    def _client_key(self, client: str) -> str:
        return f"{self.prefix}:client:{client}"

    def _account_key(self, email: str) -> str:
        return f"{self.prefix}:acct:{self._account(email)}"

    def _wait_key(self, email: str) -> str:
        return f"{self.prefix}:wait:{self._account(email)}"

    def check(self, email: str, client: str, *, known_client: bool = False) -> None:
        """Refuse before the password is even looked at when this attempt may not be made now."""
        count, left = self.store.get(self._pair_key(email, client))
        if count >= self.pair_max_failures:
            raise ThrottledError(
                "Too many failed log-in attempts for this account from here. "
                f"Try again in about {_minutes(left)}, or reset your password by email.",
                left,
            )
        count, left = self.store.get(self._client_key(client))
        if count >= self.client_max_failures:
            raise ThrottledError(
                f"Too many failed log-in attempts from here. Try again in about {_minutes(left)}.", left
            )
        if known_client:
            return
        waiting, left = self.store.get(self._wait_key(email))
        if waiting:
            raise ThrottledError(
                f"This account had many failed log-in attempts recently. Wait {left} second(s) and try again, "
                "log in from a device you have used before, or reset your password by email.",
                left,
            )

    def record_failure(self, email: str, client: str) -> None:
        self.store.incr(self._pair_key(email, client), self.window_seconds)
        self.store.incr(self._client_key(client), self.window_seconds)
        failures = self.store.incr(self._account_key(email), self.window_seconds)
        if failures >= self.account_slowdown_after:
            excess = min(failures - self.account_slowdown_after, 16)
            delay = self.account_base_delay_seconds * 2**excess
            self.store.hold(self._wait_key(email), min(self.account_max_delay_seconds, delay))

    def record_success(self, email: str, client: str) -> None:
        """The owner got in from here. The account-wide counter is kept: an attack elsewhere may still be going on."""
        self.store.clear(self._pair_key(email, client))

    def count_reset_request(self, client: str) -> None:
        """Asking for reset links: at most `client_max_failures` per client per window, whatever the emails."""
        key = f"{self.prefix}:reset:{client}"
        if self.store.incr(key, self.window_seconds) > self.client_max_failures:
            _, left = self.store.get(key)
            raise ThrottledError(f"Too many reset requests from here. Try again in about {_minutes(left)}.", left)

    def record_password_reset(self, email: str, client: str) -> None:
        """A reset proves ownership: forget the account's failures and the lock of the client that reset it."""
        for key in (self._pair_key(email, client), self._account_key(email), self._wait_key(email)):
            self.store.clear(key)


@lru_cache
def get_login_throttle() -> LoginThrottle:
    settings = get_settings()
    store: CounterStore = RedisCounterStore(settings.redis_url) if settings.redis_url else MemoryCounterStore()
    return LoginThrottle(
        store,
        pair_max_failures=settings.login_max_failures,
        client_max_failures=settings.login_client_max_failures,
        account_slowdown_after=settings.login_account_slowdown_after,
        account_max_delay_seconds=settings.login_account_max_delay_seconds,
        window_seconds=settings.login_window_seconds,
    )
