"""The marketplace REST API: every path and its refusals."""

from datetime import timedelta

import pytest

from peerlearn.models.types import utcnow
from tests.factories import make_session, make_user, token_for


def iso(delta: timedelta) -> str:
    return (utcnow() + delta).replace(microsecond=0).isoformat()


def session_payload(**overrides):
    payload = {
        "title": "Pandas for analysts",
        "description": "Group-by, joins and tidy data.",
        "skills": ["Pandas", "Python"],
        "category": "Data Science",
        "level": "intermediate",
        "language": "English",
        "start_at": iso(timedelta(days=5)),
        "end_at": iso(timedelta(days=5, hours=1)),
        "capacity": 4,
        "price_minor": 0,
        "currency": "USD",
    }
    payload.update(overrides)
    return payload


@pytest.fixture
def people(db):
    mentor, learner = make_user(db, mentor=True, name="Maya Mentor"), make_user(db, name="Lee Learner")
    return {
        "mentor": mentor,
        "learner": learner,
        "mentor_auth": token_for(db, mentor),
        "learner_auth": token_for(db, learner),
    }


def test_mentor_creates_a_published_session_and_learner_books_it(api, people):
    created = api.post("/api/sessions/create/", json=session_payload(), headers=people["mentor_auth"])
    assert created.status_code == 201
    item = created.json()["items"][0]
    assert item["status"] == "published" and item["spots_left"] == 4 and set(item["skills"]) == {"Pandas", "Python"}
    assert item["mentor"]["full_name"] == "Maya Mentor"

    booked = api.post(f"/api/sessions/{item['id']}/book/", headers=people["learner_auth"])
    assert booked.status_code == 201
    assert booked.json()["status"] == "confirmed" and booked.json()["checkout_url"] is None
    assert api.get(f"/api/sessions/{item['id']}/").json()["spots_left"] == 3
    mine = api.get("/api/bookings/", headers=people["learner_auth"]).json()
    assert [b["session_id"] for b in mine] == [item["id"]]
    notes = api.get("/api/notifications/", headers=people["learner_auth"]).json()
    assert notes["unread"] >= 1 and "Booked" in notes["items"][0]["title"]


def test_paid_booking_returns_a_checkout_url(api, people):
    item = api.post(
        "/api/sessions/create/", json=session_payload(price_minor=4000), headers=people["mentor_auth"]
    ).json()["items"][0]
    booked = api.post(f"/api/sessions/{item['id']}/book", headers=people["learner_auth"])
    assert booked.status_code == 201
    assert booked.json()["status"] == "pending_payment"
    assert "/pay/simulated/" in booked.json()["checkout_url"]


def test_draft_is_hidden_until_published(api, people):
    item = api.post(
        "/api/sessions/create/", json=session_payload(status="draft"), headers=people["mentor_auth"]
    ).json()["items"][0]
    assert api.get(f"/api/sessions/{item['id']}/").status_code == 404
    assert api.post(f"/api/sessions/{item['id']}/book/", headers=people["learner_auth"]).status_code == 404
    published = api.post(f"/api/sessions/{item['id']}/publish/", headers=people["mentor_auth"])
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert api.get(f"/api/sessions/{item['id']}/").status_code == 200


def test_learner_cannot_create_sessions_and_bad_input_is_422(api, people):
    assert api.post("/api/sessions/create/", json=session_payload(), headers=people["learner_auth"]).status_code == 403
    assert api.post("/api/sessions/create/", json=session_payload()).status_code == 401
    bad = api.post("/api/sessions/create/", json=session_payload(capacity=0), headers=people["mentor_auth"])
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "capacity"
    backwards = api.post(
        "/api/sessions/create/", json=session_payload(end_at=iso(timedelta(days=4))), headers=people["mentor_auth"]
    )
    assert backwards.status_code == 422 and "end after" in backwards.json()["error"]["message"]


def test_overlapping_session_is_409_with_the_rule_named(api, people):
    api.post("/api/sessions/create/", json=session_payload(), headers=people["mentor_auth"])
    clash = api.post("/api/sessions/create/", json=session_payload(title="Another one"), headers=people["mentor_auth"])
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "overlapping_session"


