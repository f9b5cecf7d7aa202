"""The scaled-out deployment on one machine: HAProxy in front of two app nodes, fresh PostgreSQL, shared Redis.

The same shape as deploy/compose.yaml, with processes instead of containers, for tests/deploy and for a load run:

- the frontend is compiled once (`reflex export --frontend-only --no-zip`, as the Dockerfile does), then every node
  serves it with `PEERLEARN_PREBUILT_FRONTEND=1` (peerlearn/serve_prebuilt.py), so two nodes started from one
  checkout never rebuild `.web` under each other;
- a fresh PostgreSQL database, migrated and seeded once (`peerlearn.cli prepare`) before the nodes start;
- Redis on a database number of its own (flushed before and after), shared by the nodes: state manager, client
  registry, throttling, caches, media room placement;
- each node is `peerlearn.cli serve` in its own process group (app workers + its media server, so two media
  nodes, both in MEDIA_NODES), and HAProxy runs deploy/haproxy.cfg as it is, its addresses from the environment.

Everything is started with a timeout and stopped in `finally` by process group (SIGTERM, then SIGKILL).

    .venv/bin/python bench/topology.py --workers 2 --hold 600   # print the URLs, keep it up 10 minutes
    .venv/bin/python bench/load.py --url http://127.0.0.1:<haproxy port> --users 200 --window 30
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._load_server import _postgres_database, free_port

REPO = Path(__file__).resolve().parents[1]
HAPROXY_CFG = REPO / "deploy" / "haproxy.cfg"
TOPOLOGY_REDIS_URL = os.environ.get("TOPOLOGY_REDIS_URL", "redis://127.0.0.1:6379/13")
SECRET = "topology-secret-not-for-production"


@dataclass
class Node:
    name: str
    port: int
    media_port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill(self) -> None:
        """SIGKILL the node's whole process group (app workers and its media server): a crash, not a shutdown."""
        if self.process is not None:
            _signal_group(self.process, signal.SIGKILL)
            self.process.wait(timeout=10)


@dataclass
class Topology:
    url: str  # HAProxy
    nodes: list[Node]
    database_url: str
    redis_url: str
    data_dir: Path
    env: dict[str, str] = field(default_factory=dict)


def haproxy_path() -> str | None:
    """HAProxy's binary (the Debian package puts it in /usr/sbin, which a user's PATH may lack)."""
    found = shutil.which("haproxy") or "/usr/sbin/haproxy"
    return found if Path(found).exists() else None


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass


def _stop(process: subprocess.Popen, grace: float = 15.0) -> None:
    if process.poll() is None:
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            pass
    _signal_group(process, signal.SIGKILL)  # whatever the group left behind (workers, the media server)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def _wait_http(url: str, process: subprocess.Popen, log: Path, deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(url + "/ping", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer /ping in time:\n{log.read_text()[-3000:]}")


def _flush_redis(url: str, quiet: bool = False) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.flushdb()
    except redis.RedisError:
        if not quiet:
            raise
    finally:
        client.close()


