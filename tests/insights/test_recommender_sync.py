"""Every app process keeps its own recommender model; a booking recorded or a profile saved in one process reaches
the others.

Two ModelHolders stand for two nodes sharing the database and Redis: node A records the interaction (its
after-commit observer), node B learns of it from the Redis change counter and the rows, once. A saved profile takes
the same way, and is also checked across two real processes (this one and tests/insights/recommender_worker.py).
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from sqlmodel import select

from peerlearn.accounts.actions import register_user, update_profile
from peerlearn.booking.actions import book_session
from peerlearn.config import reset_settings_cache
from peerlearn.db import session_scope
from peerlearn.insights import recommendations as recs
from peerlearn.insights.model_feed import PROFILES_KEY, VERSION_KEY
from peerlearn.insights.recommendations import MODEL, ModelHolder
from peerlearn.models import InteractionEvent
from peerlearn.models.types import utcnow
from peerlearn.models.users import ProfileUpdate, UserCreate
from tests.factories import make_session, make_user
from tests.insights.helpers import POPULAR, assert_matches, interest_market, learner
from tests.support import REDIS_URL, redis_available, require

INTERESTS = ["Machine Learning", "Japanese", "Python"]


@pytest.fixture
def shared_redis(monkeypatch):
    require("Redis", redis_available())
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    reset_settings_cache()
    _forget_everything()
    MODEL.reset()
    yield
    MODEL.reset()
    _forget_everything()
    monkeypatch.delenv("REDIS_URL")
    reset_settings_cache()


def _forget_everything() -> None:
    """The counter, the saved-profile listing and cached lists: user ids repeat from test to test."""
    client = redis.Redis.from_url(REDIS_URL)
    client.delete(VERSION_KEY, PROFILES_KEY, *client.scan_iter("peerlearn:rec:*"))


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


def _items(node: ModelHolder, user_id: int, db) -> list[tuple[list[str], str]]:
    model = node.get(db=db)
    tags = {item.item_id: item.tags for item in model.features.items}
    return [(tags[r.item_id], r.explanation) for r in model.recommend(user_id, now=utcnow(), limit=10)]


def test_a_profile_saved_on_one_node_reaches_the_other_nodes_model(db, shared_redis) -> None:
    interest_market(db)
    node_a, node_b = ModelHolder(), ModelHolder()
    node_a.get(db=db), node_b.get(db=db)  # both trained before the learner signs up
    data = UserCreate(email="nea@example.org", password="x" * 12, full_name="Nea Newcomer", interests=INTERESTS)
    user_id = register_user(data, db=db, password_hash="not-a-real-hash").id
    db.commit()  # the after-commit listener announces the save in Redis
    node_a.profiles_saved([user_id])  # what node A's own listener does

    assert_matches(_items(node_a, user_id, db), INTERESTS)
    assert_matches(_items(node_b, user_id, db), INTERESTS)  # node B took it in from Redis and the database

    update_profile(learner(db, user_id), ProfileUpdate(interests=["Guitar"]), db=db)
    db.commit()
    assert_matches(_items(node_b, user_id, db), ["Guitar"], top=2)


class Worker:
    """Another app worker: a process of its own with its own model, on the same database and Redis."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc

    def ask(self, **command: object) -> object:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"the worker exited: {self.proc.stderr.read() if self.proc.stderr else ''}")
        return json.loads(line)

    def items(self, user_id: int) -> list[tuple[list[str], str]]:
        answer = self.ask(op="recs", user_id=user_id)
        assert isinstance(answer, list)
        return [(item["skills"], item["explanation"]) for item in answer]


@contextmanager
def worker(database_url: str, tmp_path: Path) -> Iterator[Worker]:
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL, "PEERLEARN_DATA_DIR": str(tmp_path)}
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.insights.recommender_worker"],
        cwd=root,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield Worker(proc)
    finally:
        proc.stdin.close() if proc.stdin else None
        proc.wait(timeout=30)


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_worker_processes_serve_a_saved_profile_at_once_and_never_a_stale_list(
    database_url, db, shared_redis, tmp_path
) -> None:
    interest_market(db)
    with worker(database_url, tmp_path) as other:
        assert other.ask(op="train") == {"ok": True}
        MODEL.get(db=db)  # this process's model, also trained before the learner exists
        db.rollback()
        data = UserCreate(email="nea@example.org", password="x" * 12, full_name="Nea Newcomer", interests=INTERESTS)
        with session_scope() as write:
            user_id = register_user(data, db=write, password_hash="not-a-real-hash").id

        # The page here asks for 6 and the API there for 10, so each worker ranks with its own model (no shared cache).
        here = recs.recommendations_for(learner(db, user_id), db=db, limit=6)
        assert_matches([(item.session.skills, item.explanation) for item in here], INTERESTS)
        assert_matches(other.items(user_id), INTERESTS)  # signed up here, ranked there: matches at once

        assert other.ask(op="profile", user_id=user_id, interests=["Guitar"]) == {"ok": True}  # saved there
        here = recs.recommendations_for(learner(db, user_id), db=db, limit=6)  # this worker's list was cached
        assert_matches([(item.session.skills, item.explanation) for item in here], ["Guitar"], top=2)
        assert_matches(other.items(user_id), ["Guitar"], top=2)