def test_full_session_is_409_and_waitlist_works(api, db, people):
    item = api.post("/api/sessions/create/", json=session_payload(capacity=1), headers=people["mentor_auth"]).json()[
        "items"
    ][0]
    api.post(f"/api/sessions/{item['id']}/book/", headers=people["learner_auth"])
    other = token_for(db, make_user(db))
    full = api.post(f"/api/sessions/{item['id']}/book/", headers=other)
    assert full.status_code == 409 and full.json()["error"]["code"] == "session_full"
    waiting = api.post(f"/api/sessions/{item['id']}/waitlist/", headers=other)
    assert waiting.status_code == 201 and waiting.json()["position"] == 1
    # The first learner cancels: the waiting learner gets the offer and can book.
    assert api.delete(f"/api/sessions/{item['id']}/cancel/", headers=people["learner_auth"]).status_code == 200
    assert api.post(f"/api/sessions/{item['id']}/book/", headers=other).status_code == 201


def test_notice_rule_is_422(api, people):
    item = api.post(
        "/api/sessions/create/",
        json=session_payload(
            start_at=iso(timedelta(minutes=40)), end_at=iso(timedelta(minutes=100)), min_notice_minutes=60
        ),
        headers=people["mentor_auth"],
    ).json()["items"][0]
    refused = api.post(f"/api/sessions/{item['id']}/book/", headers=people["learner_auth"])
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "booking_notice_too_short"


def test_cancel_after_cutoff_is_422_and_mentor_cancel_notifies(api, db, people):
    item = api.post(
        "/api/sessions/create/",
        json=session_payload(
            start_at=iso(timedelta(hours=10)), end_at=iso(timedelta(hours=11)), cancellation_cutoff_hours=24
        ),
        headers=people["mentor_auth"],
    ).json()["items"][0]
    api.post(f"/api/sessions/{item['id']}/book/", headers=people["learner_auth"])
    late = api.delete(f"/api/sessions/{item['id']}/cancel/", headers=people["learner_auth"])
    assert late.status_code == 409 and late.json()["error"]["code"] == "cancellation_cutoff_passed"
    by_mentor = api.delete(f"/api/sessions/{item['id']}/cancel/", headers=people["mentor_auth"])
    assert by_mentor.status_code == 200 and by_mentor.json()["status"] == "cancelled"
    titles = [n["title"] for n in api.get("/api/notifications/", headers=people["learner_auth"]).json()["items"]]
    assert any(t.startswith("Cancelled") for t in titles)


def test_reschedule_and_someone_elses_booking(api, db, people):
    first = api.post("/api/sessions/create/", json=session_payload(), headers=people["mentor_auth"]).json()["items"][0]
    second = api.post(
        "/api/sessions/create/",
        json=session_payload(start_at=iso(timedelta(days=9)), end_at=iso(timedelta(days=9, hours=1))),
        headers=people["mentor_auth"],
    ).json()["items"][0]
    booking = api.post(f"/api/sessions/{first['id']}/book/", headers=people["learner_auth"]).json()
    stranger = token_for(db, make_user(db))
    assert (
        api.post(
            f"/api/bookings/{booking['id']}/reschedule/", json={"session_id": second["id"]}, headers=stranger
        ).status_code
        == 404
    )
    moved = api.post(
        f"/api/bookings/{booking['id']}/reschedule/", json={"session_id": second["id"]}, headers=people["learner_auth"]
    )
    assert (
        moved.status_code == 200
        and moved.json()["session_id"] == second["id"]
        and moved.json()["status"] == "confirmed"
    )
    assert api.get(f"/api/bookings/{booking['id']}/", headers=stranger).status_code == 404


def test_review_rules_over_the_api(api, db, people):
    sid = make_session(db, people["mentor"])
    assert (
        api.post(f"/api/sessions/{sid}/reviews/", json={"rating": 5}, headers=people["learner_auth"]).status_code == 404
    )
    api.post(f"/api/sessions/{sid}/book/", headers=people["learner_auth"])
    early = api.post(f"/api/sessions/{sid}/reviews/", json={"rating": 5}, headers=people["learner_auth"])
    assert early.status_code == 409 and early.json()["error"]["code"] == "review_not_allowed"
    assert (
        api.post(f"/api/sessions/{sid}/reviews/", json={"rating": 9}, headers=people["learner_auth"]).status_code == 422
    )


def test_unknown_session_is_404(api, people):
    assert api.get("/api/sessions/999999/").status_code == 404
    assert api.post("/api/sessions/999999/book/", headers=people["learner_auth"]).status_code == 404
