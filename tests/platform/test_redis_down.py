"""With Redis configured but down (restarting), search still answers and what needs Redis says "try again":
a retryable 503 with the API's error shape, never a 500."""

import pytest

from peerlearn.config import reset_settings_cache
from peerlearn.platform.throttle import get_login_throttle
from tests.factories import make_session, make_user


@pytest.fixture
def redis_down(monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")  # nothing listens on port 1
    reset_settings_cache()
    get_login_throttle.cache_clear()
    yield
    monkeypatch.delenv("REDIS_URL")
    reset_settings_cache()
    get_login_throttle.cache_clear()


def test_search_answers_uncached_while_redis_is_down(redis_down, api, db) -> None:
    mentor = make_user(db, mentor=True)
    make_session(db, mentor, title="Pandas for analysts", skills=["Python"])
    listing = api.get("/api/sessions/", params={"q": "pandas"})
    assert listing.status_code == 200
    assert [item["title"] for item in listing.json()["items"]] == ["Pandas for analysts"]


def test_login_is_a_retryable_503_while_redis_is_down(redis_down, api) -> None:
    response = api.post("/api/auth/login/", json={"email": "someone@example.org", "password": "whatever-123"})
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert response.json()["error"]["code"] == "temporarily_unavailable"
