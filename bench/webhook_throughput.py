"""Webhook handling throughput and p95 over HTTP with 20 concurrent deliveries, 30% of them duplicates,
against one delivery at a time as the baseline (same run); the ledger check at the end must report zero imbalance.

    .venv/bin/python bench/webhook_throughput.py [--events 600] [--concurrency 20]

Uses the simulated gateway's signed events (the same verify, record, apply path as Stripe and Razorpay)
and the PostgreSQL server at 127.0.0.1:5432. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import uvicorn
from sqlmodel import Session, func, select

from bench._pg import fresh_database, percentile
from peerlearn.api.app import create_api
from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.billing.payments import simulated_pay
from peerlearn.booking.actions import book_session
from peerlearn.catalog.actions import create_sessions
from peerlearn.db import get_engine
from peerlearn.models import Payment, User, WebhookEvent
from peerlearn.models.catalog import LearningSessionCreate
from peerlearn.models.enums import PaymentStatus
from peerlearn.models.types import utcnow


def pending_payments(count: int) -> list[str]:
    with Session(get_engine(), expire_on_commit=False) as db:
        mentors = [
            User(email=f"m{i}@bench.test", password_hash="x", full_name=f"M{i}", is_mentor=True)
            for i in range(count // 100 + 1)
        ]
        learners = [User(email=f"l{i}@bench.test", password_hash="x", full_name=f"L{i}") for i in range(count)]
        db.add_all(mentors + learners)
        db.flush()
        start = utcnow() + timedelta(days=5)
        sessions = [
            create_sessions(
                m,
                LearningSessionCreate(
                    title="Paid bench",
                    start_at=start,
                    end_at=start + timedelta(hours=1),
                    capacity=100,
                    price_minor=2500,
                ),
                db=db,
            )[0]
            for m in mentors
        ]
        refs = []
        for i, learner in enumerate(learners):
            _, payment = book_session(learner, sessions[i // 100].id, db=db)
            refs.append(payment.provider_ref)
        db.commit()
        return refs


def signed_events(refs: list[str]) -> list[tuple[bytes, dict[str, str]]]:
    with Session(get_engine()) as db:
        return [simulated_pay(ref, "4242 4242 4242 4242", db=db) for ref in refs]


def serve() -> tuple[str, uvicorn.Server]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_api(), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}/api/payments/simulated/webhook/", server


def deliver(url: str, deliveries: list[tuple[bytes, dict[str, str]]], concurrency: int, label: str) -> dict[str, float]:
    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    lock = threading.Lock()

    def one(delivery: tuple[bytes, dict[str, str]], client: httpx.Client) -> None:
        began = time.perf_counter()
        response = client.post(url, content=delivery[0], headers=delivery[1])
        elapsed = time.perf_counter() - began
        key = (
            response.json().get("outcome", str(response.status_code))
            if response.status_code == 200
            else str(response.status_code)
        )
        with lock:
            latencies.append(elapsed)
            outcomes[key] = outcomes.get(key, 0) + 1

    began = time.perf_counter()
    with (
        httpx.Client(timeout=60, limits=httpx.Limits(max_connections=concurrency)) as client,
        ThreadPoolExecutor(max_workers=concurrency) as pool,
    ):
        list(pool.map(lambda d: one(d, client), deliveries))
    elapsed = time.perf_counter() - began
    print(
        f"{label:<26} {len(deliveries):>5} deliveries in {elapsed:6.2f} s = {len(deliveries) / elapsed:7.1f}/s   "
        f"p50 {1000 * percentile(latencies, 0.5):6.1f} ms   p95 {1000 * percentile(latencies, 0.95):6.1f} ms   "
        f"{outcomes}"
    )
    return {"per_second": len(deliveries) / elapsed, "p95_ms": 1000 * percentile(latencies, 0.95)}


def with_duplicates(
    events: list[tuple[bytes, dict[str, str]]], share: float, rng: random.Random
) -> list[tuple[bytes, dict[str, str]]]:
    extra = [rng.choice(events) for _ in range(int(len(events) * share / (1 - share)))]
    mixed = events + extra
    rng.shuffle(mixed)
    return mixed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=20)
    args = parser.parse_args()
    rng = random.Random(1)
    with fresh_database("peerlearn_bench_webhooks"):
        refs = pending_payments(args.events)
        url, server = serve()
        half = len(refs) // 2
        baseline_events = with_duplicates(signed_events(refs[:half]), 0.3, rng)
        concurrent_events = with_duplicates(signed_events(refs[half:]), 0.3, rng)
        base = deliver(url, baseline_events, 1, "sequential (baseline)")
        conc = deliver(url, concurrent_events, args.concurrency, f"{args.concurrency} concurrent")
        server.should_exit = True
        with Session(get_engine()) as db:
            succeeded = db.exec(
                select(func.count()).select_from(Payment).where(Payment.status == PaymentStatus.SUCCEEDED)
            ).one()
            events = db.exec(select(func.count()).select_from(WebhookEvent)).one()
            unbalanced = unbalanced_transactions(db=db)
        print(
            f"payments succeeded {succeeded}/{len(refs)}, distinct events recorded {events}, "
            f"unbalanced ledger transactions: {len(unbalanced)}"
        )
        print(
            f"ratio concurrent/sequential: throughput {conc['per_second'] / base['per_second']:.2f}x, p95 "
            f"{conc['p95_ms'] / base['p95_ms']:.2f}x"
        )


if __name__ == "__main__":
    main()
