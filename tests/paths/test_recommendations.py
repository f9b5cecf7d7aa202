"""The recommender takes 'next step on your path' as a signal: a learner who follows a path is recommended the
next step's session first, with 'Next on your path to Data analyst'; booking it and completing it moves the boost
and the reason on to the following step. Following a path makes a newcomer known (their own list, not the shared
one) and drops their cached list at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis

from peerlearn.booking import actions as bookings
from peerlearn.catalog import actions as sessions
from peerlearn.config import reset_settings_cache
from peerlearn.insights import recommendations as recs
from peerlearn.insights.recommendations import MODEL
from peerlearn.models.types import utcnow
from peerlearn.paths import actions as paths
from tests.factories import make_session, make_user
from tests.insights.helpers import learner as fresh
from tests.paths.conftest import Market
from tests.support import REDIS_URL, redis_available, require

ON_PATH = "Next on your path to Data analyst"


@pytest.fixture(autouse=True)
def fresh_model():
    MODEL.reset()
    yield
    MODEL.reset()


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
    from peerlearn.insights.model_feed import PROFILES_KEY, VERSION_KEY

    client = redis.Redis.from_url(REDIS_URL)
    client.delete(VERSION_KEY, PROFILES_KEY, *client.scan_iter("peerlearn:rec:*"))


def _listed(user_id: int, db, now=None) -> list[tuple[int, str]]:
    return [(r.session.id, r.explanation) for r in recs.recommendations_for(fresh(db, user_id), db=db, now=now)]


def _popular_elsewhere(db) -> int:
    """A session the crowd booked: what leads the list of a learner the model knows nothing about."""
    mentor = make_user(db, mentor=True, name="Gus Guitarist")
    guitar = make_session(db, mentor, title="Guitar chords", skills=["Guitar"], capacity=30, start_in=timedelta(days=4))
    for n in range(6):
        bookings.book_session(make_user(db, name=f"Crowd {n}"), guitar, db=db)
    db.commit()
    return guitar


def _follow_data_analyst(db, user_id: int) -> int:
    user = fresh(db, user_id)
    [path] = paths.find_paths("Data analyst", learner=user, db=db).paths
    paths.follow_path(path.id, user, db=db)
    db.commit()
    return path.id


def test_following_a_path_puts_its_next_step_first_and_the_reason_moves_on_with_the_path(db, market: Market) -> None:
    _popular_elsewhere(db)
    someone = make_user(db, name="Lea Learner")
    db.commit()
    before = _listed(someone.id, db)
    assert before[0][0] != market.upcoming["Excel"]
    assert not any(text.startswith("Next on your path") for _, text in before)

    _follow_data_analyst(db, someone.id)

    after = _listed(someone.id, db)
    assert after[0] == (market.upcoming["Excel"], ON_PATH)
    assert [text for _, text in after].count(ON_PATH) == 1  # only the step's session says so

    bookings.book_session(fresh(db, someone.id), market.upcoming["Excel"], db=db)
    db.commit()
    booked = _listed(someone.id, db)
    assert booked[0] == (market.upcoming["SQL"], ON_PATH)  # the booked step is covered: the next one is SQL

    later = utcnow() + timedelta(days=2, hours=2)  # the Excel session is over, the SQL one is ahead
    sessions.complete_session(market.mentor, market.upcoming["Excel"], db=db, now=later)
    db.commit()
    completed = _listed(someone.id, db, now=later)
    assert completed[0] == (market.upcoming["SQL"], ON_PATH)
    assert market.upcoming["Excel"] not in [session_id for session_id, _ in completed]


def test_a_newcomer_who_follows_a_path_leaves_the_shared_list_and_their_cached_list_is_dropped(
    db, market: Market, shared_redis
) -> None:
    guitar = _popular_elsewhere(db)
    first, second = make_user(db, name="Newcomer 1"), make_user(db, name="Newcomer 2")
    db.commit()
    shared = _listed(first.id, db)
    assert shared[0][0] == guitar and _listed(second.id, db) == shared

    _follow_data_analyst(db, second.id)

    assert _listed(second.id, db)[0] == (market.upcoming["Excel"], ON_PATH)
    assert _listed(first.id, db) == shared  # the others still share theirs

    # A learner with a list of their own (cached) follows a path: the very next list shows the step.
    regular = make_user(db, name="Rhea Regular")
    bookings.book_session(regular, guitar, db=db)
    db.commit()
    cached = _listed(regular.id, db)
    assert client_has_list(regular.id) and not any(text == ON_PATH for _, text in cached)
    _follow_data_analyst(db, regular.id)
    assert _listed(regular.id, db)[0] == (market.upcoming["Excel"], ON_PATH)


def client_has_list(user_id: int) -> bool:
    return bool(redis.Redis.from_url(REDIS_URL).hlen(f"peerlearn:rec:{user_id}"))
