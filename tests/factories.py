"""Small builders for tests: people and sessions without going through slow password hashing."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlmodel import Session, select

from peerlearn.accounts.actions import issue_token
from peerlearn.billing.payments import handle_webhook, simulated_pay
from peerlearn.catalog.actions import create_sessions
from peerlearn.models import LearningSession, MentorProfile, Payment, Profile, User
from peerlearn.models.catalog import LearningSessionCreate
from peerlearn.models.types import utcnow

_counter = itertools.count(1)


def make_user(
    db: Session, *, mentor: bool = False, admin: bool = False, name: str | None = None, timezone: str = "UTC"
) -> User:
    n = next(_counter)
    user = User(
        email=f"user{n}@example.org",
        password_hash="not-a-real-hash",
        full_name=name or f"User {n}",
        is_mentor=mentor,
        is_admin=admin,
    )
    db.add(user)
    db.flush()
    db.add(Profile(user_id=user.id, timezone=timezone))
    if mentor:
        db.add(MentorProfile(user_id=user.id))
    db.flush()
    return user


def token_for(db: Session, user: User) -> dict[str, str]:
    token = issue_token(user, db=db)
    db.commit()
    return {"Authorization": f"Bearer {token}"}


def make_session(
    db: Session,
    mentor: User,
    *,
    start_in: timedelta = timedelta(days=3),
    minutes: int = 60,
    now: datetime | None = None,
    **fields,
) -> int:
    now = now or utcnow()
    start = (now + start_in).replace(microsecond=0)
    data = LearningSessionCreate(
        title=fields.pop("title", "Intro to Python"),
        start_at=start,
        end_at=start + timedelta(minutes=minutes),
        skills=fields.pop("skills", ["Python"]),
        **fields,
    )
    created = create_sessions(mentor, data, db=db, now=now)
    db.commit()
    return created[0].id


def pay(db: Session, booking_id: int, card: str = "4242 4242 4242 4242") -> tuple[str, bytes, dict[str, str]]:
    """Pay the booking's latest payment by simulated card and deliver the provider's signed webhook."""
    payment = db.exec(select(Payment).where(Payment.booking_id == booking_id).order_by(Payment.id.desc())).first()
    body, headers = simulated_pay(payment.provider_ref, card, db=db)
    outcome = handle_webhook("simulated", body, headers, db=db)
    db.commit()
    return outcome, body, headers


def seats(db: Session, session_id: int) -> int:
    """Seats taken on the session, read fresh from the database."""
    db.expire_all()
    return db.get(LearningSession, session_id).seats_taken
