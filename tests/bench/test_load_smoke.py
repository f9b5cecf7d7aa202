"""bench/load.py talks Reflex's socket.io protocol to the real production app: tabs log in, hydrate /sessions,
and their filter changes come back as deltas; the report has every figure. Latency is not asserted here (bench/
prints it)."""

from __future__ import annotations

import asyncio

import pytest

from bench._load_server import started_app
from bench.load import COLUMNS, LoadConfig, run_load

pytestmark = pytest.mark.slow

REPORTED = {key for key, _ in COLUMNS} | {
    "events_answered",
    "event_timeouts",
    "disconnects",
    "http_5xx",
    "page_loads",
    "probe_sent",
    "ping_p95_ms",
    "rest_sent",
    "generator_cpu_percent",
    "server_processes",
}


@pytest.fixture(scope="module")
def app():
    with started_app("sqlite", workers=1) as app:
        yield app


def test_tabs_log_in_hydrate_and_get_deltas_for_their_events(app) -> None:  # noqa: ANN001
    config = LoadConfig(url=app.url, users=[10], window_s=10, mode="socket", server_pid=app.pid, quiet=True)
    [step] = asyncio.run(run_load(config))

    assert REPORTED <= step.keys()
    assert step["page_loads"] == 10 and step["page_load_failures"] == 0
    assert step["not_logged_in"] == 0  # the login cookie reached AuthState
    assert step["events_sent"] > 0 and step["events_answered"] > 0
    assert step["probe_p50_ms"] is not None and step["ping_p95_ms"] is not None
    assert step["openapi_requests"] > 0
    assert any(p["what"] == "app worker" for p in step["server_processes"])
