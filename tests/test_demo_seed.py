"""`make run`'s start-up path: migrate, create the admin, seed the demo marketplace exactly once."""

from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import func, select

from peerlearn.billing.ledger import unbalanced_transactions
from peerlearn.config import reset_settings_cache
from peerlearn.models import Booking, LearningSession, Review, SessionSkill, Skill, User
from peerlearn.models.enums import BookingStatus
from peerlearn.models.types import utcnow

# Seeding the whole demo marketplace takes 10-20 s per backend.
pytestmark = pytest.mark.slow


def _counts(db):
    counts = {
        table.__name__: db.exec(select(func.count()).select_from(table)).one()
        for table in (User, LearningSession, Booking, Review, Skill)
    }
    db.rollback()  # end the read transaction so the app's writer is not blocked
    return counts


def test_prepare_seeds_once_and_creates_the_admin_once(db, monkeypatch):
    from peerlearn.cli import prepare

    monkeypatch.setenv("PEERLEARN_SEED_DEMO", "1")
    monkeypatch.setenv("PEERLEARN_ADMIN_EMAIL", "boss@example.org")
    monkeypatch.setenv("PEERLEARN_ADMIN_PASSWORD", "boss-password-1")
    reset_settings_cache()

    first = prepare()
    assert first.created
    after_first = _counts(db)
    second = prepare()
    assert not second.created
    assert _counts(db) == after_first

    admins = db.exec(select(User.email).where(User.is_admin)).all()
    db.rollback()
    assert sorted(admins) == ["admin@peerlearn.demo", "boss@example.org"]
    assert after_first["User"] >= 60 + 600 + 2
    assert after_first["LearningSession"] >= 400
    assert after_first["Skill"] >= 40


def test_demo_marketplace_is_plausible(db, monkeypatch):
    from peerlearn.demo_data import seed_demo

    seed_demo(db=db)
    db.commit()
    now = utcnow()
    sessions = db.exec(select(LearningSession)).all()
    assert any(s.start_at < now - timedelta(days=150) for s in sessions)
    assert any(s.start_at > now + timedelta(days=40) for s in sessions)
    assert sum(s.start_at > now for s in sessions) >= 80

    # No mentor teaches two sessions at once.
    by_mentor = {}
    for s in sorted(sessions, key=lambda s: s.start_at):
        previous = by_mentor.get(s.mentor_id)
        assert previous is None or previous.end_at <= s.start_at
        by_mentor[s.mentor_id] = s

    statuses = Counter(db.exec(select(Booking.status)).all())
    assert statuses[BookingStatus.CANCELLED] > 0 and statuses[BookingStatus.NO_SHOW] > 0
    assert statuses[BookingStatus.COMPLETED] > statuses[BookingStatus.NO_SHOW]

    # Popular skills exist: the top skill has well over twice the bookings of the median one.
    per_skill = db.exec(
        select(SessionSkill.skill_id, func.count(Booking.id))
        .join(Booking, Booking.session_id == SessionSkill.session_id)
        .group_by(SessionSkill.skill_id)
    ).all()
    counts = sorted(n for _, n in per_skill)
    assert counts[-1] >= 2 * counts[len(counts) // 2]

    # Better-rated mentors fill more seats.
    rows = db.exec(
        sa.text("SELECT r.mentor_id, AVG(r.rating) FROM review r GROUP BY r.mentor_id HAVING COUNT(*) >= 3")
    ).all()
    ranked = sorted(rows, key=lambda row: row[1])
    low, high = ranked[: len(ranked) // 3], ranked[-len(ranked) // 3 :]

    def fill(mentor_ids):
        booked = db.exec(
            select(func.count(Booking.id))
            .join(LearningSession, LearningSession.id == Booking.session_id)
            .where(LearningSession.mentor_id.in_(mentor_ids))
        ).one()
        offered = db.exec(
            select(func.sum(LearningSession.capacity)).where(LearningSession.mentor_id.in_(mentor_ids))
        ).one()
        return booked / offered

    assert fill([m for m, _ in high]) > fill([m for m, _ in low])
    assert unbalanced_transactions(db=db) == []
