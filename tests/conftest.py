"""Shared fixtures: an isolated, migrated database per test on SQLite and on
PostgreSQL (when reachable), and an API client on the FastAPI app."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ["PEERLEARN_ENV"] = "test"
os.environ.pop("REDIS_URL", None)
os.environ.pop("DATABASE_URL", None)

from peerlearn.config import reset_settings_cache
from peerlearn.db import create_db_engine, reset_engine_cache
from peerlearn.migrations import upgrade_to_head
from tests.support import POSTGRES_URL, postgres_available, require

BACKENDS = ["sqlite", "postgres"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade_to_head(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A throw-away database on the local server, migrated once for the run."""
    require("PostgreSQL", postgres_available())
    name = f"peerlearn_test_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    upgrade_to_head(url)
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def _truncate_all(url: str) -> None:
    engine = create_db_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migrated, empty database; the app's settings point at it for the test."""
    if request.param == "sqlite":
        path = tmp_path / "peerlearn.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_database")
        _truncate_all(url)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PEERLEARN_DATA_DIR", str(tmp_path / "data"))
    reset_settings_cache()
    reset_engine_cache()
    yield url
    reset_engine_cache()
    reset_settings_cache()


@pytest.fixture
def db(database_url: str) -> Iterator[Session]:
    """The test's own database session. On SQLite its transactions are deferred, so a test that reads
    between two API calls never holds the write lock the app needs."""
    engine = create_db_engine(database_url, sqlite_immediate=False)
    with Session(engine, expire_on_commit=False) as db:
        yield db
    engine.dispose()


@pytest.fixture
def api(database_url: str):
    from fastapi.testclient import TestClient

    from peerlearn.api.app import create_api
    from peerlearn.platform.throttle import get_login_throttle

    get_login_throttle.cache_clear()
    with TestClient(create_api()) as client:
        yield client
