"""Recommendations served from the database: filters, explanations, feedback, the live update, experiments."""

from datetime import timedelta

import pytest

from peerlearn.accounts.actions import update_profile
from peerlearn.booking.actions import book_session
from peerlearn.insights.recommendations import MODEL
from peerlearn.models.types import utcnow
from peerlearn.models.users import ProfileUpdate, SkillLevelPublic
from tests.factories import make_session, make_user, token_for


@pytest.fixture(autouse=True)
def fresh_model():
    MODEL.reset()
    yield
    MODEL.reset()


@pytest.fixture
def market(db):
    mentors = [make_user(db, mentor=True, name=f"Mentor {i}") for i in range(3)]
    learner = make_user(db, name="Pia Python")
    update_profile(learner, ProfileUpdate(skills=[SkillLevelPublic(name="Python")], interests=["Data Science"]), db=db)
    db.commit()
    ids = {
        "python": make_session(
            db, mentors[0], title="Python for data work", skills=["Python"], capacity=10, start_in=timedelta(days=3)
        ),
        "python2": make_session(
            db, mentors[1], title="Python testing", skills=["Python"], capacity=10, start_in=timedelta(days=4)
        ),
        "guitar": make_session(
            db, mentors[2], title="Guitar chords", skills=["Guitar"], capacity=10, start_in=timedelta(days=3, hours=5)
        ),
        "full": make_session(
            db, mentors[2], title="Python full house", skills=["Python"], capacity=1, start_in=timedelta(days=6)
        ),
        "past": make_session(
            db,
            mentors[1],
            title="Python last week",
            skills=["Python"],
            capacity=10,
            now=utcnow() - timedelta(days=8),
            start_in=timedelta(days=1),
        ),
    }
    others = [make_user(db) for _ in range(4)]
    book_session(others[0], ids["full"], db=db)
    for other in others[1:]:
        book_session(other, ids["guitar"], db=db)
    db.commit()
    return {"learner": learner, "auth": token_for(db, learner), "ids": ids, "mentors": mentors, "others": others}


def test_recommendations_match_skills_explain_themselves_and_respect_filters(api, market):
    later = api.get("/api/recommendations/?limit=10", headers=market["auth"])
    assert later.status_code == 200
    items = later.json()
    ids = [item["session"]["id"] for item in items]
    assert market["ids"]["full"] not in ids  # no free seat
    assert market["ids"]["past"] not in ids
    assert ids[0] in (market["ids"]["python"], market["ids"]["python2"])
    top = items[0]
    assert set(top["components"]) == {"content", "collab", "popularity", "trending"}
    assert top["explanation"]
    assert api.get("/api/recommendations/").status_code == 401


def test_dismissed_and_booked_sessions_disappear(api, db, market):
    first = api.get("/api/recommendations/", headers=market["auth"]).json()[0]["session"]["id"]
    response = api.post(
        "/api/recommendations/feedback/", json={"session_id": first, "action": "dismiss"}, headers=market["auth"]
    )
    assert response.status_code == 201
    assert first not in [i["session"]["id"] for i in api.get("/api/recommendations/", headers=market["auth"]).json()]
    bad = api.post(
        "/api/recommendations/feedback/", json={"session_id": first, "action": "love"}, headers=market["auth"]
    )
    assert bad.status_code == 422


def test_a_new_booking_moves_trending_at_once(api, db, market):
    api.get("/api/recommendations/trending/")  # the model is trained now
    python = market["ids"]["python"]
    before = [i["session"]["id"] for i in api.get("/api/recommendations/trending/").json()]
    for other in [make_user(db) for _ in range(3)]:
        assert api.post(f"/api/sessions/{python}/book/", headers=token_for(db, other)).status_code == 201
    after = [i["session"]["id"] for i in api.get("/api/recommendations/trending/").json()]
    assert python in after and (python not in before or after.index(python) <= before.index(python))
    assert after[0] == python


def test_mentor_recommendations(api, market):
    mentors = api.get("/api/recommendations/mentors/", headers=market["auth"]).json()
    assert mentors and mentors[0]["mentor"]["id"] in {m.id for m in market["mentors"][:2]}
    assert mentors[0]["upcoming_session_ids"]


def test_experiment_assigns_stably_logs_exposure_and_reports(api, db, market):
    admin = token_for(db, make_user(db, admin=True))
    spec = {
        "key": "blend-test",
        "name": "Content-heavy blend",
        "baseline_rate": 0.1,
        "minimum_detectable_effect": 0.05,
        "variants": [
            {"name": "control", "share": 0.5},
            {
                "name": "content",
                "share": 0.5,
                "weights": {"content": 0.8, "collab": 0.1, "popularity": 0.05, "trending": 0.05},
            },
        ],
    }
    assert api.post("/api/admin/experiments/", json=spec, headers=market["auth"]).status_code == 403
    created = api.post("/api/admin/experiments/", json=spec, headers=admin)
    assert created.status_code == 201
    experiment_id = created.json()["id"]
    assert api.post(f"/api/admin/experiments/{experiment_id}/start/", headers=admin).json()["status"] == "running"
    learners = [market["learner"]] + market["others"]
    for learner in learners:
        auth = token_for(db, learner)
        assert api.get("/api/recommendations/", headers=auth).status_code == 200
        assert api.get("/api/recommendations/", headers=auth).status_code == 200  # second exposure: same assignment
    results = api.get(f"/api/admin/experiments/{experiment_id}/results/", headers=admin).json()
    assert sum(v["exposed"] for v in results["variants"]) == len(learners)
    assert results["required_per_variant"] > 100 and not results["horizon_reached"]
    assert results["verdict"].startswith("Keep running")
    assert all(v["impressions"] > 0 for v in results["variants"] if v["exposed"])
    assert api.post(f"/api/admin/experiments/{experiment_id}/stop/", headers=admin).json()["status"] == "stopped"
    assert api.post(f"/api/admin/experiments/{experiment_id}/start/", headers=admin).status_code == 409