def build_frontend(env: dict[str, str], log: Path, timeout: float = 600) -> None:
    """Compile the app and build `.web` once, as the Dockerfile's build step does."""
    with open(log, "a") as out:
        subprocess.run(
            [sys.executable, "-m", "reflex", "export", "--frontend-only", "--no-zip"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=timeout,
        )


def start_node(node: Node, env: dict[str, str]) -> subprocess.Popen:
    node_env = dict(env, PORT=str(node.port), MEDIA_PORT=str(node.media_port))
    node_env["PEERLEARN_DATA_DIR"] = str(Path(env["PEERLEARN_DATA_DIR"]) / node.name)
    Path(node_env["PEERLEARN_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    with open(node.log, "a") as out:
        node.process = subprocess.Popen(
            [sys.executable, "-m", "peerlearn.cli", "serve"],
            cwd=REPO,
            env=node_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return node.process


@contextmanager
def topology(
    redis_url: str = TOPOLOGY_REDIS_URL,
    workers: int = 1,
    build: bool = True,
    timeout: float = 600,
    extra_env: dict[str, str] | None = None,
    nodes_database_url: Callable[[str], str] | None = None,
) -> Iterator[Topology]:
    """Start everything (bounded by `timeout` seconds in all), yield it, and stop every process on exit.

    `nodes_database_url` maps the fresh database's URL to the one the app uses (bench/faults.py puts a TCP proxy it
    can cut in between); `redis_url` may be a Redis of the caller's own."""
    deadline = time.monotonic() + timeout
    haproxy = haproxy_path()
    if haproxy is None:
        raise RuntimeError("HAProxy is not installed (Debian package haproxy; .ci/run installs it)")
    data_dir = Path(tempfile.mkdtemp(prefix="peerlearn-topology-"))
    lb_port = free_port()
    nodes = [Node(f"app{i}", free_port(), free_port(), data_dir / f"app{i}.log") for i in (1, 2)]
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, data_dir, ignore_errors=True)  # logs and node data; errors quote the logs
        database_url = stack.enter_context(_postgres_database(f"peerlearn_topology_{os.getpid()}"))
        _flush_redis(redis_url)
        stack.callback(_flush_redis, redis_url, quiet=True)  # a caller's own Redis may be gone by now
        env = dict(
            os.environ,
            PEERLEARN_DATA_DIR=str(data_dir),
            SECRET_KEY=SECRET,
            REFLEX_USE_SYSTEM_BUN="1",
            DATABASE_URL=nodes_database_url(database_url) if nodes_database_url else database_url,
            REDIS_URL=redis_url,
            REFLEX_REDIS_URL=redis_url,
            GRANIAN_WORKERS=str(workers),
            PUBLIC_BASE_URL=f"http://127.0.0.1:{lb_port}",
            MEDIA_NODES=",".join(f"http://127.0.0.1:{n.media_port}" for n in nodes),
            PEERLEARN_PREBUILT_FRONTEND="1",
            PATH=f"{REPO / '.tools/node_modules/.bin'}:{os.environ['PATH']}",
            **(extra_env or {}),
        )
        env.pop("PEERLEARN_SEED_DEMO", None)
        setup_log = data_dir / "setup.log"
        if build or not (REPO / ".web/build/client/index.html").exists():
            build_frontend(env, setup_log, timeout=max(60.0, deadline - time.monotonic()))
        with open(setup_log, "a") as out:
            subprocess.run(
                [sys.executable, "-m", "peerlearn.cli", "prepare"],
                cwd=REPO,
                env=dict(env, PEERLEARN_SEED_DEMO="1"),
                stdout=out,
                stderr=subprocess.STDOUT,
                check=True,
                timeout=max(60.0, deadline - time.monotonic()),
            )
        for node in nodes:
            stack.callback(_stop, start_node(node, env))
        for node in nodes:
            _wait_http(node.url, node.process, node.log, deadline)
        lb_log = data_dir / "haproxy.log"
        lb_env = dict(
            os.environ,
            HAPROXY_BIND=f"127.0.0.1:{lb_port}",
            APP1=f"127.0.0.1:{nodes[0].port}",
            APP2=f"127.0.0.1:{nodes[1].port}",
        )
        with open(lb_log, "w") as out:
            lb = subprocess.Popen(
                [haproxy, "-db", "-f", str(HAPROXY_CFG)],
                env=lb_env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        stack.callback(_stop, lb, 5.0)
        _wait_http(f"http://127.0.0.1:{lb_port}", lb, lb_log, deadline)
        yield Topology(f"http://127.0.0.1:{lb_port}", nodes, database_url, redis_url, data_dir, env)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1, help="GRANIAN_WORKERS per node")
    parser.add_argument("--hold", type=float, default=300, help="seconds to keep it running")
    parser.add_argument("--no-build", action="store_true", help="reuse .web/build from an earlier build")
    args = parser.parse_args(argv)
    began = time.monotonic()
    with topology(workers=args.workers, build=not args.no_build) as top:
        print(f"up in {time.monotonic() - began:.0f} s: HAProxy {top.url}", flush=True)
        for node in top.nodes:
            print(f"  {node.name} {node.url} (media :{node.media_port}, pid {node.process.pid}, log {node.log})")
        print(f"  PostgreSQL {top.database_url}\n  Redis {top.redis_url}", flush=True)
        try:
            time.sleep(args.hold)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
