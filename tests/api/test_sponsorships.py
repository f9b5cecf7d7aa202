"""/api/sponsorships/: a mentor buys a placement, sees it sponsored on Discover's search, lists it with its report,
pauses it and ends it with the unspent balance refunded; bad input is a 4xx in the one error shape."""

from __future__ import annotations

from datetime import timedelta

from peerlearn.models.types import utcnow
from peerlearn.sponsorships import queries
from tests.factories import make_session, make_user, token_for


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"]["code"] == code and body["error"]["message"]
    return body


def test_buy_show_list_pause_and_end(api, db) -> None:
    queries.clear_active_cache()
    mentor, other = make_user(db, mentor=True), make_user(db, mentor=True)
    make_session(db, other, title="Python for beginners", start_in=timedelta(days=1))
    session_id = make_session(db, mentor, title="Python in depth", start_in=timedelta(days=9))
    headers = token_for(db, mentor)
    today = utcnow().date()
    body = {
        "session_id": session_id,
        "targets": ["Python"],
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=7)).isoformat(),
        "budget_minor": 5000,
        "daily_cap_minor": 1000,
        "pricing": "cpc",
        "bid_minor": 50,
    }
    created = api.post("/api/sponsorships/", json=body, headers=headers)
    assert created.status_code == 201, created.text
    campaign = created.json()
    assert campaign["status"] == "active" and campaign["spent_minor"] == 0

    queries.clear_active_cache()
    found = api.get("/api/sessions/", params={"q": "python", "page_size": 1}).json()
    assert [(i["id"], i["sponsored"]) for i in found["items"]][1] == (session_id, True)

    learner = token_for(db, make_user(db))
    for _ in range(2):  # the second click the same day is not billed
        assert api.post(f"/api/sponsorships/{campaign['id']}/click/", headers=learner).status_code == 204
    listed = api.get("/api/sponsorships/", headers=headers).json()
    assert [(c["id"], c["clicks"], c["billed_clicks"], c["spent_minor"], c["balance_minor"]) for c in listed] == [
        (campaign["id"], 2, 1, 50, 4950)
    ]
    assert api.get("/api/sponsorships/", headers=token_for(db, other)).json() == []

    paused = api.post(f"/api/sponsorships/{campaign['id']}/pause/", headers=headers)
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    error_of(api.post(f"/api/sponsorships/{campaign['id']}/pause/", headers=headers), 409, "invalid_state")
    ended = api.post(f"/api/sponsorships/{campaign['id']}/end/", headers=headers).json()
    assert (ended["status"], ended["refunded_minor"]) == ("ended", 4950)


def test_bad_input_is_a_4xx_in_the_one_shape(api, db) -> None:
    mentor, other = make_user(db, mentor=True), make_user(db, mentor=True)
    session_id = make_session(db, mentor)
    headers = token_for(db, mentor)
    today = utcnow().date().isoformat()
    good = {"session_id": session_id, "starts_on": today, "ends_on": today, "budget_minor": 100}
    good |= {"daily_cap_minor": 100, "bid_minor": 10}
    error_of(api.post("/api/sponsorships/", json=good), 401, "unauthenticated")
    error_of(
        api.post("/api/sponsorships/", json={**good, "daily_cap_minor": 500}, headers=headers), 422, "validation_error"
    )
    error_of(api.post("/api/sponsorships/", json={**good, "bid_minor": -1}, headers=headers), 422, "validation_error")
    error_of(api.post("/api/sponsorships/", json={**good, "pricing": "cpa"}, headers=headers), 422, "validation_error")
    error_of(api.post("/api/sponsorships/", json={**good, "session_id": 999999}, headers=headers), 404, "not_found")
    error_of(api.post("/api/sponsorships/", json=good, headers=token_for(db, other)), 403, "forbidden")
    error_of(api.post("/api/sponsorships/0/pause/", headers=headers), 422, "validation_error")
    error_of(api.post("/api/sponsorships/424242/pause/", headers=headers), 404, "not_found")
    error_of(api.post("/api/sponsorships/424242/click/", headers=headers), 404, "not_found")
    error_of(api.post("/api/sponsorships/1/click/"), 401, "unauthenticated")
