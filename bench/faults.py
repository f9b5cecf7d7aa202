"""Fault behaviour of the two-node topology (issue #12, item 5): Redis restarted, PostgreSQL cut off, under load.

Neither touches the machine's shared services. Redis is a `redis-server` of this script's own on a free port
(no persistence, so a restart loses everything, as a crashed cache-only Redis does). PostgreSQL is reached through
a TCP proxy this script runs: cutting it closes every open connection and refuses new ones, as a restarting server
does, while the real server keeps serving everyone else.

While a fault lasts and after it, every second: 20 open tabs (HAProxy, /sessions, logged in) each send a filter
change; one fresh tab loads the page (connect + hydrate with the login cookie) and says whether it came up logged
in; one REST search and one authenticated `GET /api/bookings/` go through HAProxy. Printed per second, then the
recovery: seconds from the end of the fault until tabs, page loads and REST all worked again, and (PostgreSQL)
whether every failed REST answer during the cut was the retryable 503 `busy`.

    .venv/bin/python bench/faults.py                 # both faults, one topology
    .venv/bin/python bench/faults.py --only redis --no-build
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
import httpx

from bench._load_server import free_port
from bench._load_tab import SET_FILTER, Tab
from bench.topology import Topology, topology

TABS = 20
EVENT_TIMEOUT_S = 5.0


class OwnRedis:
    """A redis-server of this script's own on a free port; restart() loses every key."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True).stdout == b"PONG\n":
                return
            time.sleep(0.1)
        raise RuntimeError("own redis-server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


class CuttableProxy:
    """A TCP proxy to PostgreSQL in a thread of its own; cut() drops every connection and refuses new ones."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = free_port()
        self.open = True
        self.loop = asyncio.new_event_loop()
        self.writers: set[asyncio.StreamWriter] = set()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> None:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._serve(), self.loop).result(timeout=10)

    async def _serve(self) -> None:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", self.port)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.open:
            writer.close()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self.writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            try:
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.close()
                self.writers.discard(dst)

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    def cut(self) -> None:
        def drop() -> None:
            self.open = False
            for writer in list(self.writers):
                writer.transport.abort()
            self.writers.clear()

        self.loop.call_soon_threadsafe(drop)

    def restore(self) -> None:
        self.loop.call_soon_threadsafe(setattr, self, "open", True)

    def url_for(self, database_url: str) -> str:
        parts = urlsplit(database_url)
        return database_url.replace(parts.netloc, f"{parts.username}@127.0.0.1:{self.port}", 1)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)


@dataclass
class Second:
    t: int
    events_sent: int = 0
    events_answered: int = 0
    page_load: str = ""  # "ok", "logged out", "failed"
    rest: Counter = field(default_factory=Counter)  # "200", "503 busy", "502", "error"

    def healthy(self) -> bool:
        return (
            self.events_sent > 0
            and self.events_answered == self.events_sent
            and self.page_load == "ok"
            and set(self.rest) == {"200"}
        )


async def _rest(http: httpx.AsyncClient, path: str, token: str) -> str:
    try:
        response = await http.get(path, headers={"Authorization": f"Bearer {token}"})
    except httpx.HTTPError:
        return "error"
    if response.status_code == 503:
        code = (response.json().get("error") or {}).get("code", "") if response.content else ""
        return f"503 {code}".strip()
    return str(response.status_code)


async def _page_load(url: str, token: str, session: aiohttp.ClientSession) -> str:
    tab = Tab(url, token, "/sessions", None, session)
    try:
        await tab.connect(5)
        await asyncio.wait_for(tab.hydrated.wait(), 5)
        return "ok" if tab.user_id else "logged out"
    except Exception:
        return "failed"
    finally:
        await tab.close()


async def _tab_event(tab: Tab, session: aiohttp.ClientSession, second: Second, token: str) -> None:
    """One filter change; a tab whose socket dropped reconnects first, as the frontend does."""
    if not tab.connected:
        try:
            await tab.connect(5)
            await asyncio.wait_for(tab.hydrated.wait(), 5)
        except Exception:
            second.events_sent += 1
            return
    second.events_sent += 1
    tab.pending.clear()
    try:
        await tab.emit(SET_FILTER, {"name": "q", "value": "python"}, None, "event")
    except Exception:
        tab.connected = False
        return
    deadline = time.perf_counter() + EVENT_TIMEOUT_S
    while tab.pending and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    if not tab.pending:
        second.events_answered += 1


async def observe(top: Topology, tokens: list[str], seconds: int, fault_at: int, fault, heal_at: int, heal) -> list:
    """Run the fault at `fault_at` and the healing at `heal_at` (seconds), sampling every second."""
    rows: list[Second] = []
    async with (
        aiohttp.ClientSession() as session,
        httpx.AsyncClient(base_url=top.url, timeout=EVENT_TIMEOUT_S) as http,
    ):
        tabs = [Tab(top.url, token, "/sessions", None, session) for token in tokens[:TABS]]
        for tab in tabs:
            await tab.connect(30)
            await asyncio.wait_for(tab.hydrated.wait(), 30)
        began = time.monotonic()
        for t in range(seconds):
            if t == fault_at:
                await asyncio.to_thread(fault)
            if t == heal_at:
                await asyncio.to_thread(heal)
            second = Second(t)
            token = tokens[TABS + t % (len(tokens) - TABS)]
            results = await asyncio.gather(
                *(_tab_event(tab, session, second, tok) for tab, tok in zip(tabs, tokens, strict=False)),
                _page_load(top.url, token, session),
                _rest(http, "/api/sessions/?q=python", token),
                _rest(http, "/api/bookings/", token),
            )
            second.page_load = results[TABS]
            second.rest.update(results[TABS + 1 :])
            rows.append(second)
            await asyncio.sleep(max(0.0, began + t + 1 - time.monotonic()))
        for tab in tabs:
            await tab.close()
    return rows


def report(name: str, rows: list[Second], fault_at: int, heal_at: int) -> dict:
    print(f"\n{name}: fault at t={fault_at}s, healed at t={heal_at}s")
    print("| t | tab events answered | fresh page load | REST |\n|---|---|---|---|")
    for row in rows:
        rest = ", ".join(f"{k} x{v}" for k, v in sorted(row.rest.items()))
        print(f"| {row.t} | {row.events_answered}/{row.events_sent} | {row.page_load} | {rest} |")
    after = [row for row in rows if row.t >= heal_at]
    recovered_at = next(
        (row.t for i, row in enumerate(after) if all(r.healthy() for r in after[i:])),
        None,
    )
    during = Counter()
    for row in rows:
        if fault_at <= row.t < heal_at:
            during.update(row.rest)
    summary = {
        "fault": name,
        "healthy_before": all(row.healthy() for row in rows if row.t < fault_at),
        "recovered_s_after_heal": None if recovered_at is None else recovered_at - heal_at,
        "rest_during_fault": dict(during),
        "events_answered_during_fault": sum(r.events_answered for r in rows if fault_at <= r.t < heal_at),
        "events_sent_during_fault": sum(r.events_sent for r in rows if fault_at <= r.t < heal_at),
    }
    print(summary)
    return summary


def _tokens(top: Topology, count: int) -> list[str]:
    from sqlmodel import Session, create_engine

    from peerlearn.accounts.actions import issue_token
    from tests.factories import make_user

    engine = create_engine(top.database_url)
    with Session(engine, expire_on_commit=False) as db:
        tokens = [issue_token(make_user(db, name=f"Fault Learner {i}"), db=db) for i in range(count)]
        db.commit()
    engine.dispose()
    return tokens


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["redis", "postgres"])
    parser.add_argument("--outage", type=int, default=8, help="seconds the fault lasts")
    parser.add_argument("--no-build", action="store_true")
    args = parser.parse_args(argv)
    from bench._load_server import POSTGRES_SERVER

    redis = OwnRedis()
    redis.start()
    server = urlsplit(POSTGRES_SERVER)
    proxy = CuttableProxy(server.hostname or "127.0.0.1", server.port or 5432)
    proxy.start()
    summaries = []
    try:
        with topology(redis_url=redis.url, build=not args.no_build, nodes_database_url=proxy.url_for) as top:
            tokens = _tokens(top, TABS + 10)
            fault_at, heal_at, seconds = 5, 5 + args.outage, 5 + args.outage + 20
            if args.only in (None, "redis"):
                rows = asyncio.run(observe(top, tokens, seconds, fault_at, redis.kill, heal_at, redis.start))
                summaries.append(report("Redis killed and restarted empty", rows, fault_at, heal_at))
            if args.only in (None, "postgres"):
                rows = asyncio.run(observe(top, tokens, seconds, fault_at, proxy.cut, heal_at, proxy.restore))
                summaries.append(report("PostgreSQL cut off (TCP proxy)", rows, fault_at, heal_at))
    finally:
        redis.kill()
        proxy.stop()
    print("\n".join(str(s) for s in summaries))
    return 0


if __name__ == "__main__":
    sys.exit(main())
