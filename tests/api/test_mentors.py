"""/api/mentors/: a visitor browses the mentor directory and opens a mentor's profile; bad input is a 4xx in the one
error shape, and every route documents its errors."""

from __future__ import annotations

from datetime import timedelta

import pytest

from peerlearn.models import MentorProfile
from tests.factories import make_session, make_user


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"]["code"] == code and body["error"]["message"]
    return body


def test_a_visitor_finds_a_mentor_and_opens_their_profile(api, db) -> None:
    mentor = make_user(db, mentor=True, name="Gia Guitar")
    other = make_user(db, mentor=True, name="Pat Python")
    profile = db.get(MentorProfile, mentor.id)
    profile.headline, profile.rating_avg, profile.rating_count = "Session guitarist", 4.8, 12
    db.add(profile)
    session_id = make_session(db, mentor, start_in=timedelta(days=2), skills=["Guitar"], title="Barre chords")
    make_session(db, other, start_in=timedelta(days=1), skills=["Python"])

    listed = api.get("/api/mentors/", params={"skill": "guitar"})
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["total"] == 1 and body["sort"] == "recommended"  # the default order
    [card] = body["items"]
    assert (card["full_name"], card["headline"], card["top_skills"]) == ("Gia Guitar", "Session guitarist", ["Guitar"])
    assert card["next_available_at"] is not None

    soonest = api.get("/api/mentors", params={"sort": "soonest"}).json()
    assert [m["full_name"] for m in soonest["items"]] == ["Pat Python", "Gia Guitar"]

    opened = api.get(f"/api/mentors/{mentor.id}/")
    assert opened.status_code == 200, opened.text
    detail = opened.json()
    assert detail["rating_avg"] == 4.8 and detail["rating_count"] == 12
    assert [s["id"] for s in detail["upcoming"]] == [session_id]
    assert detail["reviews"] == {"items": [], "total": 0, "page": 1, "page_size": 5}
    assert "payout_account" not in detail and "email" not in detail


def test_unknown_mentors_are_404(api, db) -> None:
    learner = make_user(db)
    error_of(api.get("/api/mentors/999999/"), 404, "not_found")
    error_of(api.get(f"/api/mentors/{learner.id}/"), 404, "not_found")


@pytest.mark.parametrize(
    "path, params",
    [
        ("/api/mentors/", {"sort": "cheapest"}),
        ("/api/mentors/", {"page": 0}),
        ("/api/mentors/", {"page": "two"}),
        ("/api/mentors/", {"page_size": 101}),
        ("/api/mentors/", {"q": "x" * 201}),
        ("/api/mentors/0/", {}),
        ("/api/mentors/99999999999999999999/", {}),
        ("/api/mentors/1/", {"review_page": 0}),
        ("/api/mentors/1/", {"review_page_size": 51}),
    ],
)
def test_bad_paging_sort_and_ids_are_422(api, path, params) -> None:
    body = error_of(api.get(path, params=params), 422, "validation_error")
    assert body["error"]["fields"]


def test_writing_to_the_directory_is_405(api) -> None:
    response = api.post("/api/mentors/")
    assert response.status_code == 405 and response.headers["Allow"] == "GET"


def test_the_routes_document_their_errors(api) -> None:
    paths = api.get("/api/openapi.json").json()["paths"]
    for path in ("/api/mentors/", "/api/mentors/{mentor_id}/"):
        responses = paths[path]["get"]["responses"]
        assert {"404", "422"} <= set(responses)
        assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
