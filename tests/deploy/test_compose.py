"""deploy/compose.yaml and deploy/haproxy.cfg describe the topology bench/topology.py runs (no Docker engine here,
so the compose file is parsed and its wiring checked, and HAProxy checks its own configuration)."""

import os
import subprocess
from pathlib import Path

import yaml

from bench.topology import haproxy_path
from tests.support import require

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _services() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]


def test_compose_runs_two_app_nodes_behind_haproxy_on_one_postgres_and_one_redis() -> None:
    services = _services()
    apps = [name for name in services if name.startswith("app")]
    assert len(apps) == 2 and {"haproxy", "postgres", "redis", "media1", "media2"} <= set(services)
    for name in apps:
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgresql+psycopg://") and "@postgres:" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert env["PEERLEARN_PREBUILT_FRONTEND"] == "1"
        assert len(env["MEDIA_NODES"].split(",")) == 2
        assert services[name]["build"]["dockerfile"] == "Dockerfile"
    haproxy_env = services["haproxy"]["environment"]
    assert {haproxy_env["APP1"], haproxy_env["APP2"]} == {f"{name}:3000" for name in apps}


def test_postgres_allows_every_pooled_connection_of_every_process() -> None:
    services = _services()

    def pooled(env: dict) -> int:
        return int(env["DB_POOL_SIZE"]) + int(env["DB_POOL_OVERFLOW"])

    apps = [s for name, s in services.items() if name.startswith("app")]
    media = [s for name, s in services.items() if name.startswith("media")]
    # each app node: its granian workers plus the media server `peerlearn.cli serve` starts beside them
    total = sum((int(s["environment"]["GRANIAN_WORKERS"]) + 1) * pooled(s["environment"]) for s in apps)
    total += sum(pooled(s["environment"]) for s in media)
    command = services["postgres"]["command"]
    max_connections = int(next(arg.split("=")[1] for arg in command if arg.startswith("max_connections=")))
    assert total + 10 <= max_connections  # room for migrations and an admin shell


def test_haproxy_accepts_the_configuration() -> None:
    require("HAProxy", haproxy_path() is not None)
    env = dict(os.environ, HAPROXY_BIND="127.0.0.1:8080", APP1="127.0.0.1:3001", APP2="127.0.0.1:3002")
    checked = subprocess.run(
        [haproxy_path(), "-c", "-f", str(DEPLOY / "haproxy.cfg")], env=env, capture_output=True, text=True, timeout=30
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
