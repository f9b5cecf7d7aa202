"""Faults under load on the two-node topology (issue #12, item 5), with a Redis and a PostgreSQL path of the test's
own so the machine's shared services are never touched (bench/faults.py has the longer, printed version).

A PostgreSQL outage (every connection cut, new ones refused) turns requests that need the database into the
retryable 503, and the app recovers by itself once the database is back. Redis killed and restarted empty: REST
never answers 500 meanwhile, and afterwards tabs get deltas again and fresh page loads are logged in from the
login cookie alone.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from bench._load_server import POSTGRES_SERVER
from bench.faults import CuttableProxy, OwnRedis, _tokens, observe, report
from bench.topology import Topology, haproxy_path, topology
from tests.support import postgres_available, redis_available, require

pytestmark = pytest.mark.slow
FAULT_AT, HEAL_AT, SECONDS = 3, 7, 15
RECOVERED_WITHIN_S = 5


@pytest.fixture(scope="module")
def faults() -> Iterator[tuple[Topology, OwnRedis, CuttableProxy, list[str]]]:
    require("PostgreSQL", postgres_available())
    require("Redis", redis_available())  # the redis-server binary comes with it
    require("HAProxy", haproxy_path() is not None)
    redis = OwnRedis()
    redis.start()
    server = urlsplit(POSTGRES_SERVER)
    proxy = CuttableProxy(server.hostname or "127.0.0.1", server.port or 5432)
    proxy.start()
    try:
        with topology(redis_url=redis.url, build=False, nodes_database_url=proxy.url_for) as top:
            yield top, redis, proxy, _tokens(top, 30)
    finally:
        redis.kill()
        proxy.stop()


def test_postgres_outage_is_a_retryable_503_and_recovers_without_a_restart(faults) -> None:
    top, _, proxy, tokens = faults
    rows = asyncio.run(observe(top, tokens, SECONDS, FAULT_AT, proxy.cut, HEAL_AT, proxy.restore))
    summary = report("PostgreSQL cut off", rows, FAULT_AT, HEAL_AT)
    assert summary["healthy_before"]
    failed = {answer for answer in summary["rest_during_fault"] if answer != "200"}
    assert failed == {"503 temporarily_unavailable"}  # the bookings list needs the database
    assert summary["recovered_s_after_heal"] is not None
    assert summary["recovered_s_after_heal"] <= RECOVERED_WITHIN_S


def test_redis_restart_loses_no_login_and_pages_recover(faults) -> None:
    top, redis, _, tokens = faults
    rows = asyncio.run(observe(top, tokens, SECONDS, FAULT_AT, redis.kill, HEAL_AT, redis.start))
    summary = report("Redis killed and restarted empty", rows, FAULT_AT, HEAL_AT)
    assert summary["healthy_before"]
    assert not any(answer.startswith("500") for answer in summary["rest_during_fault"])
    assert summary["recovered_s_after_heal"] is not None
    assert summary["recovered_s_after_heal"] <= RECOVERED_WITHIN_S