def test_a_list_ranked_before_the_latest_profile_save_is_never_served_from_the_cache(db, shared_redis) -> None:
    interest_market(db)
    data = UserCreate(email="nea@example.org", password="x" * 12, full_name="Nea Newcomer", interests=["Python"])
    user_id = register_user(data, db=db, password_hash="not-a-real-hash").id
    db.commit()
    user = learner(db, user_id)
    ranked = recs.recommendations_for(user, db=db)
    assert_matches([(item.session.skills, item.explanation) for item in ranked], ["Python"], top=2)
    # A worker that ranked with the old profile stores its list after this save dropped the cache (the race).
    update_profile(user, ProfileUpdate(interests=["Guitar"]), db=db)
    db.commit()
    recs._cache_put(user_id, "10:-", [item.model_dump(mode="json") for item in ranked], ranked_at=0)
    fresh = recs.recommendations_for(learner(db, user_id), db=db)
    assert_matches([(item.session.skills, item.explanation) for item in fresh], ["Guitar"], top=2)


def test_newcomers_share_one_list_until_something_makes_one_of_them_known(db, shared_redis) -> None:
    ids = interest_market(db)
    first, second, third = (make_user(db, name=f"Newcomer {i}") for i in range(3))
    db.commit()
    shared = [item.session.id for item in recs.recommendations_for(learner(db, first.id), db=db)]
    assert shared[0] in {ids[skill][0] for skill in POPULAR}  # what the crowd booked leads a list of no one's
    assert [item.session.id for item in recs.recommendations_for(learner(db, second.id), db=db)] == shared

    # Dismissing a session makes a newcomer's list their own: the dismissed one is gone, the shared list keeps it.
    recs.record_feedback(learner(db, second.id), shared[0], "dismiss", db=db)
    db.commit()
    mine = [item.session.id for item in recs.recommendations_for(learner(db, second.id), db=db)]
    assert shared[0] not in mine
    assert [item.session.id for item in recs.recommendations_for(learner(db, third.id), db=db)] == shared

    # So does stating an interest.
    update_profile(learner(db, third.id), ProfileUpdate(interests=["Guitar"]), db=db)
    db.commit()
    stated = recs.recommendations_for(learner(db, third.id), db=db)
    assert_matches([(item.session.skills, item.explanation) for item in stated], ["Guitar"], top=2)


def test_a_session_published_after_training_is_recommended_on_every_node(db, shared_redis) -> None:
    mentor = make_user(db, mentor=True)
    newcomer = make_user(db)
    make_session(db, mentor, title="Python basics", skills=["Python"], capacity=10, start_in=timedelta(days=3))
    db.commit()
    node_a, node_b = ModelHolder(), ModelHolder()
    before = _recommended(node_a, newcomer.id, db) + _recommended(node_b, newcomer.id, db)

    published = make_session(db, mentor, title="Rust basics", skills=["Rust"], capacity=10, start_in=timedelta(days=4))
    db.commit()  # the after-commit listener of this process announces it through Redis

    assert published not in before
    assert published in _recommended(node_a, newcomer.id, db)
    assert published in _recommended(node_b, newcomer.id, db)  # trained before it existed; trained again


def test_being_shown_a_list_keeps_it_cached_and_moves_no_ones_model(db, shared_redis) -> None:
    ids = interest_market(db)
    reader = make_user(db, name="Rhea Reader")
    book_session(reader, ids["Python"][0], db=db)  # known to the model: a list of her own
    db.commit()
    client = redis.Redis.from_url(REDIS_URL)
    shown = recs.recommendations_for(learner(db, reader.id), db=db)
    version = client.get(VERSION_KEY)

    recs.record_shown(learner(db, reader.id), [item.session.id for item in shown], db=db)  # what a page load logs
    db.commit()

    assert client.hget(f"peerlearn:rec:{reader.id}", "10:-") is not None  # the next page load is served from it
    assert client.get(VERSION_KEY) == version  # impressions change no one's list, so no node catches up on them
    assert [i.session.id for i in recs.recommendations_for(learner(db, reader.id), db=db)] == [
        i.session.id for i in shown
    ]
