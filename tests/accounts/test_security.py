import time

import pytest

from peerlearn.accounts.security import hash_password, hash_token, new_token, verify_password
from peerlearn.platform.errors import ThrottledError
from peerlearn.platform.throttle import LoginThrottle, MemoryCounterStore, RedisCounterStore
from tests.support import REDIS_URL, redis_available, require


def test_password_hash_is_argon2_and_verifies():
    hashed = hash_password("correct horse")
    assert hashed.startswith("$argon2id$")
    assert "correct horse" not in hashed
    assert verify_password("correct horse", hashed)
    assert not verify_password("wrong horse", hashed)


def test_unknown_account_still_costs_a_hash_comparison():
    """A missing account is compared against a dummy hash, so timing does not reveal it."""
    hashed = hash_password("pw-for-timing")
    start = time.perf_counter()
    for _ in range(3):
        verify_password("guess", hashed)
    known = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(3):
        assert not verify_password("guess", None)
    unknown = time.perf_counter() - start
    assert unknown > known * 0.3


def test_tokens_are_random_and_stored_hashed():
    first, second = new_token(), new_token()
    assert first != second and len(first) >= 40
    assert hash_token(first) != first and len(hash_token(first)) == 64
    assert hash_token(first) == hash_token(first)


def _exercise_throttle(store):
    throttle = LoginThrottle(store, max_failures=3, window_seconds=60)
    for _ in range(3):
        throttle.check("a@x.org", "1.1.1.1")
        throttle.record_failure("a@x.org", "1.1.1.1")
    with pytest.raises(ThrottledError) as refused:
        throttle.check("A@x.org ", "2.2.2.2")  # same account from another client
    assert refused.value.retry_after_seconds > 0
    throttle.check("b@x.org", "2.2.2.2")  # another account is unaffected
    for i in range(12):  # one client failing across many accounts is stopped too
        throttle.record_failure(f"user{i}@x.org", "3.3.3.3")
    with pytest.raises(ThrottledError):
        throttle.check("fresh@x.org", "3.3.3.3")


def test_login_throttle_in_memory():
    _exercise_throttle(MemoryCounterStore())


def test_login_throttle_in_redis():
    require("Redis", redis_available())
    store = RedisCounterStore(REDIS_URL)
    store._redis.flushdb()
    _exercise_throttle(store)
    assert store.get("peerlearn:login:acct:a@x.org")[0] == 3
