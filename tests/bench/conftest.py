"""Tests of the bench/ harnesses themselves; `slow` marks those that start the production app."""


def pytest_configure(config) -> None:  # noqa: ANN001 -- pytest's hook signature
    config.addinivalue_line("markers", "slow: starts the production app (prepare, build, serve); minutes, not seconds")
