"""Background jobs. All their state is in the database, so a restart loses nothing and repeats nothing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from peerlearn.db import session_scope
from peerlearn.models.types import utcnow
from peerlearn.services.booking import expire_holds
from peerlearn.services.notifications import deliver_pending_emails
from peerlearn.services.reminders import send_due_reminders
from peerlearn.services.waitlist import expire_offers

log = logging.getLogger(__name__)
Job = Callable[..., int]
JOBS: list[Job] = [expire_holds, expire_offers, send_due_reminders, deliver_pending_emails]


def run_due_jobs(now: datetime | None = None) -> dict[str, int]:
    """Run every job once, each in its own transaction so one failure does not block the others."""
    now = now or utcnow()
    done = {}
    for job in JOBS:
        try:
            with session_scope() as db:
                done[job.__name__] = job(db=db, now=now)
        except Exception:
            log.exception("scheduled job %s failed", job.__name__)
    return done


async def run_forever(interval_seconds: float = 30.0) -> None:
    while True:
        await asyncio.to_thread(run_due_jobs)
        await asyncio.sleep(interval_seconds)
