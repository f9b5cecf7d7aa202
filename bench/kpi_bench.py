"""KPI endpoint latency on PostgreSQL with the demo data scaled to 100,000 bookings: cold (a new range each
time), with a warm cache, and the floor of replaying the same SQL statements alone, measured in one run.

    .venv/bin/python bench/kpi_bench.py [--bookings 100000] [--requests 20]

Needs the PostgreSQL server at 127.0.0.1:5432 (a throw-away database). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bench._pg import fresh_database, percentile
from peerlearn.accounts.actions import ensure_admin, issue_token
from peerlearn.api.app import create_api
from peerlearn.config import get_settings
from peerlearn.db import get_engine
from peerlearn.demo_data import seed_demo
from peerlearn.insights import kpis
from peerlearn.models import Booking, LearningSession, LedgerEntry, LedgerTransaction, Payment, User
from peerlearn.models.enums import AttendanceStatus, BookingStatus, LedgerAccount, PaymentStatus
from peerlearn.models.types import utcnow
from peerlearn.money import split_commission

STATUSES = (
    [BookingStatus.COMPLETED] * 6 + [BookingStatus.CONFIRMED] * 2 + [BookingStatus.CANCELLED, BookingStatus.NO_SHOW]
)


def scale(target: int, rng: random.Random) -> None:
    """Bulk-insert bookings (70% paid, with balanced ledger rows) until there are `target`."""
    engine = get_engine()
    with Session(engine) as db:
        sessions = db.exec(
            select(
                LearningSession.id,
                LearningSession.mentor_id,
                LearningSession.price_minor,
                LearningSession.currency,
                LearningSession.start_at,
            )
        ).all()
        learners = db.exec(select(User.id).where(User.is_mentor.is_(False), User.is_admin.is_(False))).all()
        have = len(db.exec(select(Booking.id)).all())
        next_ids = {
            t: (db.exec(select(sa.func.coalesce(sa.func.max(t.id), 0))).one() + 1)
            for t in (Booking, Payment, LedgerTransaction)
        }
    rate = get_settings().commission_rate
    now = utcnow()
    while have < target:
        chunk = min(5000, target - have)
        bookings, payments, txs, entries = [], [], [], []
        for _ in range(chunk):
            session_id, mentor_id, price, currency, start_at = rng.choice(sessions)
            created = min(now, start_at) - timedelta(days=rng.uniform(0, 200))
            status = rng.choice(STATUSES)
            bid = next_ids[Booking]
            next_ids[Booking] += 1
            bookings.append(
                dict(
                    id=bid,
                    session_id=session_id,
                    learner_id=rng.choice(learners),
                    status=status.value,
                    price_minor=price or 2000,
                    discount_minor=0,
                    currency=currency,
                    created_at=created,
                    confirmed_at=created,
                    attendance=(
                        AttendanceStatus.ATTENDED if status == BookingStatus.COMPLETED else AttendanceStatus.UNKNOWN
                    ).value,
                    attended_seconds=0,
                    cancel_reason="",
                )
            )
            if rng.random() < 0.7:
                pid, tid = next_ids[Payment], next_ids[LedgerTransaction]
                next_ids[Payment] += 1
                next_ids[LedgerTransaction] += 1
                amount = price or 2000
                fee, mentor_share = split_commission(amount, rate)
                payments.append(
                    dict(
                        id=pid,
                        booking_id=bid,
                        learner_id=bookings[-1]["learner_id"],
                        provider="simulated",
                        provider_ref=f"bench_{pid}",
                        provider_payment_id=f"bench_pay_{pid}",
                        idempotency_key=f"bench-{pid}",
                        checkout_url="",
                        amount_minor=amount,
                        currency=currency,
                        platform_fee_minor=fee,
                        refunded_minor=0,
                        status=PaymentStatus.SUCCEEDED.value,
                        created_at=created,
                        paid_at=created,
                    )
                )
                txs.append(dict(id=tid, kind="charge", payment_id=pid, memo="", created_at=created))
                entries += [
                    dict(
                        transaction_id=tid,
                        account=LedgerAccount.LEARNER_FUNDS.value,
                        amount_minor=amount,
                        currency=currency,
                    ),
                    dict(
                        transaction_id=tid,
                        account=LedgerAccount.PLATFORM_REVENUE.value,
                        amount_minor=-fee,
                        currency=currency,
                    ),
                    dict(
                        transaction_id=tid,
                        account=LedgerAccount.MENTOR_PAYABLE.value,
                        amount_minor=-mentor_share,
                        currency=currency,
                        user_id=mentor_id,
                    ),
                ]
        with engine.begin() as conn:
            for table, rows in (
                (Booking, bookings),
                (Payment, payments),
                (LedgerTransaction, txs),
                (LedgerEntry, entries),
            ):
                if rows:
                    conn.execute(sa.insert(table.__table__), rows)
        have += chunk
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in ("booking", "payment", "ledgertransaction"):
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        conn.exec_driver_sql("ANALYZE")


def timed(fn, n: int) -> list[float]:
    out = []
    for i in range(n):
        began = time.perf_counter()
        fn(i)
        out.append(time.perf_counter() - began)
    return out


def report(label: str, values: list[float]) -> None:
    print(
        f"{label:<40} n={len(values):3d}  p50 {1000 * percentile(values, 0.5):8.1f} ms  p95 "
        f"{1000 * percentile(values, 0.95):8.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bookings", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    with fresh_database("peerlearn_bench_kpi"):
        with Session(get_engine()) as db:
            seed_demo(db=db)
            admin = ensure_admin("bench-admin@example.org", "bench-admin-password", db=db)
            token = issue_token(admin, db=db)
            db.commit()
        began = time.perf_counter()
        scale(args.bookings, random.Random(5))
        with Session(get_engine()) as db:
            total = db.exec(select(sa.func.count()).select_from(Booking)).one()
        print(f"bookings: {total} (loaded in {time.perf_counter() - began:.1f} s)")
        client, headers = TestClient(create_api()), {"Authorization": f"Bearer {token}"}
        end = utcnow()
        # Cold: a range never asked before each time, so nothing is cached.
        cold = timed(
            lambda i: client.get(
                "/api/admin/kpis/",
                headers=headers,
                params={"start": (end - timedelta(days=365, minutes=i + 1)).isoformat(), "end": end.isoformat()},
            ).raise_for_status(),
            args.requests,
        )
        warm_params = {"start": (end - timedelta(days=365)).isoformat(), "end": end.isoformat()}
        client.get("/api/admin/kpis/", headers=headers, params=warm_params).raise_for_status()  # fills the cache
        warm = timed(
            lambda i: client.get(
                "/api/admin/kpis/",
                headers=headers,
                params={"start": (end - timedelta(days=365)).isoformat(), "end": end.isoformat()},
            ).raise_for_status(),
            args.requests,
        )
        statements: list[tuple[str, object]] = []

        def record(conn, cursor, statement, parameters, context, executemany):
            statements.append((statement, parameters))

        engine = get_engine()
        sa.event.listen(engine, "before_cursor_execute", record)
        with Session(engine) as db:
            kpis.kpi_report(end - timedelta(days=365), end, db=db)
        sa.event.remove(engine, "before_cursor_execute", record)

        def replay(_: int) -> None:
            with engine.connect() as conn:
                for statement, parameters in statements:
                    conn.exec_driver_sql(statement, parameters).fetchall()

        floor = timed(replay, args.requests)
        report("GET /api/admin/kpis/ (cold)", cold)
        report("GET /api/admin/kpis/ (warm cache)", warm)
        report(f"the {len(statements)} SQL statements alone (floor)", floor)
        print(
            f"ratios p95: cold/floor {percentile(cold, 0.95) / percentile(floor, 0.95):.2f}x, "
            f"warm/floor {percentile(warm, 0.95) / percentile(floor, 0.95):.2f}x"
        )


if __name__ == "__main__":
    main()
