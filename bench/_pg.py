"""Benchmarks' throw-away PostgreSQL databases (127.0.0.1:5432, trust auth)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa

from peerlearn.config import reset_settings_cache
from peerlearn.db import reset_engine_cache
from peerlearn.migrations import upgrade_to_head

SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def fresh_database(name: str) -> Iterator[str]:
    """Create, migrate and point the app's settings at a new database; drop it afterwards."""
    admin = sa.create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = SERVER.rsplit("/", 1)[0] + f"/{name}"
    upgrade_to_head(url)
    os.environ["DATABASE_URL"] = url
    reset_settings_cache()
    reset_engine_cache()
    try:
        yield url
    finally:
        reset_engine_cache()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")
