"""Load on the real app the way browsers make it: logged-in tabs on /sessions over Reflex's own socket.io protocol.

Issue #12 (Concurrency). Each simulated user is one logged-in tab on `/sessions` (socket.io on `/_event`, the
hydrate_and_load event in the CONNECT packet with the login cookie, as the compiled frontend sends it; see
bench/_load_tab.py) that changes a search or filter (`DiscoverState.set_filter`: q from words in the demo data,
skill, level, sort) every exponential(10 s), each event timed from emit to the arrival of its delta. In `--mode
mixed` REST traffic comes on top at one request per 50 s per user (`GET /api/sessions/?q=…` or
`GET /api/recommendations/` with the user's bearer token). Two probe tabs send a no-database event
(`AuthState.set_signup_role`, a plain setter) and a socket.io `ping` every ~1.1 s: the baseline. `GET
/api/openapi.json` (no database) every 0.5 s detects a frozen event loop. Users are added in steps (`--users
50,200,1000`, cumulative) at `--ramp` connects/s; once a step's tabs have loaded, its `--window` is measured.

    .venv/bin/python bench/load.py --start sqlite --users 50,200 --window 60
    .venv/bin/python bench/load.py --start postgres --workers 2 --users 200,1000 --window 30 --json out.json
    .venv/bin/python bench/load.py --url http://127.0.0.1:3000 --users 50 --mode socket
    .venv/bin/python bench/load.py --smoke            # 10 users for 10 s against its own SQLite app

`--start` runs `peerlearn.cli prepare` and `serve` itself (own data dir, free ports, demo data; PostgreSQL adds a
throw-away database and Redis db 12). Tabs log in as the demo learners (REST `POST /api/auth/login/`), and register
`load-…@example.com` learners beyond those. Per step it prints users, events sent, event p50/p95/p99/max, errors
(events unanswered after 10 s, disconnects, failed page loads, HTTP 5xx and failed requests) as count and %, page
load (connect + hydrate) p95, the probes' event p50/p95 and ping p95, the ratio event p95 / probe p95, REST p95,
openapi max, CPU% and RSS of each server process, Redis ops/s, memory, clients and new connections/s, PostgreSQL
connections and commits/s, the CPU of PostgreSQL, Redis, the generator and the whole machine, and the event p95 in
each third of the window (a backlog draining, or a steady state). An event unanswered after 10 s is an error and
sorts as ">10000" in the percentiles.

Only 127.0.0.1 is ever a target; every loop ends with its step windows, and a total deadline stops the run.
The generator is one asyncio loop with a deque per tab and plain lists of samples. Measured on this 2-core machine
(shared, load average 5-20): about 2% of one core at 50 users (SQLite, mixed) and 3.6% at 1,000 connected tabs
(PostgreSQL + Redis, 2 workers, where most tabs were still retrying their page load, ~12 events/s); from those
figures, a healthy 1,000-user run (100 events/s, 20 REST requests/s, hydrates) needs roughly a quarter of a core,
so the generator is not what limits the app. Logging in is the slow part before the first step: ~0.6 s per tab
(Argon2 on the server, 3 at a time).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
import httpx
import psutil

from bench._load_server import ServerWatch, StartedApp, listener_pid, started_app
from bench._load_tab import AUTH, PROBE_EVENT, SET_FILTER, Tab

TIMEOUT_S = 10.0  # an event unanswered this long counts as an error
CONNECT_TIMEOUT_S = 30.0
LOGIN_TIMEOUT_S = 60.0
RELOAD_AFTER_S = 5.0
THINK_S = 10.0  # mean time between a tab's filter changes
REST_EVERY_S = 50.0  # mean time between one user's REST requests
PROBE_EVERY_S = 1.1
OPENAPI_EVERY_S = 0.5
DEMO_PASSWORD = "peerlearn-demo"
DEMO_LEARNERS = ["learner@peerlearn.demo"] + [f"learner{i:03d}@peerlearn.demo" for i in range(1, 600)]
WORDS = ["", "python", "rust", "sql", "design", "figma", "guitar", "piano", "docker", "spanish", "interview"]
WORDS += ["workshop", "deep dive", "crash course", "marketing", "machine learning", "data", "office hours", "go"]
SKILLS = ["Python", "JavaScript", "SQL", "Machine Learning", "Figma", "Guitar", "Docker", "Spanish", "Leadership"]
LEVELS = ["any", "beginner", "intermediate", "advanced", "expert"]
SORTS = ["relevance", "soonest", "price", "price_desc", "rating"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def ms(value: float | None) -> float | str | None:
    """Milliseconds; an unanswered (timed-out) event sorts last and shows as ">10000"."""
    if value is None:
        return None
    return f">{TIMEOUT_S * 1000:.0f}" if value == float("inf") else round(value * 1000, 1)


@dataclass
class StepStats:
    """What one step measured. Plain lists and counters: appending is the whole cost of a sample."""

    users: int
    window_s: float = 0.0
    events_sent: int = 0
    event_s: list[float] = field(default_factory=list)
    event_at: list[float] = field(default_factory=list)  # when each answered event was answered (monotonic)
    probe_sent: int = 0
    probe_s: list[float] = field(default_factory=list)
    ping_sent: int = 0
    ping_s: list[float] = field(default_factory=list)
    timeouts: dict[str, int] = field(default_factory=lambda: {"event": 0, "probe": 0, "ping": 0})
    page_loads: int = 0
    page_load_s: list[float] = field(default_factory=list)
    page_load_failures: int = 0
    page_load_failure_reasons: dict[str, int] = field(default_factory=dict)
    not_logged_in: int = 0
    disconnects: int = 0
    rest_sent: int = 0
    rest_s: list[float] = field(default_factory=list)
    http_5xx: int = 0
    http_failures: int = 0
    openapi_s: list[float] = field(default_factory=list)
    openapi_waiting_s: float = 0.0  # a request still unanswered when the window closed, so far
    page_loads_unfinished: int = 0  # still connecting or hydrating when the window closed
    ramp: dict = field(default_factory=dict)  # the ramp's CPU and the generator's lag (ResourceSpan, _loop_lag)
    generator_lag_ms: dict = field(default_factory=dict)  # the generator's own loop lag during the window

    def sent(self, kind: str) -> None:
        if kind == "event":
            self.events_sent += 1
        elif kind == "probe":
            self.probe_sent += 1
        else:
            self.ping_sent += 1

    def answered(self, kind: str, seconds: float) -> None:
        if kind == "event":
            self.event_at.append(time.monotonic())
        (self.event_s if kind == "event" else self.probe_s if kind == "probe" else self.ping_s).append(seconds)

    def with_timeouts(self, kind: str) -> list[float]:
        """Answered latencies plus one infinite latency per timeout, so percentiles never hide a lost answer."""
        answered = self.event_s if kind == "event" else self.probe_s if kind == "probe" else self.ping_s
        return answered + [float("inf")] * self.timeouts[kind]

    def p95_by_third(self) -> list:
        """Answered events' p95 in each third of the window: falling figures mean a backlog draining, flat ones a
        steady state."""
        if not self.event_at:
            return []
        began, span = min(self.event_at), max(max(self.event_at) - min(self.event_at), 1e-9)
        thirds: list[list[float]] = [[], [], []]
        for at, seconds in zip(self.event_at, self.event_s, strict=True):
            thirds[min(int(3 * (at - began) / span), 2)].append(seconds)
        return [ms(percentile(third, 95)) for third in thirds]

    def summary(self) -> dict:
        errors = (
            self.timeouts["event"]
            + self.disconnects
            + self.page_load_failures
            + self.not_logged_in
            + self.http_5xx
            + self.http_failures
        )
        attempts = self.events_sent + self.page_loads + self.rest_sent
        events, probes, pings = self.with_timeouts("event"), self.with_timeouts("probe"), self.with_timeouts("ping")
        event_p95, probe_p95 = percentile(events, 95), percentile(probes, 95)
        ratio = event_p95 / probe_p95 if event_p95 and probe_p95 and probe_p95 != float("inf") else None
        return {
            "users": self.users,
            "window_s": round(self.window_s, 1),
            "events_sent": self.events_sent,
            "events_answered": len(self.event_s),
            "event_p50_ms": ms(percentile(events, 50)),
            "event_p95_ms": ms(event_p95),
            "event_p99_ms": ms(percentile(events, 99)),
            "event_max_ms": ms(max(events, default=None)),
            "event_p95_by_third_ms": self.p95_by_third(),
            "errors": errors,
            "error_pct": round(100 * errors / attempts, 2) if attempts else 0.0,
            "event_timeouts": self.timeouts["event"],
            "disconnects": self.disconnects,
            "page_load_failures": self.page_load_failures,
            "not_logged_in": self.not_logged_in,
            "http_5xx": self.http_5xx,
            "http_failures": self.http_failures,
            "page_loads": self.page_loads,
            "page_load_p95_ms": ms(percentile(self.page_load_s, 95)),
            "probe_sent": self.probe_sent,
            "probe_timeouts": self.timeouts["probe"],
            "probe_p50_ms": ms(percentile(probes, 50)),
            "probe_p95_ms": ms(probe_p95),
            "ping_p95_ms": ms(percentile(pings, 95)),
            "ratio_event_p95_to_probe_p95": (
                None if ratio is None else "inf" if ratio == float("inf") else round(ratio, 1)
            ),
            "rest_sent": self.rest_sent,
            "rest_p95_ms": ms(percentile(self.rest_s, 95)),
            "openapi_requests": len(self.openapi_s),
            "openapi_max_ms": ms(max([*self.openapi_s, self.openapi_waiting_s], default=None) or None),
            "page_loads_unfinished": self.page_loads_unfinished,
            "page_load_failure_reasons": self.page_load_failure_reasons,
            "ramp": self.ramp,
            "generator_lag_ms": self.generator_lag_ms,
        }


@dataclass
class LoadConfig:
    url: str
    users: list[int]
    window_s: float = 60.0
    ramp_per_s: float = 25.0
    mode: str = "mixed"
    server_pid: int | None = None
    redis_url: str = ""
    database_url: str = ""
    seed: int = 12
    deadline_s: float | None = None
    quiet: bool = False

    def default_deadline(self) -> float:
        ramp = max(self.users) / self.ramp_per_s
        logins = max(self.users) * 0.7  # Argon2 checks on the server, 3 at a time (0.6 s each on a busy machine)
        return ramp + logins + len(self.users) * (self.window_s + CONNECT_TIMEOUT_S + 15) + 120


class Accounts:
    """Login tokens: the demo learners first (one login per tab, as each browser logs in), then new sign-ups."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http
        self.next_demo = 0
        self.demo_missing = False
        self.run_id = uuid.uuid4().hex[:8]
        self.registered = 0
        self.failures = 0  # logins answered 5xx or timed out, then tried again

    async def _one(self) -> str:
        if not self.demo_missing and self.next_demo < len(DEMO_LEARNERS):
            email = DEMO_LEARNERS[self.next_demo]
            self.next_demo += 1
            response = await self.http.post(
                "/api/auth/login/", json={"email": email, "password": DEMO_PASSWORD}, timeout=LOGIN_TIMEOUT_S
            )
            if response.status_code == 200:
                return response.json()["token"]
            if response.status_code not in (400, 401, 404, 422):
                response.raise_for_status()
            self.demo_missing = True  # not the demo data: sign up instead
        self.registered += 1
        response = await self.http.post(
            "/api/auth/register/",
            json={
                "email": f"load-{self.run_id}-{self.registered}@example.com",
                "password": "load-bench-password",
                "full_name": f"Load Learner {self.registered}",
            },
            timeout=LOGIN_TIMEOUT_S,
        )
        response.raise_for_status()
        return response.json()["token"]

    async def retried(self, attempts: int = 3) -> str:
        """One login; a 5xx or timeout is tried again (SQLite answers concurrent logins "database is locked")."""
        for attempt in range(attempts):
            try:
                return await self._one()
            except (httpx.HTTPStatusError, httpx.TransportError) as error:
                if attempt == attempts - 1 or (
                    isinstance(error, httpx.HTTPStatusError) and error.response.status_code < 500
                ):
                    raise
                self.failures += 1
                await asyncio.sleep(1.0)
        raise AssertionError("unreachable")

    async def tokens(self, count: int, concurrency: int = 3) -> list[str]:
        if count <= 0:
            return []
        first = await self.retried()  # finds out whether the demo learners exist before going parallel
        gate = asyncio.Semaphore(concurrency)

        async def gated() -> str:
            async with gate:
                return await self.retried()

        return [first, *await asyncio.gather(*(gated() for _ in range(count - 1)))]


