"""Passwords: at least 10 characters and not easy to guess (zxcvbn, counting the person's own email and name),
with advice on a better one; on sign-up, password change and reset. The published demo logins keep working."""

from __future__ import annotations

import pytest

from peerlearn.accounts.actions import ensure_admin, log_in
from peerlearn.accounts.password_policy import password_problem
from peerlearn.platform.errors import ValidationError

REGISTER = "/api/auth/register/"


def sign_up(api, password: str, email: str = "ana@example.org", name: str = "Ana Lopez"):
    return api.post(REGISTER, json={"email": email, "password": password, "full_name": name})


def test_password_is_refused_and_nothing_is_created(api):
    short = sign_up(api, "password")
    assert short.status_code == 422 and "password" in short.json()["error"]["message"]
    assert api.post("/api/auth/login/", json={"email": "ana@example.org", "password": "password"}).status_code == 401


@pytest.mark.parametrize("password", ["password123", "qwertyuiop12", "analopez2024", "Ana@example.org1", "1234567890"])
def test_common_or_personal_passwords_are_refused_with_advice(api, password):
    refused = sign_up(api, password)
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "validation_error" and error["message"].startswith("This password is too easy to guess.")
    assert "word" in error["message"] or "phrase" in error["message"]  # says how to pick a better one
    assert sign_up(api, "violet-canyon-thermos").status_code == 201  # the same email is still free


def test_a_password_change_follows_the_policy(api):
    token = sign_up(api, "violet-canyon-thermos").json()["token"]
    weak = api.post(
        "/api/auth/password/",
        json={"current_password": "violet-canyon-thermos", "new_password": "Ana Lopez 2026"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert weak.status_code == 422 and "too easy to guess" in weak.json()["error"]["message"]


def test_test_and_browser_passwords_still_pass():
    for password in ("s3cure-pass", "learner-password-1", "mentor-password-1", "finder-password-1"):
        assert password_problem(password, email="user1@example.org", full_name="Lina Learner") == ""


def test_the_configured_admin_password_must_be_strong_but_the_demo_logins_keep_working(db):
    from peerlearn.demo_data import DEMO_ADMIN, DEMO_LEARNER, DEMO_PASSWORD, seed_demo

    with pytest.raises(ValidationError, match="PEERLEARN_ADMIN_PASSWORD"):
        ensure_admin("boss@example.org", "admin12345", db=db)
    seed_demo(db=db, mentors=20, learners=60, sessions=40)
    ensure_admin(DEMO_ADMIN, DEMO_PASSWORD, db=db, check_strength=False)  # as `make run` does
    db.commit()
    for email in (DEMO_LEARNER, DEMO_ADMIN):
        user, _ = log_in(email, DEMO_PASSWORD, client="127.0.0.1", db=db)
        assert user.email == email
