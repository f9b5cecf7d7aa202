"""Test helpers: which real services are reachable, and what to do when one is not.

Under CI=true a test that needs PostgreSQL, Redis or Chromium fails instead of
skipping, so a missing service can never turn the suite green.
"""

from __future__ import annotations

import os
import shutil
import socket
from functools import lru_cache

import pytest

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@lru_cache
def postgres_available() -> bool:
    return _port_open("127.0.0.1", 5432)


@lru_cache
def redis_available() -> bool:
    return _port_open("127.0.0.1", 6379)


def chromium_path() -> str | None:
    for path in CHROMIUM_PATHS:
        if shutil.which(path):
            return path
    return None


def require(service: str, available: bool) -> None:
    if available:
        return
    message = f"{service} is not reachable"
    if in_ci():
        pytest.fail(f"{message}, and CI=true requires it", pytrace=False)
    pytest.skip(message)
