"""Background jobs. All their state is in the database, so a restart loses nothing and repeats nothing."""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import text

from peerlearn.booking.actions import expire_holds
from peerlearn.booking.reminders import send_due_reminders
from peerlearn.booking.waitlist import expire_offers
from peerlearn.db import session_scope
from peerlearn.insights.churn import retrain_churn_model
from peerlearn.insights.recommendations import retrain_if_due
from peerlearn.live.room import refund_mentor_no_shows
from peerlearn.models.types import utcnow
from peerlearn.platform.notifications import deliver_pending_emails

log = logging.getLogger(__name__)
Job = Callable[..., int]
JOBS: list[Job] = [
    expire_holds,
    expire_offers,
    send_due_reminders,
    deliver_pending_emails,
    refund_mentor_no_shows,
    retrain_if_due,
    retrain_churn_model,
]
PER_PROCESS = {retrain_if_due, retrain_churn_model}  # each worker keeps its own model, so each retrains its own


def _only_one_worker(db, name: str) -> bool:  # noqa: ANN001
    """On PostgreSQL several workers may run the scheduler: a transaction-level advisory lock lets one run each job."""
    if db.get_bind().dialect.name != "postgresql":
        return True
    key = zlib.crc32(f"peerlearn:{name}".encode())
    return bool(db.exec(text("SELECT pg_try_advisory_xact_lock(:key)").bindparams(key=key)).scalar())


def run_due_jobs(now: datetime | None = None) -> dict[str, int]:
    """Run every job once, each in its own transaction so one failure does not block the others."""
    now = now or utcnow()
    done = {}
    for job in JOBS:
        try:
            with session_scope() as db:
                if job in PER_PROCESS or _only_one_worker(db, job.__name__):
                    done[job.__name__] = job(db=db, now=now)
        except Exception:
            log.exception("scheduled job %s failed", job.__name__)
    return done


async def run_forever(interval_seconds: float = 30.0) -> None:
    while True:
        await asyncio.to_thread(run_due_jobs)
        await asyncio.sleep(interval_seconds)
