"""What one page load and one event cost the server, in CPU milliseconds: the budget behind issue #12's targets.

Latency under load depends on everything else the machine runs; CPU time spent by the server per unit of work does
not (much). This bench starts the production app (as bench/load.py does), then, in three phases, with a few tabs at
a time so nothing queues:

- page loads: a logged-in tab opens `/sessions` (connect, `hydrate_and_load`, the page's on_load chain) and closes;
- search events: `DiscoverState.set_filter` on loaded tabs (the load test's event);
- probe events: a no-database setter (the load test's baseline).

For each phase it prints the count, the server's CPU ms per unit (app workers, then Redis, then PostgreSQL's
backends), and the wall p50. From those it prints the CPU a 1,000-user run needs per second (100 searches/s, two
probes, 25 page loads/s while ramping) against the two cores of this machine.

    .venv/bin/python bench/event_cost.py --start postgres --workers 1
    .venv/bin/python bench/event_cost.py --start sqlite --loads 100 --events 400
    .venv/bin/python bench/event_cost.py --start postgres --accounts 200   # every page load a learner's first
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aiohttp
import httpx
import psutil

from bench._load_server import started_app
from bench._load_tab import AUTH, PROBE_EVENT, SET_FILTER, Tab
from bench.load import Accounts, initial_state_hashes

PARALLEL = 4  # tabs working at once: enough to overlap I/O, few enough that nothing waits in a queue


def _cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def _app_processes(root_pid: int) -> list[psutil.Process]:
    root = psutil.Process(root_pid)
    return [root, *root.children(recursive=True)]


def _named(name: str) -> list[psutil.Process]:
    return [
        p for p in psutil.process_iter(["name", "cmdline"]) if name in " ".join(p.info["cmdline"] or [p.info["name"]])
    ]


class Meter:
    """CPU seconds of the app's process tree, Redis and PostgreSQL between `start()` and `stop()`."""

    def __init__(self, root_pid: int) -> None:
        self.groups = {
            "app": _app_processes(root_pid),
            "redis": _named("redis-server"),
            "postgres": _named("postgres"),
        }

    def read(self) -> dict[str, float]:
        self.groups["postgres"] = _named("postgres")  # backends come and go
        return {name: _cpu_seconds(procs) for name, procs in self.groups.items()}


async def _gated(work, count: int) -> list[float]:
    gate = asyncio.Semaphore(PARALLEL)
    walls: list[float] = []

    async def one(i: int) -> None:
        async with gate:
            began = time.perf_counter()
            await work(i)
            walls.append(time.perf_counter() - began)

    await asyncio.gather(*(one(i) for i in range(count)))
    return walls


async def _answered(tab: Tab, name: str, payload: dict) -> None:
    done = asyncio.get_running_loop().create_future()
    tab.on_answer = lambda _pending, _s: done.done() or done.set_result(None)
    await tab.emit(name, payload, None, "event")
    await asyncio.wait_for(done, 10)


async def measure(
    url: str, root_pid: int, loads: int, events: int, accounts: int
) -> list[tuple[str, int, dict, float]]:
    meter = Meter(root_pid)
    rows = []
    async with httpx.AsyncClient(base_url=url, timeout=30) as http, aiohttp.ClientSession() as session:
        hashes = await initial_state_hashes(http, "/sessions")
        tokens = await Accounts(http).tokens(max(PARALLEL * 2, accounts))

        async def page_load(i: int) -> None:
            tab = Tab(url, tokens[i % len(tokens)], "/sessions", hashes, session)
            await tab.connect(30)
            await asyncio.wait_for(tab.hydrated.wait(), 30)
            await tab.close()

        await _gated(page_load, PARALLEL * 2)  # warm-up: caches, pools, imports
        print(f"measuring page loads (server process {root_pid})", flush=True)  # e.g. for a profiler to attach
        rows.append(await _phase("page load", loads, page_load, meter))

        tabs = [Tab(url, token, "/sessions", hashes, session) for token in tokens[:PARALLEL]]
        for tab in tabs:
            await tab.connect(30)
            await asyncio.wait_for(tab.hydrated.wait(), 30)
        words = ["python", "design", "data", "music", "guitar", "spanish", "finance", "yoga", ""]

        async def search(i: int) -> None:
            await _answered(tabs[i % PARALLEL], SET_FILTER, {"name": "q", "value": words[i % len(words)]})

        async def probe(i: int) -> None:
            tab = tabs[i % PARALLEL]
            tab.watched = AUTH  # the setter's delta lands on AuthState
            await _answered(tab, PROBE_EVENT, {"value": "mentor" if i % 2 else "learner"})

        await _lanes(search, PARALLEL * 4)
        rows.append(await _phase("search event", events, search, meter, serial_tabs=True))
        rows.append(await _phase("probe event", events, probe, meter, serial_tabs=True))
        for tab in tabs:
            await tab.close()
    return rows


async def _lanes(work, count: int) -> list[float]:
    """`work(i)` with one call in flight per tab (lane i % PARALLEL), as a person types."""
    walls: list[float] = []

    async def lane(lane_index: int) -> None:
        for i in range(lane_index, count, PARALLEL):
            began = time.perf_counter()
            await work(i)
            walls.append(time.perf_counter() - began)

    await asyncio.gather(*(lane(k) for k in range(PARALLEL)))
    return walls


async def _phase(name: str, count: int, work, meter: Meter, serial_tabs: bool = False):
    before = meter.read()
    walls = await (_lanes(work, count) if serial_tabs else _gated(work, count))
    after = meter.read()
    cost = {group: 1000 * (after[group] - before[group]) / count for group in before}
    return name, count, cost, 1000 * statistics.median(walls)


def report(rows) -> str:
    lines = [
        "| work | count | app CPU ms | Redis CPU ms | PostgreSQL CPU ms | wall p50 ms |",
        "|---|---|---|---|---|---|",
    ]
    for name, count, cost, wall in rows:
        lines.append(
            f"| {name} | {count} | {cost['app']:.2f} | {cost['redis']:.2f} | {cost['postgres']:.2f} | {wall:.1f} |"
        )
    per = {name: sum(cost.values()) for name, _count, cost, _wall in rows}
    steady = 100 * per["search event"] + 2 * per["probe event"]
    ramp = steady + 25 * per["page load"]
    lines.append(
        f"\n1,000 users need about {steady / 10:.0f}% of one core steady (100 searches/s) and {ramp / 10:.0f}% while"
        " ramping at 25 page loads/s (this machine has 200%), before the load generator and REST traffic."
    )
    lines.append(f"A page load costs {per['page load'] / max(per['search event'], 1e-9):.1f} search events.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", choices=["sqlite", "postgres"], default="postgres")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--loads", type=int, default=200)
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument(
        "--accounts",
        type=int,
        default=PARALLEL * 2,
        help="distinct learners for the page loads; as many as --loads makes each load a learner's first",
    )
    args = parser.parse_args(argv)
    print(f"Starting the app: {args.start}, {args.workers} worker(s) ...", flush=True)
    with started_app(args.start, args.workers) as app:
        rows = asyncio.run(measure(app.url, app.pid, args.loads, args.events, args.accounts))
    print(f"\n{args.start}, {args.workers} worker(s); server CPU per unit of work\n{report(rows)}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