async def initial_state_hashes(http: httpx.AsyncClient, path: str) -> list[str] | None:
    """The compiled initialState's hashes the frontend sends with its first hydrate, read from the served bundle."""
    try:
        page = await http.get(path + "/")
        for asset in dict.fromkeys(re.findall(r'(?:src|href)="(/assets/[^"]+\.js)"', page.text)):
            text = (await http.get(asset)).text
            found = re.search(r"initialStateHashes\s*=\s*\[([^\]]*)\]", text)
            if found:
                return re.findall(r"[0-9a-f]{16}", found.group(1))
    except httpx.HTTPError:
        pass
    return None  # then every hydrate gets the full state, as a reconnect does


class LoadRun:
    """The steps, the tabs and the background loops of one run, on one asyncio loop."""

    def __init__(self, config: LoadConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        self.tabs: list[Tab] = []
        self.probes: list[Tab] = []
        self.window: StepStats | None = None  # None between windows: samples then are not counted
        self.stopping = False
        self.results: list[dict] = []
        self.generator = psutil.Process()
        self.openapi_began: float | None = None

    # -- recording -------------------------------------------------------------------------------------------
    def _counted(self) -> StepStats | None:
        return self.window

    def _on_answer(self, pending, seconds: float) -> None:
        if pending.stats is not None and not pending.timed_out:  # a late answer is already a timeout
            pending.stats.answered(pending.kind, seconds)

    def _on_lost(self, _tab: Tab) -> None:
        if self.window is not None:
            self.window.disconnects += 1

    def _sweep(self, tab: Tab, now: float, everything: bool = False) -> None:
        for queue in (tab.pending, tab.pings):
            for pending in queue:
                if pending.timed_out:
                    continue
                if not everything and now - pending.sent < TIMEOUT_S:
                    break
                pending.timed_out = True
                if pending.stats is not None:
                    pending.stats.timeouts[pending.kind] += 1
            if everything:
                queue.clear()

    async def _sweeper(self) -> None:
        while not self.stopping:
            await asyncio.sleep(1.0)
            now = time.perf_counter()
            for tab in self.tabs + self.probes:
                self._sweep(tab, now)

    def _unresolved(self, stats: StepStats) -> bool:
        return any(
            p.stats is stats and not p.timed_out
            for tab in self.tabs + self.probes
            for queue in (tab.pending, tab.pings)
            for p in queue
        )

    # -- tabs --------------------------------------------------------------------------------------------------
    async def _load_page(self, tab: Tab, stats: StepStats) -> bool:
        """Connect and hydrate (the page load); counted in the step the tab belongs to."""
        self._sweep(tab, time.perf_counter(), everything=True)  # answers to a lost socket never come
        stats.page_loads += 1
        began = time.perf_counter()
        stage = "connect"
        try:
            await tab.connect(CONNECT_TIMEOUT_S)
            stage = "hydrate"
            await asyncio.wait_for(tab.hydrated.wait(), CONNECT_TIMEOUT_S)
        except Exception as error:
            reason = f"{stage}: {type(error).__name__}"
            stats.page_load_failures += 1
            stats.page_load_failure_reasons[reason] = stats.page_load_failure_reasons.get(reason, 0) + 1
            await tab.close()
            tab.closing = False
            return False
        stats.page_load_s.append(tab.hydrated_at - began)
        if not tab.user_id or any(path.startswith("/login") for path in tab.redirects):
            stats.not_logged_in += 1
        return True

    def _filter_change(self, tab: Tab) -> dict:
        name = self.rng.choices(("q", "skill", "level", "sort"), weights=(5, 2, 2, 1))[0]
        if name == "q":
            value = self.rng.choice(WORDS)
        elif name == "skill":
            value = self.rng.choice(["any", *(tab.skills or SKILLS)])
        elif name == "level":
            value = self.rng.choice(LEVELS)
        else:
            value = self.rng.choice(SORTS)
        return {"name": name, "value": value}

    async def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while not self.stopping and (left := end - time.monotonic()) > 0:
            await asyncio.sleep(min(left, 1.0))

    async def _user(self, tab: Tab, stats: StepStats) -> None:
        while not await self._load_page(tab, self._counted() or stats):
            await self._sleep(RELOAD_AFTER_S)  # a page that never loads gets reloaded, as a person would
            if self.stopping:
                return
        while not self.stopping:
            await self._sleep(self.rng.expovariate(1 / THINK_S))
            if self.stopping:
                return
            if not tab.connected:  # the browser reconnects (and hydrates again)
                counted = self._counted()
                if counted is None or not await self._load_page(tab, counted):
                    await self._sleep(2.0)
                continue
            counted = self._counted()
            if counted is not None:
                counted.sent("event")
            try:
                await tab.emit(SET_FILTER, self._filter_change(tab), counted, "event")
            except Exception:
                tab.connected = False

    async def _probe(self, tab: Tab, stats: StepStats) -> None:
        role = "learner"
        while not self.stopping:
            if not tab.connected and not await self._load_page(tab, self._counted() or stats):
                await self._sleep(2.0)
                continue
            await self._sleep(self.rng.uniform(0.9 * PROBE_EVERY_S, 1.1 * PROBE_EVERY_S))
            counted = self._counted()
            role = "mentor" if role == "learner" else "learner"
            try:
                if counted is not None:
                    counted.sent("probe")
                await tab.emit(PROBE_EVENT, {"value": role}, counted, "probe")
                if counted is not None:
                    counted.sent("ping")
                await tab.ping(counted)
            except Exception:
                tab.connected = False

    def _new_tab(self, token: str, session: aiohttp.ClientSession) -> Tab:
        tab = Tab(self.config.url, token, "/sessions", self.hashes, session)
        tab.on_answer, tab.on_lost = self._on_answer, self._on_lost
        return tab

    # -- HTTP loops ----------------------------------------------------------------------------------------------
    async def _timed_get(self, http: httpx.AsyncClient, path: str, stats: StepStats | None, **kwargs) -> None:
        if stats is not None:
            stats.rest_sent += 1
        began = time.perf_counter()
        try:
            response = await http.get(path, **kwargs)
        except httpx.HTTPError:
            if stats is not None:
                stats.http_failures += 1
            return
        if stats is not None:
            stats.rest_s.append(time.perf_counter() - began)
            if response.status_code >= 500:
                stats.http_5xx += 1

    async def _rest(self, http: httpx.AsyncClient, tokens: dict[Tab, str]) -> None:
        in_flight: set[asyncio.Task] = set()
        while not self.stopping:
            ready = [tab for tab in self.tabs if tab.hydrated_at is not None]
            if not ready:
                await self._sleep(0.5)
                continue
            gap = self.rng.expovariate(len(ready) / REST_EVERY_S)
            if gap > 1.0:  # the rate grows as tabs load: draw again in a second (memoryless, so still Poisson)
                await self._sleep(1.0)
                continue
            await self._sleep(gap)
            tab = self.rng.choice(ready)
            headers = {"Authorization": f"Bearer {tokens[tab]}"}
            if self.rng.random() < 0.5:
                call = self._timed_get(
                    http, "/api/sessions/", self._counted(), params={"q": self.rng.choice(WORDS)}, headers=headers
                )
            else:
                call = self._timed_get(http, "/api/recommendations/", self._counted(), headers=headers)
            task = asyncio.create_task(call)
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)
        await asyncio.gather(*in_flight, return_exceptions=True)

    async def _openapi(self, http: httpx.AsyncClient) -> None:
        while not self.stopping:
            began = self.openapi_began = time.perf_counter()
            stats = self._counted()
            try:
                response = await http.get("/api/openapi.json", timeout=60)
                failed = response.status_code >= 500
            except httpx.HTTPError:
                failed = True
            took = time.perf_counter() - began
            self.openapi_began = None
            if stats is not None:
                stats.openapi_s.append(took)
                stats.http_5xx += failed
            await self._sleep(max(0.0, OPENAPI_EVERY_S - took))

    # -- the run -------------------------------------------------------------------------------------------------
    def _print(self, line: str) -> None:
        if not self.config.quiet:
            print(line, flush=True)

    async def run(self) -> list[dict]:
        config = self.config
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        async with (
            httpx.AsyncClient(base_url=config.url, timeout=TIMEOUT_S, limits=limits) as http,
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session,
        ):
            self.hashes = await initial_state_hashes(http, "/sessions")
            accounts = Accounts(http)
            watch = ServerWatch(config.server_pid, config.redis_url, config.database_url)
            tokens: dict[Tab, str] = {}
            tasks: list[asyncio.Task] = []
            setup = StepStats(users=0)
            began = time.monotonic()
            # Every login first (Argon2 on the server), so no window measures them.
            self.spare_tokens = await accounts.tokens(max(config.users) + 2)
            self._print(
                f"logged in {len(self.spare_tokens)} tabs in {time.monotonic() - began:.0f} s "
                f"({accounts.failures} logins failed with a 5xx or timeout and were tried again)"
            )
            for token in [self.spare_tokens.pop(), self.spare_tokens.pop()]:
                probe = self._new_tab(token, session)
                probe.watched = AUTH  # the setter's delta is AuthState's
                self.probes.append(probe)
                tasks.append(asyncio.create_task(self._probe(probe, setup)))
            tasks += [asyncio.create_task(self._sweeper()), asyncio.create_task(self._openapi(http))]
            if config.mode == "mixed":
                tasks.append(asyncio.create_task(self._rest(http, tokens)))
            self._print(
                f"{config.url}  mode={config.mode}  window={config.window_s:.0f}s  ramp={config.ramp_per_s:g}/s  "
                f"hashes={'yes' if self.hashes else 'no'}"
            )
            try:
                for users in config.users:
                    await self._step(users, session, tokens, tasks, watch)
            finally:
                self.stopping = True
                finished, unfinished = await asyncio.wait(tasks, timeout=30)
                for task in unfinished:
                    task.cancel()
                for task in finished:
                    if not task.cancelled() and task.exception() is not None:
                        print(f"a load loop failed: {task.exception()!r}", file=sys.stderr)
                await asyncio.wait([asyncio.create_task(tab.close()) for tab in self.tabs + self.probes], timeout=30)
        return self.results

    async def _step(self, users, session, tokens, tasks, watch) -> None:
        config = self.config
        stats = StepStats(users=users)
        new = users - len(self.tabs)
        started = time.monotonic()
        fresh: list[Tab] = []
        for token in [self.spare_tokens.pop() for _ in range(new)]:
            tab = self._new_tab(token, session)
            tokens[tab] = token
            fresh.append(tab)
        ramp = ResourceSpan(self.generator, watch)
        await asyncio.to_thread(ramp.start)
        ramp_lag = asyncio.create_task(_loop_lag())
        for tab in fresh:  # the ramp: connects at a fixed rate, never waiting for the previous page load
            self.tabs.append(tab)
            tasks.append(asyncio.create_task(self._user(tab, stats)))
            await asyncio.sleep(1 / config.ramp_per_s)
        settle_until = time.monotonic() + 2 * CONNECT_TIMEOUT_S + 5  # a page load gives up after 2 x 30 s
        while time.monotonic() < settle_until and stats.page_loads - len(stats.page_load_s) - stats.page_load_failures:
            await asyncio.sleep(0.5)  # page loads still in flight
        ramp_lag.cancel()
        stats.ramp = await asyncio.to_thread(ramp.finish)
        stats.ramp["generator_lag_ms"] = await ramp_lag_summary(ramp_lag)
        self._print(f"step {users} users: {new} new tabs loaded in {time.monotonic() - started:.0f} s; measuring")
        self._print(f"  ramp: {format_span(stats.ramp)}")
        await asyncio.to_thread(watch.start)
        window_lag = asyncio.create_task(_loop_lag())
        cpu_before, clock = self.generator.cpu_times(), time.monotonic()
        machine_before = psutil.cpu_times()
        self.window = stats
        window_end = clock + config.window_s
        while (left := window_end - time.monotonic()) > 0:
            await asyncio.sleep(min(left, 5.0))
            if left > 5.0:
                await asyncio.to_thread(watch.sample_connections)
        self.window = None
        stats.window_s = time.monotonic() - clock
        window_lag.cancel()
        stats.generator_lag_ms = await ramp_lag_summary(window_lag)
        cpu_after = self.generator.cpu_times()
        machine_after = psutil.cpu_times()
        if self.openapi_began is not None:
            stats.openapi_waiting_s = time.perf_counter() - self.openapi_began
        sample = await asyncio.to_thread(watch.finish)
        grace_until = time.monotonic() + TIMEOUT_S + 2  # the window's last events get their answer or time out
        while time.monotonic() < grace_until and self._unresolved(stats):
            await asyncio.sleep(0.5)
        stats.page_loads_unfinished = stats.page_loads - len(stats.page_load_s) - stats.page_load_failures
        result = stats.summary()
        result["generator_cpu_percent"] = round(
            100 * (cpu_after.user + cpu_after.system - cpu_before.user - cpu_before.system) / stats.window_s, 1
        )
        result["server_processes"], result["redis"], result["postgres"] = (
            sample.processes,
            sample.redis,
            sample.postgres,
        )
        result["services_cpu_percent"] = sample.services_cpu_percent
        idle = (machine_after.idle + machine_after.iowait) - (machine_before.idle + machine_before.iowait)
        result["machine_busy_percent"] = round(100 * (psutil.cpu_count() - idle / stats.window_s), 1)
        steal = getattr(machine_after, "steal", 0.0) - getattr(machine_before, "steal", 0.0)  # the hypervisor's share
        result["machine_steal_percent"] = round(100 * steal / stats.window_s, 1)
        self.results.append(result)
        self._print(format_step(result))


