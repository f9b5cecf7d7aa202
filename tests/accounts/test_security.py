import time
import uuid

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
    throttle = LoginThrottle(
        store,
        pair_max_failures=3,
        client_max_failures=12,
        account_slowdown_after=6,
        account_max_delay_seconds=30,
        window_seconds=60,
        prefix=f"test:login:{uuid.uuid4().hex}",  # never touches keys other runs share
    )
    for _ in range(3):
        throttle.check("a@x.org", "1.1.1.1")
        throttle.record_failure("a@x.org", "1.1.1.1")
    with pytest.raises(ThrottledError) as refused:
        throttle.check("A@x.org ", "1.1.1.1")  # that pair is locked
    assert refused.value.retry_after_seconds > 0
    throttle.check("a@x.org", "2.2.2.2")  # the same account from another client is not
    for client in ("4.4.4.4", "5.5.5.5"):  # guessing from many places only slows the account down
        for _ in range(3):
            throttle.record_failure("a@x.org", client)
    with pytest.raises(ThrottledError, match="Wait") as waiting:
        throttle.check("a@x.org", "2.2.2.2")
    assert 0 < waiting.value.retry_after_seconds <= 30
    throttle.check("a@x.org", "2.2.2.2", known_client=True)  # where the owner logged in before: no wait
    throttle.record_password_reset("a@x.org", "2.2.2.2")
    throttle.check("a@x.org", "2.2.2.2")
    throttle.check("b@x.org", "2.2.2.2")  # another account is unaffected
    for i in range(12):  # one client failing across many accounts is stopped too
        throttle.record_failure(f"user{i}@x.org", "3.3.3.3")
    with pytest.raises(ThrottledError):
        throttle.check("fresh@x.org", "3.3.3.3", known_client=True)
    return throttle


def test_login_throttle_in_memory():
    _exercise_throttle(MemoryCounterStore())


def test_login_throttle_in_redis():
    require("Redis", redis_available())
    store = RedisCounterStore(REDIS_URL)
    throttle = _exercise_throttle(store)
    count, ttl = store.get(throttle._client_key("3.3.3.3"))
    assert count == 12 and 0 < ttl <= 60  # shared state lives in Redis, with the window as its expiry
