"""Markers for the API tests."""

from __future__ import annotations


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "slow: a long-running test (fuzzing); `-m 'not slow'` skips it")
