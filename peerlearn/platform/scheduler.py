"""The background-job mechanism. All jobs' state is in the database, so a restart loses nothing and repeats nothing.

This module knows how to run jobs (each in its own transaction, one worker per job on PostgreSQL), not which jobs
exist: that list is composed in `peerlearn/jobs.py`, above the domain packages, so platform never imports a domain.
"""

from __future__ import annotations

import asyncio
import logging
import zlib
from collections.abc import Callable, Collection, Sequence
from datetime import datetime

from sqlalchemy import text
from sqlmodel import Session

from peerlearn.db import session_scope
from peerlearn.models.types import utcnow

log = logging.getLogger(__name__)
Job = Callable[..., int]  # called as job(db=..., now=...); returns how many things it did


def _only_one_worker(db: Session, name: str) -> bool:
    """On PostgreSQL several workers may run the scheduler: a transaction-level advisory lock lets one run each job."""
    if db.get_bind().dialect.name != "postgresql":
        return True
    key = zlib.crc32(f"peerlearn:{name}".encode())
    lock = text("SELECT pg_try_advisory_xact_lock(:key)").bindparams(key=key)
    return bool(db.connection().execute(lock).scalar())


def run_due_jobs(
    jobs: Sequence[Job], *, per_process: Collection[Job] = (), now: datetime | None = None
) -> dict[str, int]:
    """Run every job once, each in its own transaction so one failure does not block the others.

    A job in `per_process` runs in every worker (it keeps per-process state); the others run in one worker only.
    """
    now = now or utcnow()
    done = {}
    for job in jobs:
        try:
            with session_scope() as db:
                if job in per_process or _only_one_worker(db, job.__name__):
                    done[job.__name__] = job(db=db, now=now)
        except Exception:
            log.exception("scheduled job %s failed", job.__name__)
    return done


async def run_forever(run_once: Callable[[], object], interval_seconds: float = 30.0) -> None:
    """Call `run_once` in a worker thread every `interval_seconds`, so the event loop never blocks on a job."""
    while True:
        await asyncio.to_thread(run_once)
        await asyncio.sleep(interval_seconds)
