"""Deployment tests: the compose file, and the two-node topology of bench/topology.py (`slow`)."""


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "slow: starts the production app (prepare, build, serve); minutes, not seconds")
