"""Kill one app node under load and measure what the users see: failed events, reconnects, bookings.

Issue #12 (scale-out). bench/load.py's tabs go through HAProxy (bench/topology.py); `--kill-after` seconds into the
measured window one app node gets SIGKILL (its whole process group: workers and media server). A tab whose socket
closes reconnects at once, as the frontend does, lands on the live node, hydrates again from its login cookie, and
must get a delta for a fresh event: the time from the disconnect to that delta is its recovery time. Meanwhile
learners book sessions through HAProxy's REST API and retry what failed in transit; afterwards every booking must
exist exactly once. Printed: events sent / failed (lost with the socket, or unanswered after 10 s: counted apart,
with when each lost one was sent), tabs cut off, recovery p50/max, bookings made / retried, and bench/load.py's
usual per-step table.

    .venv/bin/python bench/failover.py --users 100 --window 40 --kill-after 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx

from bench.load import SET_FILTER, TIMEOUT_S, LoadConfig, LoadRun, StepStats, format_step, percentile
from bench.topology import Node, Topology, topology

RECOVERY_LIMIT_S = 30.0
RELOAD_TIMEOUT_S = 10.0
BOOKING_ATTEMPTS = 20


@dataclass
class Booker:
    """One learner booking one session through the load balancer, retrying until the answer is definite."""

    token: str
    session_id: int
    booking_id: int | None = None
    status: int | None = None
    attempts: int = 0


@dataclass
class FailoverReport:
    step: dict
    events_sent: int
    events_failed: int
    tabs_cut_off: int
    recovered: int
    recovery_s: list[float] = field(default_factory=list)
    bookings: list[Booker] = field(default_factory=list)
    killed: str = ""
    failures: dict[str, int] = field(default_factory=dict)  # events_failed by how: lost with the socket, or late
    lost_sent_s: list[float] = field(default_factory=list)  # when each lost event was sent, seconds from the kill
    not_recovered: list[str] = field(default_factory=list)  # what each tab still waiting was doing at the end

    @property
    def failed_pct(self) -> float:
        return 100 * self.events_failed / self.events_sent if self.events_sent else 0.0

    def summary(self) -> dict:
        return {
            "killed": self.killed,
            "events_sent": self.events_sent,
            "events_failed": self.events_failed,
            "failed_pct": round(self.failed_pct, 2),
            "failures": self.failures,
            "lost_sent_s_from_kill": [round(s, 2) for s in self.lost_sent_s],
            "tabs_cut_off": self.tabs_cut_off,
            "recovered": self.recovered,
            "recovery_p50_s": _round(percentile(self.recovery_s, 50)),
            "recovery_max_s": _round(max(self.recovery_s, default=None)),
            "bookings": len(self.bookings),
            "bookings_created": sum(1 for b in self.bookings if b.status == 201),
            "booking_retries": sum(max(b.attempts - 1, 0) for b in self.bookings),
            "not_recovered": self.not_recovered,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


class FailoverRun(LoadRun):
    """bench/load.py's run, with the browser's immediate reconnect and a recovery clock per lost tab."""

    def __init__(self, config: LoadConfig) -> None:
        super().__init__(config)
        self.page_locks: dict[int, asyncio.Lock] = {}
        self.cut_off = 0
        self.lost: set[int] = set()
        self.recovered_tabs: set[int] = set()
        self.recovery_s: list[float] = []
        self.recovering: set[asyncio.Task] = set()
        self.killed_at: float | None = None
        self.failures = {"lost_with_socket": 0, "unanswered_10s": 0}
        self.lost_sent: list[float] = []

    def _sweep(self, tab, now: float, everything: bool = False) -> None:
        """Counts each failing event by how it failed before the shared sweep marks it timed out."""
        for pending in tab.pending:
            if pending.timed_out or pending.stats is None or pending.kind != "event":
                continue
            if everything:
                self.failures["lost_with_socket"] += 1
                self.lost_sent.append(pending.sent - (self.killed_at or pending.sent))
            elif now - pending.sent >= TIMEOUT_S:
                self.failures["unanswered_10s"] += 1
            else:
                break
        super()._sweep(tab, now, everything)

    async def _load_page(self, tab, stats: StepStats) -> bool:
        lock = self.page_locks.setdefault(id(tab), asyncio.Lock())
        async with lock:  # the reconnect below and the user loop must not both open a socket
            if tab.connected and tab.hydrated_at is not None:
                return True
            return await super()._load_page(tab, stats)

    async def _reload(self, tab, stats: StepStats) -> bool:
        """The browser's reconnect: like a page load, but giving up after RELOAD_TIMEOUT_S to try again at once
        (a socket accepted by a node that is going away must not hold the tab for the harness's 30 s)."""
        lock = self.page_locks.setdefault(id(tab), asyncio.Lock())
        async with lock:
            if tab.connected and tab.hydrated_at is not None:
                return True
            self._sweep(tab, time.perf_counter(), everything=True)  # answers to the lost socket never come
            stats.page_loads += 1
            began = time.perf_counter()
            try:
                await tab.connect(RELOAD_TIMEOUT_S)
                await asyncio.wait_for(tab.hydrated.wait(), RELOAD_TIMEOUT_S)
            except Exception:
                await tab.close()
                tab.closing = False
                return False
            stats.page_load_s.append(tab.hydrated_at - began)
            return True

    def _on_lost(self, tab) -> None:
        super()._on_lost(tab)
        if self.stopping or tab not in self.tabs or id(tab) in self.lost:
            return  # one recovery clock per tab: the first loss (a late callback of a failed retry is not another)
        self.lost.add(id(tab))
        self.cut_off += 1
        task = asyncio.get_running_loop().create_task(self._recover(tab, time.perf_counter()))
        self.recovering.add(task)
        task.add_done_callback(self.recovering.discard)

    async def _recover(self, tab, lost_at: float) -> None:
        """Reconnect now, hydrate, and time the first answered event after the disconnect."""
        while not self.stopping and time.perf_counter() - lost_at < RECOVERY_LIMIT_S:
            if await self._reload(tab, self._counted() or StepStats(users=0)):
                try:
                    await tab.emit(SET_FILTER, {"name": "sort", "value": "soonest"}, None, "event")
                except Exception:
                    await asyncio.sleep(0.2)
                    continue
                while tab.pending and tab.connected and time.perf_counter() - lost_at < RECOVERY_LIMIT_S:
                    await asyncio.sleep(0.05)  # a socket dropped again is reconnected again, as the browser does
                if not tab.pending:
                    self.recovery_s.append(time.perf_counter() - lost_at)
                    self.recovered_tabs.add(id(tab))
                    return
            await asyncio.sleep(0.2)


async def _book(client: httpx.AsyncClient, booker: Booker) -> None:
    """Book, retrying transport errors and 5xx (the node may die mid-request); 409 means an earlier try landed."""
    while booker.attempts < BOOKING_ATTEMPTS:
        booker.attempts += 1
        try:
            response = await client.post(
                f"/api/sessions/{booker.session_id}/book/", headers={"Authorization": f"Bearer {booker.token}"}
            )
        except httpx.HTTPError:
            await asyncio.sleep(0.3)
            continue
        if response.status_code >= 500:
            await asyncio.sleep(0.3)
            continue
        booker.status = response.status_code
        if response.status_code == 201:
            booker.booking_id = response.json()["id"]
        return


async def _book_all(url: str, bookers: list[Booker], spread_s: float) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=15) as client:
        tasks = []
        for booker in bookers:
            tasks.append(asyncio.create_task(_book(client, booker)))
            await asyncio.sleep(spread_s / max(len(bookers), 1))
        await asyncio.gather(*tasks)


