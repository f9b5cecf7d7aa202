"""Clients at different addresses on one API, and the log-in throttle in memory or in Redis."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest

from peerlearn.platform import throttle
from tests.support import REDIS_URL, redis_available, require


@pytest.fixture(params=["memory", "redis"])
def login_throttle(request, monkeypatch) -> throttle.LoginThrottle:
    """The throttle every worker would share; in Redis under a key prefix of this test's own."""
    if request.param == "redis":
        require("Redis", redis_available())
        store: throttle.CounterStore = throttle.RedisCounterStore(REDIS_URL)
    else:
        store = throttle.MemoryCounterStore()
    shared = throttle.LoginThrottle(store, prefix=f"test:login:{uuid.uuid4().hex}")  # the README's thresholds
    monkeypatch.setattr(throttle, "get_login_throttle", lambda: shared)
    return shared


@pytest.fixture
def client_at(database_url) -> Iterator[Callable[[str], object]]:
    """`client_at("10.0.0.7")`: an API client whose requests come from that address."""
    from fastapi.testclient import TestClient

    from peerlearn.api.app import create_api

    app, opened = create_api(), []

    def make(address: str):
        client = TestClient(app, client=(address, 50000))
        opened.append(client)
        return client.__enter__()

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def outbox(monkeypatch) -> Callable[[], list[tuple[str, str, str]]]:
    """Mail that would have gone out; calling it waits briefly for mail sent from background threads."""
    from peerlearn.platform import mailer

    sent: list[tuple[str, str, str]] = []
    arrived = threading.Event()

    def capture(to: str, subject: str, body: str, ics: str | None = None) -> None:
        sent.append((to, subject, body))
        arrived.set()

    monkeypatch.setattr(mailer, "send_email", capture)

    def wait_for_mail(expect: int = 1, timeout: float = 5.0) -> list[tuple[str, str, str]]:
        deadline = time.monotonic() + timeout
        while len(sent) < expect and time.monotonic() < deadline:
            arrived.wait(0.05)
            arrived.clear()
        return list(sent)

    return wait_for_mail
