"""Booking throughput and latency with 50 concurrent clients on ONE hot session (all contend for its row
lock), against the same requests spread over uncontended sessions as the baseline, measured in the same run.

    .venv/bin/python bench/booking_throughput.py [--clients 50] [--per-client 20]

Needs the PostgreSQL server at 127.0.0.1:5432. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session, func, select

from bench._pg import fresh_database, percentile
from peerlearn.booking.actions import book_session
from peerlearn.catalog.actions import create_sessions
from peerlearn.db import get_engine
from peerlearn.models import Booking, LearningSession, User
from peerlearn.models.catalog import LearningSessionCreate
from peerlearn.models.types import utcnow


def setup(clients: int, per_client: int) -> tuple[list[int], int, list[int]]:
    total = clients * per_client
    with Session(get_engine(), expire_on_commit=False) as db:
        learners = [User(email=f"l{i}@bench.test", password_hash="x", full_name=f"L{i}") for i in range(total)]
        mentors = [
            User(email=f"m{i}@bench.test", password_hash="x", full_name=f"M{i}", is_mentor=True)
            for i in range(clients + 1)
        ]
        db.add_all(learners + mentors)
        db.flush()
        start = utcnow() + timedelta(days=3)

        def session_for(mentor: User, capacity: int) -> int:
            data = LearningSessionCreate(
                title="Bench", start_at=start, end_at=start + timedelta(hours=1), capacity=capacity
            )
            return create_sessions(mentor, data, db=db)[0].id

        hot = session_for(mentors[0], total // 2)
        cold = [session_for(m, per_client) for m in mentors[1:]]
        db.commit()
        return [u.id for u in learners], hot, cold


def run(label: str, assignments: list[list[tuple[int, int]]]) -> dict[str, float]:
    latencies: list[float] = []

    def client(work: list[tuple[int, int]]) -> list[float]:
        mine = []
        for learner_id, session_id in work:
            began = time.perf_counter()
            with Session(get_engine(), expire_on_commit=False) as db:
                book_session(db.get(User, learner_id), session_id, db=db)
                db.commit()
            mine.append(time.perf_counter() - began)
        return mine

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(assignments)) as pool:
        for mine in pool.map(client, assignments):
            latencies.extend(mine)
    elapsed = time.perf_counter() - began
    figures = {
        "requests": len(latencies),
        "seconds": elapsed,
        "per_second": len(latencies) / elapsed,
        "p50_ms": 1000 * percentile(latencies, 0.5),
        "p95_ms": 1000 * percentile(latencies, 0.95),
    }
    print(
        f"{label:<12} {figures['requests']:>6} bookings in {elapsed:6.2f} s = {figures['per_second']:7.1f}/s   "
        f"p50 {figures['p50_ms']:6.1f} ms   p95 {figures['p95_ms']:6.1f} ms"
    )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=20)
    args = parser.parse_args()
    with fresh_database("peerlearn_bench_booking"):
        learners, hot, cold = setup(args.clients, args.per_client)
        half = len(learners) // 2
        # Each learner books once; the two runs use disjoint learners.
        chunks = lambda ids: [ids[i :: args.clients] for i in range(args.clients)]
        baseline = run(
            "uncontended", [[(l, cold[c]) for l in chunk] for c, chunk in enumerate(chunks(learners[:half]))]
        )
        contended = run("hot session", [[(l, hot) for l in chunk] for chunk in chunks(learners[half:])])
        with Session(get_engine()) as db:
            seats = db.get(LearningSession, hot).seats_taken
            booked = db.exec(select(func.count()).select_from(Booking).where(Booking.session_id == hot)).one()
        print(f"hot session seats_taken={seats} bookings={booked} (must be equal)")
        print(
            f"ratio hot/uncontended: throughput {contended['per_second'] / baseline['per_second']:.2f}x, "
            f"p95 {contended['p95_ms'] / baseline['p95_ms']:.2f}x"
        )


if __name__ == "__main__":
    main()