COLUMNS = [
    ("users", "users"),
    ("events_sent", "events"),
    ("event_p50_ms", "p50"),
    ("event_p95_ms", "p95"),
    ("event_p99_ms", "p99"),
    ("event_max_ms", "max"),
    ("errors", "errors"),
    ("error_pct", "err%"),
    ("page_load_p95_ms", "load p95"),
    ("probe_p50_ms", "probe p50"),
    ("probe_p95_ms", "probe p95"),
    ("ratio_event_p95_to_probe_p95", "p95/probe"),
    ("rest_p95_ms", "REST p95"),
    ("openapi_max_ms", "openapi max"),
]


def _cell(value) -> str:
    return "-" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def format_table(results: list[dict]) -> str:
    header = "| " + " | ".join(title for _, title in COLUMNS) + " |"
    rule = "|" + "|".join("---" for _ in COLUMNS) + "|"
    rows = ["| " + " | ".join(_cell(r[key]) for key, _ in COLUMNS) + " |" for r in results]
    return "\n".join([header, rule, *rows])


LAG_TICK_S = 0.05


async def _loop_lag() -> list[float]:
    """The generator's own loop lag: how late a 50 ms sleep wakes (seconds), until cancelled. A late wake delays
    every sample taken meanwhile, so this says how much of a measured latency is the generator's, not the app's."""
    lags: list[float] = []
    try:
        while True:
            began = time.perf_counter()
            await asyncio.sleep(LAG_TICK_S)
            lags.append(max(0.0, time.perf_counter() - began - LAG_TICK_S))
    except asyncio.CancelledError:
        return lags


