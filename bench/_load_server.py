"""The app under load: start the production server (as tests/browser/conftest.py does) and watch its resources.

`started_app` runs `peerlearn.cli prepare` then `serve` with its own data directory, free ports, seeded demo data,
and SQLite or a throw-away PostgreSQL database (plus Redis, which several workers need for the shared state
manager). `ServerWatch` reads CPU% and RSS per process of the server's tree with psutil, Redis INFO and
PostgreSQL's statistics views, once at each window's start and end (plus a few samples of the connection count).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

REPO = Path(__file__).resolve().parents[1]
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# A Redis database number of its own, so the load's keys never mix with the tests' (db 15).
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class StartedApp:
    url: str
    pid: int | None = None  # the root of the server's process tree
    database_url: str = ""
    redis_url: str = ""
    log: Path | None = None


def _wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The app exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url + "/ping", timeout=2).status_code == 200 and httpx.get(url + "/", timeout=5).is_success:
                return
        except httpx.HTTPError:
            pass
        time.sleep(1)
    raise RuntimeError(f"The app did not come up in {timeout} s:\n{log.read_text()[-3000:]}")


@contextmanager
def _postgres_database(name: str) -> Iterator[str]:
    import sqlalchemy as sa

    admin = sa.create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_SERVER.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def started_app(database: str, workers: int = 1, timeout: float = 600) -> Iterator[StartedApp]:
    """The production app on 127.0.0.1 with seeded demo data; stopped (its process group) on exit."""
    data_dir = Path(tempfile.mkdtemp(prefix="peerlearn-load-"))
    port, media_port = free_port(), free_port()
    with _postgres_database(f"peerlearn_load_{os.getpid()}") if database == "postgres" else _nothing() as pg_url:
        database_url = pg_url or f"sqlite:///{data_dir / 'peerlearn.db'}"
        env = dict(
            os.environ,
            PEERLEARN_DATA_DIR=str(data_dir),
            PORT=str(port),
            PEERLEARN_SEED_DEMO="1",
            MEDIA_PORT=str(media_port),
            MEDIA_PUBLIC_URL=f"http://localhost:{media_port}",
            SECRET_KEY="load-bench-secret",
            REFLEX_USE_SYSTEM_BUN="1",
            DATABASE_URL=database_url,
            GRANIAN_WORKERS=str(workers),
            PATH=f"{REPO / '.tools/node_modules/.bin'}:{os.environ['PATH']}",
        )
        redis_url = ""
        if database == "postgres" or workers > 1:
            redis_url = env["REDIS_URL"] = BENCH_REDIS_URL
        else:
            env.pop("REDIS_URL", None)
            env.pop("REFLEX_REDIS_URL", None)
        log = data_dir / "app.log"
        with open(log, "w") as out:
            subprocess.run(
                [sys.executable, "-m", "peerlearn.cli", "prepare"], cwd=REPO, env=env, check=True, stdout=out
            )
            process = subprocess.Popen(
                [sys.executable, "-m", "peerlearn.cli", "serve"],
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, process, log, timeout)
            yield StartedApp(url, process.pid, database_url, redis_url, log)
        finally:
            _stop_group(process)
            if os.environ.get("BENCH_KEEP_LOG"):  # the server's log outlives the run, for reading afterwards
                shutil.copy(log, os.environ["BENCH_KEEP_LOG"])
            shutil.rmtree(data_dir, ignore_errors=True)


def _stop_group(process: subprocess.Popen) -> None:
    """SIGTERM the server's process group; SIGKILL what is left after 20 s (a worker blocked in a DB call
    does not handle the signal)."""
    try:
        tree = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    except psutil.Error:
        tree = []
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    _, alive = psutil.wait_procs(tree, timeout=20)
    if alive:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait(timeout=10)


@contextmanager
def _nothing() -> Iterator[None]:
    yield None


def listener_pid(port: int) -> int | None:
    """The process listening on the port (for --url: the server's tree is found from it)."""
    for conn in psutil.net_connections(kind="tcp"):
        if conn.status == psutil.CONN_LISTEN and conn.laddr.port == port and conn.pid:
            return conn.pid
    return None


def _label(proc: psutil.Process) -> str:
    try:
        args = proc.cmdline()
    except psutil.Error:
        return "?"
    text = " ".join(args[1:])
    try:
        parent = proc.parent()
        if parent is not None and "reflex run" in text and parent.cmdline() == args:
            return "app worker"  # granian forks its workers from the `reflex run` process
    except psutil.Error:
        pass
    for marker, label in (
        ("peerlearn.media", "media server"),
        ("peerlearn.cli serve", "peerlearn serve"),
        ("multiprocessing", "app worker"),
        ("reflex run", "reflex run (granian)"),
    ):
        if marker in text:
            return label
    return (os.path.basename(args[0]) if args else proc.name())[:30]


@dataclass
class Sample:
    processes: list[dict] = field(default_factory=list)
    redis: dict = field(default_factory=dict)
    postgres: dict = field(default_factory=dict)
    services_cpu_percent: dict = field(default_factory=dict)  # PostgreSQL's and Redis's processes, machine-wide


class ServerWatch:
    """Per-window resource figures of the server; every call is a few syscalls or one short query."""

    def __init__(self, root_pid: int | None, redis_url: str = "", database_url: str = "") -> None:
        self.root = psutil.Process(root_pid) if root_pid else None
        self.redis_url, self.database_url = redis_url, database_url
        self._procs: list[psutil.Process] = []
        self._began = 0.0
        self._redis_ops = self._redis_connections = self._commits = 0
        self._services: dict[tuple[str, int], float] = {}
        self.pg_connections_max = 0

    @staticmethod
    def _service_cpu_seconds() -> dict[tuple[str, int], float]:
        """CPU seconds used so far by each of this machine's PostgreSQL (every backend) and Redis processes."""
        used = {}
        for proc in psutil.process_iter(["name", "cpu_times"]):
            name, times = proc.info["name"] or "", proc.info["cpu_times"]
            group = "postgres" if name.startswith("postgres") else "redis" if name.startswith("redis") else None
            if group and times is not None:
                used[(group, proc.pid)] = times.user + times.system
        return used

    def _services_cpu_percent(self, seconds: float) -> dict[str, float]:
        """Per group, the CPU its processes used since `start()` (a backend born meanwhile counts from zero)."""
        shares = {"postgres": 0.0, "redis": 0.0}
        for (group, pid), used in self._service_cpu_seconds().items():
            shares[group] += used - self._services.get((group, pid), 0.0)
        return {group: round(100 * used / seconds, 1) for group, used in shares.items()}

    def _tree(self) -> list[psutil.Process]:
        if self.root is None:
            return []
        try:
            return [self.root, *self.root.children(recursive=True)]
        except psutil.Error:
            return []

    def _redis_info(self) -> dict:
        import redis

        client = redis.Redis.from_url(self.redis_url, socket_timeout=2)
        try:
            return client.info()
        finally:
            client.close()

    def _pg(self, sql: str) -> int:
        import psycopg

        url = self.database_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url, connect_timeout=3, autocommit=True) as conn:
            return int(conn.execute(sql).fetchone()[0])

    def _pg_commits(self) -> int:
        return self._pg("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")

    def sample_connections(self) -> None:
        if self.database_url.startswith("postgresql"):
            count = self._pg("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
            self.pg_connections_max = max(self.pg_connections_max, count - 1)  # less this query's own

    def start(self) -> None:
        self._began = time.monotonic()
        self._services = self._service_cpu_seconds()
        self._procs = self._tree()
        for proc in self._procs:
            try:
                proc.cpu_percent(None)
            except psutil.Error:
                pass
        if self.redis_url:
            info = self._redis_info()
            self._redis_ops, self._redis_connections = (
                info["total_commands_processed"],
                info["total_connections_received"],
            )
        if self.database_url.startswith("postgresql"):
            self._commits = self._pg_commits()
            self.pg_connections_max = 0
            self.sample_connections()

    def finish(self) -> Sample:
        seconds = max(time.monotonic() - self._began, 1e-6)
        sample = Sample()
        for proc in self._procs:
            try:
                with proc.oneshot():
                    sample.processes.append(
                        {
                            "pid": proc.pid,
                            "what": _label(proc),
                            "cpu_percent": round(proc.cpu_percent(None), 1),
                            "rss_mb": round(proc.memory_info().rss / 2**20, 1),
                        }
                    )
            except psutil.Error:
                continue
        sample.services_cpu_percent = self._services_cpu_percent(seconds)
        if self.redis_url:
            info = self._redis_info()
            sample.redis = {
                "ops_per_s": round((info["total_commands_processed"] - self._redis_ops) / seconds, 1),
                "used_memory_mb": round(info["used_memory"] / 2**20, 1),
                "clients": info["connected_clients"],
                "new_connections_per_s": round(
                    (info["total_connections_received"] - self._redis_connections) / seconds, 1
                ),
            }
        if self.database_url.startswith("postgresql"):
            self.sample_connections()
            sample.postgres = {
                "connections_max": self.pg_connections_max,
                "commits_per_s": round((self._pg_commits() - self._commits) / seconds, 1),
            }
        return sample