async def run_failover(
    top: Topology, victim: Node, users: int, window_s: float, kill_after_s: float, bookers: list[Booker]
) -> FailoverReport:
    config = LoadConfig(url=top.url, users=[users], window_s=window_s, mode="socket", quiet=True)
    run = FailoverRun(config)

    async def kill_when_due() -> None:
        while run.window is None:
            await asyncio.sleep(0.1)
        booking = asyncio.create_task(_book_all(top.url, bookers, spread_s=window_s * 0.8))
        await asyncio.sleep(kill_after_s)
        run.killed_at = time.perf_counter()
        await asyncio.to_thread(victim.kill)
        await booking

    killer = asyncio.create_task(kill_when_due())
    [step] = await asyncio.wait_for(run.run(), config.default_deadline())
    await killer
    return FailoverReport(
        step=step,
        events_sent=step["events_sent"],
        events_failed=step["event_timeouts"],
        tabs_cut_off=run.cut_off,
        recovered=len(run.recovery_s),
        recovery_s=run.recovery_s,
        bookings=bookers,
        killed=victim.name,
        failures=run.failures,
        lost_sent_s=run.lost_sent,
        not_recovered=[
            f"connected={tab.connected} hydrated={tab.hydrated_at is not None} pending={len(tab.pending)}"
            for tab in run.tabs
            if id(tab) in run.lost and id(tab) not in run.recovered_tabs
        ],
    )


def _bookers(top: Topology, count: int) -> list[Booker]:
    """Learners and free sessions of their own, made in the topology's database."""
    from sqlmodel import Session, create_engine

    from peerlearn.accounts.actions import issue_token
    from tests.factories import make_session, make_user

    engine = create_engine(top.database_url)
    with Session(engine, expire_on_commit=False) as db:
        mentor = make_user(db, mentor=True, name="Failover Mentor")
        bookers = []
        for i in range(count):
            learner = make_user(db, name=f"Failover Learner {i}")
            session_id = make_session(
                db, mentor, title=f"Failover session {i}", capacity=3, start_in=timedelta(days=3, hours=2 * i)
            )
            bookers.append(Booker(issue_token(learner, db=db), session_id))
        db.commit()
    engine.dispose()
    return bookers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--window", type=float, default=40.0)
    parser.add_argument("--kill-after", type=float, default=5.0)
    parser.add_argument("--bookings", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1, help="GRANIAN_WORKERS per node")
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    with topology(workers=args.workers, build=not args.no_build) as top:
        bookers = _bookers(top, args.bookings)
        report = asyncio.run(run_failover(top, top.nodes[0], args.users, args.window, args.kill_after, bookers))
    print(format_step(report.step))
    print(json.dumps(report.summary(), indent=2))
    if args.json:
        args.json.write_text(json.dumps({"summary": report.summary(), "step": report.step}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