async def ramp_lag_summary(task: asyncio.Task) -> dict:
    lags = await task if not task.cancelled() else []
    return {"p95": ms(percentile(lags, 95)), "max": ms(max(lags, default=None))}


class ResourceSpan:
    """CPU of the server's processes, PostgreSQL, Redis, the generator and the machine over a span (the ramp)."""

    def __init__(self, generator: psutil.Process, watch: ServerWatch) -> None:
        self.generator, self.watch = (
            generator,
            ServerWatch(watch.root.pid if watch.root else None, watch.redis_url, watch.database_url),
        )

    def start(self) -> None:
        self.watch.start()
        self.began, self.cpu, self.machine = time.monotonic(), self.generator.cpu_times(), psutil.cpu_times()

    def finish(self) -> dict:
        seconds = max(time.monotonic() - self.began, 1e-6)
        sample, cpu, machine = self.watch.finish(), self.generator.cpu_times(), psutil.cpu_times()
        idle = (machine.idle + machine.iowait) - (self.machine.idle + self.machine.iowait)
        return {
            "seconds": round(seconds, 1),
            "server_cpu_percent": {f"{p['what']} {p['pid']}": p["cpu_percent"] for p in sample.processes},
            "services_cpu_percent": sample.services_cpu_percent,
            "generator_cpu_percent": round(
                100 * (cpu.user + cpu.system - self.cpu.user - self.cpu.system) / seconds, 1
            ),
            "machine_busy_percent": round(100 * (psutil.cpu_count() - idle / seconds), 1),
        }


