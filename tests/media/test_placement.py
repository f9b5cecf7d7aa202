"""Rooms spread over several media nodes: every worker sends a session's participants to the same node."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
import redis

from peerlearn.media.placement import node_for_room
from peerlearn.models.types import utcnow
from tests.support import REDIS_URL, redis_available, require

NODES = ["http://media-a:3100", "http://media-b:3100"]


@pytest.fixture
def client():
    require("Redis", redis_available())
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    client.flushdb()
    yield client
    client.flushdb()


def test_one_node_needs_no_redis():
    assert node_for_room(5, utcnow() + timedelta(hours=1), NODES[:1], utcnow()) == NODES[0]


def test_rooms_go_to_the_least_loaded_node_and_stay_there(client):
    now = utcnow()
    closes = now + timedelta(hours=1)
    placed = [node_for_room(session_id, closes, NODES, now, client) for session_id in (1, 2, 3, 4)]
    assert sorted(placed) == sorted(NODES * 2)
    assert [node_for_room(session_id, closes, NODES, now, client) for session_id in (1, 2, 3, 4)] == placed


def test_closed_rooms_free_their_node(client):
    now = utcnow()
    first = node_for_room(1, now + timedelta(minutes=10), NODES, now, client)
    later = now + timedelta(minutes=20)  # room 1 has closed
    assert node_for_room(2, later + timedelta(hours=1), NODES, later, client) == min(NODES)
    assert first == min(NODES)


def test_concurrent_workers_agree(client):
    now = utcnow()
    closes = now + timedelta(hours=1)

    def place(_):
        worker = redis.Redis.from_url(REDIS_URL, decode_responses=True)
        return node_for_room(42, closes, NODES, now, worker)

    with ThreadPoolExecutor(8) as pool:
        answers = set(pool.map(place, range(32)))
    assert len(answers) == 1


def test_a_node_taken_out_of_service_is_replaced(client):
    now = utcnow()
    closes = now + timedelta(hours=1)
    first = node_for_room(9, closes, NODES, now, client)
    remaining = [n for n in NODES if n != first]
    assert node_for_room(9, closes, remaining, now, client) == remaining[0]


def test_token_response_points_at_the_rooms_node(api, db, monkeypatch):
    from datetime import timedelta as td

    from peerlearn.booking.actions import book_session
    from peerlearn.config import reset_settings_cache
    from tests.factories import make_session, make_user, token_for

    require("Redis", redis_available())
    monkeypatch.setenv("MEDIA_NODES", ",".join(NODES))
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    reset_settings_cache()
    mentor, learner = make_user(db, mentor=True), make_user(db)
    session = make_session(db, mentor, start_in=td(minutes=5), min_notice_minutes=0)
    book_session(learner, session, db=db)
    db.commit()
    try:
        bodies = [
            api.post(f"/api/sessions/{session}/media-token/", headers=token_for(db, who)).json()
            for who in (mentor, learner)
        ]
    finally:
        reset_settings_cache()
    assert bodies[0]["media_base_url"] == bodies[1]["media_base_url"] in NODES
    assert bodies[1]["whip_url"] == f"{bodies[1]['media_base_url']}/media/whip/{session}"
