"""What a learner states counts at once: the very next list after sign-up, and after each profile change, matches it
and says so truthfully, although the process's model was trained before (the retrain runs only every 30 minutes).
Both the API (`GET /api/recommendations/`) and the service the 'Recommended for you' page calls."""

from __future__ import annotations

import pytest

from peerlearn.insights import recommendations as recs
from peerlearn.insights.recommendations import MODEL
from tests.insights.helpers import POPULAR, assert_matches, interest_market, learner

INTERESTS = ["Machine Learning", "Japanese", "Python"]


@pytest.fixture(autouse=True)
def fresh_model():
    MODEL.reset()
    yield
    MODEL.reset()


def _listed(api, auth) -> list[tuple[list[str], str]]:
    response = api.get("/api/recommendations/", headers=auth)
    assert response.status_code == 200
    return [(item["session"]["skills"], item["explanation"]) for item in response.json()]


def test_interests_given_at_sign_up_and_changed_later_shape_the_very_next_list(api, db) -> None:
    interest_market(db)
    MODEL.get(db=db)  # the running app's model, trained before this learner exists
    db.rollback()
    response = api.post(
        "/api/auth/register/",
        json={
            "email": "nea@example.org",
            "password": "first-minute-password-9",
            "full_name": "Nea Newcomer",
            "interests": INTERESTS,
        },
    )
    assert response.status_code == 201
    auth, user_id = {"Authorization": f"Bearer {response.json()['token']}"}, response.json()["user"]["id"]

    first = _listed(api, auth)
    assert_matches(first, INTERESTS)
    assert not {s for skills, _ in first[:3] for s in skills} & set(POPULAR)
    page = recs.recommendations_for(learner(db, user_id), db=db, limit=6)
    assert_matches([(item.session.skills, item.explanation) for item in page], INTERESTS)

    changed = api.put("/api/users/profile/update/", json={"interests": ["Guitar"]}, headers=auth)
    assert changed.status_code == 200
    assert_matches(_listed(api, auth), ["Guitar"], top=2)  # the two Guitar sessions, nothing about Python now

    changed = api.put(
        "/api/users/profile/update/", json={"interests": [], "skills": [{"name": "Japanese"}]}, headers=auth
    )
    assert changed.status_code == 200
    assert_matches(_listed(api, auth), ["Japanese"], top=2)
    page = recs.recommendations_for(learner(db, user_id), db=db, limit=6)
    assert_matches([(item.session.skills, item.explanation) for item in page], ["Japanese"], top=2)


def test_a_profile_change_that_rolls_back_changes_nothing(api, db) -> None:
    from peerlearn.accounts.actions import update_profile
    from peerlearn.models.users import ProfileUpdate

    interest_market(db)
    MODEL.get(db=db)
    response = api.post(
        "/api/auth/register/",
        json={
            "email": "rae@example.org",
            "password": "first-minute-password-9",
            "full_name": "Rae",
            "interests": ["Python"],
        },
    )
    auth, user_id = {"Authorization": f"Bearer {response.json()['token']}"}, response.json()["user"]["id"]
    update_profile(learner(db, user_id), ProfileUpdate(interests=["Guitar"]), db=db)
    db.rollback()
    assert_matches(_listed(api, auth), ["Python"], top=2)