def format_span(span: dict) -> str:
    procs = ", ".join(f"{what} {share:g}%" for what, share in span["server_cpu_percent"].items() if share >= 1)
    services = ", ".join(f"{name} {share:g}%" for name, share in span["services_cpu_percent"].items())
    lag = span.get("generator_lag_ms") or {}
    return (
        f"{span['seconds']:g} s; machine {span['machine_busy_percent']:g}% busy; server {procs or '-'}; {services};"
        f" generator {span['generator_cpu_percent']:g}% CPU, loop lag p95 {_cell(lag.get('p95'))} ms,"
        f" max {_cell(lag.get('max'))} ms"
    )


def format_step(result: dict) -> str:
    lines = [format_table([result])]
    reasons = f" {result['page_load_failure_reasons']}" if result["page_load_failure_reasons"] else ""
    lines.append(
        f"  errors: {result['event_timeouts']} event timeouts, {result['disconnects']} disconnects, "
        f"{result['page_load_failures']} failed page loads{reasons}, "
        f"{result['not_logged_in']} tabs not logged in, "
        f"{result['http_5xx']} HTTP 5xx, {result['http_failures']} failed requests; "
        f"answered {result['events_answered']}/{result['events_sent']}; probe timeouts {result['probe_timeouts']}; "
        f"ping p95 {_cell(result['ping_p95_ms'])} ms; REST {result['rest_sent']} requests; "
        f"openapi {result['openapi_requests']} requests; {result['page_loads_unfinished']} page loads unfinished"
    )
    thirds = " / ".join(_cell(value) for value in result["event_p95_by_third_ms"])
    lines.append(f"  event p95 by third of the window: {thirds or '-'} ms (answered events)")
    procs = ", ".join(
        f"{p['what']} {p['pid']}: {p['cpu_percent']:g}% {p['rss_mb']:g} MB" for p in result["server_processes"]
    )
    lines.append(f"  server: {procs or 'not watched'}")
    extra = [
        f"machine {result['machine_busy_percent']:g}% busy of {100 * (psutil.cpu_count() or 1)}%"
        f" ({result['machine_steal_percent']:g}% stolen by the hypervisor)",
        f"generator {result['generator_cpu_percent']:g}% CPU, loop lag p95"
        f" {_cell(result['generator_lag_ms'].get('p95'))} ms, max {_cell(result['generator_lag_ms'].get('max'))} ms",
        *(f"{name} {share:g}% CPU" for name, share in result.get("services_cpu_percent", {}).items()),
    ]
    if result["redis"]:
        redis = result["redis"]
        extra.append(
            f"Redis {redis['ops_per_s']:g} ops/s, {redis['used_memory_mb']:g} MB, {redis['clients']} clients,"
            f" {redis['new_connections_per_s']:g} new connections/s"
        )
    if result["postgres"]:
        pg = result["postgres"]
        extra.append(f"PostgreSQL {pg['connections_max']} connections (max), {pg['commits_per_s']:g} commits/s")
    lines.append("  " + "; ".join(extra))
    return "\n".join(lines)


