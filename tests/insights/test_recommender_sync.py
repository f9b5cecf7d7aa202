"""Every app process keeps its own recommender model; a booking recorded in one process reaches the others.

Two ModelHolders stand for two nodes sharing the database and Redis: node A records the interaction (its
after-commit observer), node B learns of it from the Redis change counter and the rows, once.
"""

from datetime import timedelta

import pytest
import redis
from sqlmodel import select

from peerlearn.booking.actions import book_session
from peerlearn.config import reset_settings_cache
from peerlearn.insights.model_feed import VERSION_KEY
from peerlearn.insights.recommendations import ModelHolder
from peerlearn.models import InteractionEvent
from peerlearn.models.types import utcnow
from tests.factories import make_session, make_user
from tests.support import REDIS_URL, redis_available, require


@pytest.fixture
def shared_redis(monkeypatch):
    require("Redis", redis_available())
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    reset_settings_cache()
    redis.Redis.from_url(REDIS_URL).delete(VERSION_KEY)
    yield
    monkeypatch.delenv("REDIS_URL")
    reset_settings_cache()


def _recommended(node: ModelHolder, user_id: int, db) -> list[int]:
    return [r.item_id for r in node.get(db=db).recommend(user_id, now=utcnow(), limit=10)]


def test_a_booking_on_one_node_reaches_the_other_nodes_model_once(db, shared_redis) -> None:
    mentor = make_user(db, mentor=True)
    learner = make_user(db)
    sessions = [
        make_session(db, mentor, title=f"Python {i}", skills=["Python"], capacity=10, start_in=timedelta(days=3 + i))
        for i in range(3)
    ]
    db.commit()
    node_a, node_b = ModelHolder(), ModelHolder()
    assert sessions[0] in _recommended(node_a, learner.id, db)
    assert sessions[0] in _recommended(node_b, learner.id, db)

    book_session(learner, sessions[0], db=db)
    db.commit()
    rows = db.exec(select(InteractionEvent).where(InteractionEvent.user_id == learner.id)).all()
    node_a.observe(list(rows))  # what node A's after-commit listener does

    assert sessions[0] not in _recommended(node_a, learner.id, db)  # booked: no longer offered
    assert sessions[0] not in _recommended(node_b, learner.id, db)  # node B caught up
    assert node_b.get(db=db).history.booked(learner.id) == node_a.get(db=db).history.booked(learner.id)
    history_b = node_b.get(db=db).history
    assert len(history_b.items[history_b.user_index[learner.id]]) == 1  # applied once, not per request


def test_without_redis_a_process_keeps_its_own_updates(db) -> None:
    mentor, learner = make_user(db, mentor=True), make_user(db)
    session_id = make_session(db, mentor, title="Rust", skills=["Rust"], capacity=5, start_in=timedelta(days=2))
    db.commit()
    node = ModelHolder()
    assert session_id in _recommended(node, learner.id, db)
    book_session(learner, session_id, db=db)
    db.commit()
    node.observe(list(db.exec(select(InteractionEvent).where(InteractionEvent.user_id == learner.id)).all()))
    assert session_id not in _recommended(node, learner.id, db)
