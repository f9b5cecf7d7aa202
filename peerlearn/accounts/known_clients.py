"""Clients an account's owner has logged in from before.

A client is what the log-in call identifies it by (the API and the pages pass the connection's address). It is
kept only as an HMAC with the signing key, so the table holds no addresses. A known client skips the account-wide
slow-down in `platform/throttle.py`: someone guessing from elsewhere cannot keep the owner out of their account.
A client called "unknown" (no address) is never known. Each account keeps its most recent MAX_PER_ACCOUNT clients.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from peerlearn.accounts.security import sign
from peerlearn.config import get_settings
from peerlearn.models import KnownLoginClient
from peerlearn.models.types import utcnow

MAX_PER_ACCOUNT = 20
UNKNOWN_CLIENT = "unknown"


def client_digest(client: str) -> str:
    return sign(get_settings().secret_key, f"login-client:{client}")


def is_known_client(user_id: int | None, client: str, *, db: Session) -> bool:
    if user_id is None or not client or client == UNKNOWN_CLIENT:
        return False
    found = db.exec(
        select(KnownLoginClient.id).where(
            KnownLoginClient.user_id == user_id, KnownLoginClient.client_digest == client_digest(client)
        )
    ).first()
    return found is not None


def remember_client(user_id: int, client: str, *, db: Session, now: datetime | None = None) -> None:
    """Note a successful log-in from `client` (two racing log-ins from one client both succeed)."""
    if not client or client == UNKNOWN_CLIENT:
        return
    now, digest = now or utcnow(), client_digest(client)
    row = db.exec(
        select(KnownLoginClient).where(KnownLoginClient.user_id == user_id, KnownLoginClient.client_digest == digest)
    ).first()
    if row is not None:
        row.last_login_at = now
        db.add(row)
        return
    try:
        with db.begin_nested():
            db.add(KnownLoginClient(user_id=user_id, client_digest=digest, last_login_at=now))
            db.flush()
    except IntegrityError:
        return
    _keep_most_recent(user_id, db=db)


def _keep_most_recent(user_id: int, *, db: Session) -> None:
    keep = select(KnownLoginClient.id).where(KnownLoginClient.user_id == user_id)
    keep = keep.order_by(col(KnownLoginClient.last_login_at).desc(), col(KnownLoginClient.id).desc()).limit(
        MAX_PER_ACCOUNT
    )
    db.exec(
        delete(KnownLoginClient).where(
            col(KnownLoginClient.user_id) == user_id, col(KnownLoginClient.id).not_in(keep.scalar_subquery())
        )
    )
