from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.payments.fake_api import FakeAPI, start


@pytest.fixture
def fake_api() -> Iterator[FakeAPI]:
    api = FakeAPI()
    server, thread = start(api)
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def closed_port_url() -> str:
    """A local URL nothing listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
