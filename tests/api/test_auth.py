"""Every account path of the REST API, including the refusals."""

import pytest

REGISTER = "/api/auth/register/"
LOGIN = "/api/auth/login/"


def register(api, email="ana@example.org", password="s3cure-pass", role="learner", name="Ana Lopez"):
    return api.post(REGISTER, json={"email": email, "password": password, "full_name": name, "role": role})


def auth(token):
    return {"Authorization": f"Bearer {token}"}


def test_register_returns_user_and_token(api):
    response = register(api)
    assert response.status_code == 201
    body = response.json()
    assert body["user"]["email"] == "ana@example.org"
    assert body["user"]["roles"] == ["learner"]
    assert body["token"]
    assert "password" not in response.text and "argon2" not in response.text


def test_register_mentor_is_also_a_learner(api):
    body = register(api, role="mentor").json()
    assert set(body["user"]["roles"]) == {"learner", "mentor"}


def test_register_without_trailing_slash(api):
    response = api.post(
        "/api/auth/register", json={"email": "b@example.org", "password": "s3cure-pass", "full_name": "B"}
    )
    assert response.status_code == 201


def test_duplicate_email_is_409_whatever_the_case(api):
    register(api)
    response = register(api, email="ANA@example.org")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "email_taken"


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"email": "not-an-email", "password": "s3cure-pass", "full_name": "X"}, "email"),
        ({"email": "x@example.org", "password": "short", "full_name": "X"}, "password"),
        ({"email": "x@example.org", "password": "s3cure-pass", "full_name": ""}, "full_name"),
        ({"email": "x@example.org", "password": "s3cure-pass", "full_name": "X", "role": "wizard"}, "role"),
    ],
)
def test_bad_registration_input_is_422_and_creates_nothing(api, payload, field):
    response = api.post(REGISTER, json=payload)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert any(f["field"] == field for f in error["fields"])
    assert api.post(LOGIN, json={"email": "x@example.org", "password": "s3cure-pass"}).status_code == 401


def test_admin_cannot_be_self_registered(api):
    refused = register(api, role="admin")
    assert refused.status_code == 422 and refused.json()["error"]["fields"][0]["field"] == "role"


def test_login_and_profile(api):
    register(api)
    response = api.post(LOGIN, json={"email": "Ana@Example.org", "password": "s3cure-pass"})
    assert response.status_code == 200
    token = response.json()["token"]
    profile = api.get("/api/users/profile/", headers=auth(token))
    assert profile.status_code == 200
    assert profile.json()["user"]["full_name"] == "Ana Lopez"


def test_wrong_password_and_unknown_email_look_the_same(api):
    register(api)
    wrong = api.post(LOGIN, json={"email": "ana@example.org", "password": "nope-nope"})
    unknown = api.post(LOGIN, json={"email": "nobody@example.org", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_login_is_throttled_after_repeated_failures(api):
    register(api)
    for _ in range(5):
        assert api.post(LOGIN, json={"email": "ana@example.org", "password": "bad-guess"}).status_code == 401
    refused = api.post(LOGIN, json={"email": "ana@example.org", "password": "s3cure-pass"})
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "too_many_attempts"
    assert int(refused.headers["Retry-After"]) > 0


def test_profile_needs_a_valid_token(api):
    assert api.get("/api/users/profile/").status_code == 401
    bad = api.get("/api/users/profile/", headers=auth("forged-token"))
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "unauthenticated"


def test_logout_revokes_the_token(api):
    token = register(api).json()["token"]
    assert api.post("/api/auth/logout/", headers=auth(token)).status_code == 204
    assert api.get("/api/users/profile/", headers=auth(token)).status_code == 401


def test_update_profile(api):
    token = register(api).json()["token"]
    update = {
        "full_name": "Ana L.",
        "bio": "Data analyst",
        "timezone": "Europe/Berlin",
        "skills": [{"name": "Python", "level": "intermediate"}, {"name": "SQL", "level": "beginner"}],
        "interests": ["Machine Learning", "machine learning", "Statistics"],
        "learning_goals": "Become a data scientist",
    }
    response = api.put("/api/users/profile/update/", json=update, headers=auth(token))
    assert response.status_code == 200
    again = api.get("/api/users/profile/", headers=auth(token)).json()
    assert again["user"]["full_name"] == "Ana L."
    assert again["timezone"] == "Europe/Berlin"
    assert {(s["name"], s["level"]) for s in again["skills"]} == {("Python", "intermediate"), ("SQL", "beginner")}
    assert again["interests"] == ["Machine Learning", "Statistics"]


def test_update_profile_rejects_unknown_timezone_and_changes_nothing(api):
    token = register(api).json()["token"]
    response = api.put("/api/users/profile/update/", json={"timezone": "Mars/Olympus", "bio": "x"}, headers=auth(token))
    assert response.status_code == 422
    assert "time zone" in response.json()["error"]["message"]
    assert api.get("/api/users/profile/", headers=auth(token)).json()["bio"] == ""


def test_learner_cannot_set_mentor_headline(api):
    token = register(api).json()["token"]
    response = api.put("/api/users/profile/update/", json={"headline": "Guru"}, headers=auth(token))
    assert response.status_code == 403


def test_change_password_ends_old_logins(api):
    token = register(api).json()["token"]
    bad = api.post(
        "/api/auth/password/",
        json={"current_password": "wrong", "new_password": "quiet-harbour-lantern"},
        headers=auth(token),
    )
    assert bad.status_code == 401
    ok = api.post(
        "/api/auth/password/",
        json={"current_password": "s3cure-pass", "new_password": "quiet-harbour-lantern"},
        headers=auth(token),
    )
    assert ok.status_code == 204
    assert api.get("/api/users/profile/", headers=auth(token)).status_code == 401
    assert api.post(LOGIN, json={"email": "ana@example.org", "password": "quiet-harbour-lantern"}).status_code == 200


def test_unknown_api_path_is_json_404(api):
    response = api.get("/api/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_openapi_docs_are_served(api):
    assert api.get("/api/docs").status_code == 200
    assert "/api/auth/register/" in api.get("/api/openapi.json").json()["paths"]
