"""Browser tests drive the real production app (`peerlearn.cli serve`) in headless Chromium."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import POSTGRES_URL, chromium_path, in_ci, postgres_available, require

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--autoplay-policy=no-user-gesture-required",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]  # the media server sees real host candidates


LOOP_STALL_MS = 50  # tests/browser/test_zz_event_loop.py fails on any longer stall in PeerLearn's code
BROWSER_TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives Chromium: mark it `browser` so `make test-fast` can leave it out."""
    for item in items:
        if item.path.is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.browser)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The app exited early:\n{log.read_text()[-3000:]}")
        try:
            if (
                httpx.get(url + "/ping", timeout=2).status_code == 200
                and httpx.get(url + "/", timeout=2).status_code == 200
            ):
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise RuntimeError(f"The app did not come up in {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def live_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("live-data")


@pytest.fixture(scope="session")
def live_database_url(live_data_dir: Path) -> Iterator[str]:
    """The live app's database: a fresh PostgreSQL database when the server is there (always in CI), else SQLite."""
    if not postgres_available() and not in_ci():
        yield f"sqlite:///{live_data_dir / 'peerlearn.db'}"
        return
    require("PostgreSQL", postgres_available())
    import sqlalchemy as sa

    name = f"peerlearn_live_{os.getpid()}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(scope="session")
def live_app(live_data_dir: Path, live_database_url: str) -> Iterator[str]:
    """The production app served on a free port with its own database; yields its base URL."""
    data_dir = live_data_dir
    port, media_port = free_port(), free_port()
    env = dict(
        os.environ,
        PEERLEARN_DATA_DIR=str(data_dir),
        PORT=str(port),
        PEERLEARN_SEED_DEMO="0",
        MEDIA_PORT=str(media_port),
        MEDIA_PUBLIC_URL=f"http://localhost:{media_port}",
        SECRET_KEY="browser-test-secret",
        REFLEX_USE_SYSTEM_BUN="1",
        DATABASE_URL=live_database_url,
        LOOP_STALL_WARN_MS=str(LOOP_STALL_MS),
        PATH=f"{REPO / '.tools/node_modules/.bin'}:{os.environ['PATH']}",
    )
    env.pop("REDIS_URL", None)
    subprocess.run([sys.executable, "-m", "peerlearn.cli", "prepare"], cwd=REPO, env=env, check=True)
    log = data_dir / "app.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "peerlearn.cli", "serve"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://localhost:{port}"
    try:
        _wait_until_up(url, process, log)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture(scope="package")
def browser():
    """One Chromium for the browser tests. Package scope: Playwright's sync API keeps an event loop running on this
    thread while it is open, so it must be closed before later tests (tests/deploy) call asyncio.run."""
    path = chromium_path()
    require("Chromium", path is not None)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def live_db(live_app: str, live_database_url: str):
    """A database session on the live app's database, to arrange data and check outcomes (deferred transactions)."""
    from sqlmodel import Session

    from peerlearn.db import create_db_engine

    engine = create_db_engine(live_database_url, sqlite_immediate=False)
    with Session(engine, expire_on_commit=False) as db:
        yield db
    engine.dispose()


@pytest.fixture
def page(browser, live_app):
    context = browser.new_context(base_url=live_app, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000 if not in_ci() else 30_000)
    page = context.new_page()
    yield page
    context.close()
