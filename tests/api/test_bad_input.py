"""Input outside its range is a clear 4xx in the one error shape, and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from peerlearn.models import Booking, LearningSession
from tests.api.payloads import session_payload
from tests.factories import make_session, make_user, token_for

TOO_BIG = 2**64  # 18446744073709551616: no BIGINT id can be this
LAST_ID = 2**31 - 1  # the largest INTEGER primary key (PostgreSQL's limit too)


@pytest.fixture
def people(db):
    mentor, learner = make_user(db, mentor=True), make_user(db)
    admin = make_user(db, admin=True)
    return {
        "mentor": token_for(db, mentor),
        "learner": token_for(db, learner),
        "admin": token_for(db, admin),
        "mentor_user": mentor,
    }


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["message"]
    if code:
        assert error["code"] == code
    return error


@pytest.mark.parametrize(
    ("method", "path", "who"),
    [
        ("GET", "/api/sessions/{id}/", None),
        ("GET", "/api/bookings/{id}/", "learner"),
        ("GET", "/api/payments/{id}/receipt/", "learner"),
        ("POST", "/api/sessions/{id}/media-token/", "learner"),
        ("POST", "/api/sessions/{id}/book/", "learner"),
        ("POST", "/api/sessions/{id}/publish/", "mentor"),
        ("DELETE", "/api/sessions/{id}/cancel/", "learner"),
        ("GET", "/api/sessions/{id}/chat/", "learner"),
        ("POST", "/api/admin/payouts/{id}/paid/", "admin"),
    ],
)
def test_an_id_no_row_can_have_is_422_on_every_route_kind(api, people, method, path, who):
    headers = people[who] if who else {}
    for bad in (TOO_BIG, 0, -1):
        error = assert_error(api.request(method, path.format(id=bad), headers=headers), 422, "validation_error")
        assert error["fields"][0]["field"].endswith("_id")
    # The largest real id is still a well-formed id: it just does not exist (or needs a login).
    assert api.request(method, path.format(id=LAST_ID), headers=headers).status_code in (401, 403, 404)


@pytest.mark.parametrize("path", ["/api/bookings/{id}/", "/api/admin/experiments/{id}/results/"])
def test_a_huge_id_without_a_login_is_401_not_a_server_error(api, path):
    assert_error(api.get(path.format(id=TOO_BIG)), 401, "unauthenticated")


def test_reschedule_with_a_huge_booking_or_session_id_is_422(api, people):
    assert_error(
        api.post(f"/api/bookings/{TOO_BIG}/reschedule/", json={"session_id": 1}, headers=people["learner"]), 422
    )
    assert_error(api.post("/api/bookings/1/reschedule/", json={"session_id": TOO_BIG}, headers=people["learner"]), 422)


def test_search_with_a_21_digit_price_is_422(api):
    error = assert_error(api.get("/api/sessions/", params={"min_price": "1" * 21}), 422, "validation_error")
    assert "min_price" in error["message"]
    assert api.get("/api/sessions/", params={"min_price": 0, "max_price": 100}).status_code == 200


def test_chat_after_an_id_beyond_bigint_is_422(api, db, people):
    session_id = make_session(db, people["mentor_user"])
    path = f"/api/sessions/{session_id}/chat/"
    error = assert_error(api.get(path, params={"after_id": 2**63}, headers=people["mentor"]), 422)
    assert "after_id" in error["message"]
    assert api.get(path, params={"after_id": LAST_ID}, headers=people["mentor"]).status_code == 200


def test_a_2_mb_body_is_413_before_it_is_parsed(api, db):
    body = b'{"email": "big@example.org", "password": "long-enough", "full_name": "' + b"x" * 2_000_000 + b'"}'
    error = assert_error(
        api.post("/api/auth/register/", content=body, headers={"content-type": "application/json"}),
        413,
        "body_too_large",
    )
    assert "limit" in error["message"]


def test_a_streamed_body_without_length_is_counted_and_refused(api):
    def chunks():
        for _ in range(40):
            yield b"x" * 64_000

    response = api.post("/api/auth/register/", content=chunks(), headers={"content-type": "application/json"})
    assert_error(response, 413, "body_too_large")


def test_a_body_under_the_limit_still_reaches_the_app(api):
    payload = {"email": "ok@example.org", "password": "long-enough-password", "full_name": "Ok " + "y" * 100}
    assert api.post("/api/auth/register/", json=payload).status_code == 201


def test_an_unsupported_currency_is_422_and_creates_nothing(api, db, people):
    error = assert_error(
        api.post("/api/sessions/create/", json=session_payload(currency="XYZ"), headers=people["mentor"]), 422
    )
    assert "currency" in error["message"] and "USD" in error["message"]
    assert db.exec(select(LearningSession)).all() == []
    created = api.post("/api/sessions/create/", json=session_payload(currency="inr"), headers=people["mentor"])
    assert created.status_code == 201 and created.json()["items"][0]["currency"] == "INR"


def test_a_title_of_only_spaces_is_refused_and_text_is_trimmed(api, db, people):
    assert_error(api.post("/api/sessions/create/", json=session_payload(title="     "), headers=people["mentor"]), 422)
    assert db.exec(select(LearningSession)).all() == []
    created = api.post(
        "/api/sessions/create/",
        json=session_payload(title="  Pandas basics  ", skills=[" Pandas "]),
        headers=people["mentor"],
    )
    item = created.json()["items"][0]
    assert item["title"] == "Pandas basics" and item["skills"] == ["Pandas"]
    update = api.put(f"/api/sessions/{item['id']}/update/", json={"title": "   "}, headers=people["mentor"])
    assert_error(update, 422)
    assert api.get(f"/api/sessions/{item['id']}/").json()["title"] == "Pandas basics"


def test_rescheduling_to_the_session_already_booked_is_409_and_keeps_the_booking(api, db, people):
    session_id = make_session(db, people["mentor_user"], start_in=timedelta(days=4))
    booking = api.post(f"/api/sessions/{session_id}/book/", headers=people["learner"]).json()
    response = api.post(
        f"/api/bookings/{booking['id']}/reschedule/", json={"session_id": session_id}, headers=people["learner"]
    )
    assert_error(response, 409, "reschedule_not_allowed")
    db.expire_all()
    assert [b.status for b in db.exec(select(Booking)).all()] == ["confirmed"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/api/sessions/1/", "GET"),
        ("PUT", "/api/auth/login/", "POST"),
        ("GET", "/api/sessions/1/book/", "POST"),
        ("PATCH", "/api/sessions/1/chat/", "GET, POST"),
    ],
)
def test_an_unsupported_method_on_a_known_path_is_405_with_allow(api, method, path, allowed):
    response = api.request(method, path)
    assert_error(response, 405, "method_not_allowed")
    assert response.headers["allow"] == allowed


def test_an_unknown_api_path_is_still_404(api):
    assert_error(api.get("/api/no-such-thing/"), 404, "not_found")


def test_schema_validation_and_service_validation_share_status_and_shape(api, people):
    schema = api.post("/api/sessions/create/", json=session_payload(capacity=0), headers=people["mentor"])
    service = api.post(
        "/api/sessions/create/",
        json=session_payload(end_at=session_payload()["start_at"]),
        headers=people["mentor"],
    )
    assert schema.status_code == service.status_code == 422
    assert schema.json()["error"]["code"] == service.json()["error"]["code"] == "validation_error"


def test_sign_up_keeps_a_known_time_zone_and_refuses_an_unknown_one(api, db):
    from peerlearn.models import Profile, User

    payload = {"email": "tz@example.org", "password": "long-enough-password", "full_name": "Tia Zone"}
    error = assert_error(api.post("/api/auth/register/", json={**payload, "timezone": "Mars/Olympus"}), 422)
    assert "time zone" in error["message"]
    assert db.exec(select(User).where(User.email == "tz@example.org")).first() is None
    assert api.post("/api/auth/register/", json={**payload, "timezone": "America/New_York"}).status_code == 201
    db.rollback()  # see the API's commit
    user = db.exec(select(User).where(User.email == "tz@example.org")).one()
    assert db.exec(select(Profile.timezone).where(Profile.user_id == user.id)).one() == "America/New_York"
