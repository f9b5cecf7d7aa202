"""Which background jobs the app runs: the composition of the domain jobs with the platform scheduler.

It sits above the domain packages (like peerlearn.py and cli.py) so that platform/scheduler.py stays a mechanism that
imports no domain.
"""

from __future__ import annotations

from datetime import datetime

from peerlearn.booking.actions import expire_holds
from peerlearn.booking.reminders import send_due_reminders
from peerlearn.booking.waitlist import expire_offers
from peerlearn.insights.churn import retrain_churn_model
from peerlearn.insights.recommendations import retrain_if_due
from peerlearn.live.room import refund_mentor_no_shows
from peerlearn.platform import scheduler
from peerlearn.platform.notifications import deliver_pending_emails
from peerlearn.platform.scheduler import Job
from peerlearn.sponsorships.actions import close_finished_sponsorships
from peerlearn.subscriptions.actions import settle_subscriptions

JOBS: list[Job] = [
    expire_holds,
    expire_offers,
    send_due_reminders,
    deliver_pending_emails,
    refund_mentor_no_shows,
    close_finished_sponsorships,
    settle_subscriptions,
    retrain_if_due,
    retrain_churn_model,
]
PER_PROCESS: frozenset[Job] = frozenset({retrain_if_due, retrain_churn_model})  # each worker retrains its own model


def run_due_jobs(now: datetime | None = None) -> dict[str, int]:
    """Run every job once (see `peerlearn.platform.scheduler.run_due_jobs`)."""
    return scheduler.run_due_jobs(JOBS, per_process=PER_PROCESS, now=now)


async def run_forever(interval_seconds: float = 30.0) -> None:
    """The app's lifespan task: run the jobs every `interval_seconds`."""
    await scheduler.run_forever(run_due_jobs, interval_seconds)
