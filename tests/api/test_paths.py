"""/api/paths/: a learner asks for the path to a goal, opens it, follows it, books its next step and sees the path
advance; bad input is a 4xx in the one error shape."""

from __future__ import annotations

from peerlearn.models import Profile
from tests.factories import make_user, token_for
from tests.paths.conftest import build_market


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"]["code"] == code and body["error"]["message"]
    return body


def test_a_learner_gets_opens_follows_and_advances_a_path(api, db) -> None:
    market = build_market(db)
    learner = make_user(db)
    headers = token_for(db, learner)

    found = api.get("/api/paths/", params={"goal": "Data analyst"}, headers=headers)
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["outcome"] == "found" and body["goal_skills"] == ["Data analysis"]
    [path] = body["paths"]
    assert [s["skill"] for s in path["steps"]] == ["Excel", "SQL", "Python", "Data analysis"]
    assert path["curated"] is False and path["following"] is False

    detail = api.get(f"/api/paths/{path['id']}/", headers=headers).json()
    assert detail["next_position"] == 1
    assert [s["id"] for s in detail["next_sessions"]] == [market.upcoming["Excel"]]
    assert detail["ranked_by"] in ("recommender", "start_time")

    followed = api.post(f"/api/paths/{path['id']}/follow/", headers=headers)
    assert followed.status_code == 200 and followed.json()["following"] is True

    booked = api.post(f"/api/sessions/{market.upcoming['Excel']}/book/", headers=headers)
    assert booked.status_code in (200, 201), booked.text
    [mine] = api.get("/api/paths/me/", headers=headers).json()
    assert mine["id"] == path["id"]
    assert [s["status"] for s in mine["steps"]] == ["booked", "next", "later", "later"]
    detail = api.get(f"/api/paths/{path['id']}/", headers=headers).json()
    assert [s["id"] for s in detail["next_sessions"]] == [market.upcoming["SQL"]]


def test_the_profile_goal_is_used_when_none_is_typed_and_its_absence_is_422(api, db) -> None:
    build_market(db)
    learner, empty = make_user(db), make_user(db)
    profile = db.get(Profile, learner.id)
    profile.learning_goals = "Get better at SQL."
    db.add(profile)
    db.commit()

    mine = api.get("/api/paths/", headers=token_for(db, learner))
    assert mine.status_code == 200 and mine.json()["goal_skills"] == ["SQL"]
    error_of(api.get("/api/paths/", headers=token_for(db, empty)), 422, "validation_error")


def test_bad_input_is_a_4xx_in_the_one_error_shape(api, db) -> None:
    learner = make_user(db)
    headers = token_for(db, learner)

    error_of(api.get("/api/paths/", params={"goal": "Data"}), 401, "unauthenticated")
    error_of(api.get("/api/paths/", params={"goal": "x" * 201}, headers=headers), 422, "validation_error")
    error_of(api.get("/api/paths/0/", headers=headers), 422, "validation_error")
    error_of(api.get("/api/paths/abc/", headers=headers), 422, "validation_error")
    error_of(api.get("/api/paths/99999/", headers=headers), 404, "not_found")
    error_of(api.post("/api/paths/99999/follow/", headers=headers), 404, "not_found")
    error_of(api.post(f"/api/paths/{2**40}/follow/", headers=headers), 422, "validation_error")
    error_of(api.delete("/api/paths/me/", headers=headers), 405, "method_not_allowed")


def test_every_paths_route_documents_its_error_responses(api) -> None:
    spec = api.get("/api/openapi.json").json()
    routes = {p: ops for p, ops in spec["paths"].items() if p.startswith("/api/paths")}
    assert set(routes) == {"/api/paths/", "/api/paths/me/", "/api/paths/{path_id}/", "/api/paths/{path_id}/follow/"}
    for ops in routes.values():
        for op in ops.values():
            assert {"401", "404", "422"} <= set(op["responses"])