async def run_load(config: LoadConfig) -> list[dict]:
    """The harness's core: every step against an app already running at config.url; bounded by the deadline."""
    if urlsplit(config.url).hostname not in LOOPBACK:
        raise SystemExit(f"Load goes only to this machine (127.0.0.1); refusing {config.url}")
    run = LoadRun(config)
    deadline = config.deadline_s or config.default_deadline()
    try:
        return await asyncio.wait_for(run.run(), deadline)
    except TimeoutError:
        print(f"Stopped at the total deadline ({deadline:.0f} s); steps measured so far follow.", flush=True)
        return run.results


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--url", help="an app already running on this machine, e.g. http://127.0.0.1:3000")
    where.add_argument("--start", choices=["sqlite", "postgres"], help="start the production server itself")
    parser.add_argument("--workers", type=int, default=1, help="GRANIAN_WORKERS for --start")
    parser.add_argument("--users", default="50,200,1000", help="cumulative steps, e.g. 50,200,1000")
    parser.add_argument("--window", type=float, default=60.0, help="seconds measured per step")
    parser.add_argument("--ramp", type=float, default=25.0, help="connects per second while a step ramps up")
    parser.add_argument("--mode", choices=["mixed", "socket"], default="mixed")
    parser.add_argument("--server-pid", type=int, help="--url: the server's root process (found from the port)")
    parser.add_argument("--redis-url", default="", help="--url: Redis to read INFO from")
    parser.add_argument("--database-url", default="", help="--url: PostgreSQL to read statistics from")
    parser.add_argument("--deadline", type=float, help="total seconds before the run stops itself")
    parser.add_argument("--smoke", action="store_true", help="10 users for 10 s (starts SQLite unless --url)")
    parser.add_argument("--json", type=Path, help="write the steps' figures here")
    args = parser.parse_args(argv)
    if args.smoke:
        args.users, args.window = "10", 10.0
        if not args.url:
            args.start = args.start or "sqlite"
    if not args.url and not args.start:
        parser.error("give --url or --start")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    users = [int(n) for n in args.users.split(",")]
    if users != sorted(users) or users[0] <= 0:
        raise SystemExit("--users are cumulative steps in increasing order, e.g. 50,200,1000")

    def config_for(app: StartedApp) -> LoadConfig:
        return LoadConfig(
            url=app.url,
            users=users,
            window_s=args.window,
            ramp_per_s=args.ramp,
            mode=args.mode,
            server_pid=app.pid,
            redis_url=app.redis_url,
            database_url=app.database_url,
            deadline_s=args.deadline,
        )

    if args.start:
        print(f"Starting the app: {args.start}, {args.workers} worker(s) (migrate, seed, build) ...", flush=True)
        with started_app(args.start, args.workers) as app:
            results = asyncio.run(run_load(config_for(app)))
        setup = f"{args.start}, {args.workers} worker(s)"
    else:
        port = urlsplit(args.url).port or 80
        app = StartedApp(args.url, args.server_pid or listener_pid(port), args.database_url, args.redis_url)
        results = asyncio.run(run_load(config_for(app)))
        setup = args.url
    print(f"\n{setup}, mode {args.mode}, {args.window:g} s windows (latencies in ms)\n{format_table(results)}")
    if args.json:
        args.json.write_text(json.dumps({"setup": setup, "mode": args.mode, "steps": results}, indent=2))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
