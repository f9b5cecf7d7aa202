"""Password reset by email: the same answer whether or not the email has an account, a link that works once
and soon expires, a new password under the sign-up policy, and every old login ended."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from peerlearn.accounts.password_reset import ResetTokenError, request_password_reset, reset_password
from peerlearn.accounts.security import hash_token
from peerlearn.models import PasswordResetToken
from peerlearn.models.types import utcnow
from tests.factories import make_user
from tests.security.test_login_lockout import OWNER, attempt, register

RESET, CONFIRM = "/api/auth/password-reset/", "/api/auth/password-reset/confirm/"
NEW_PASSWORD = "violet-canyon-thermos"


def token_in(mail_body: str) -> str:
    return re.search(r"/reset-password\?token=([\w-]+)", mail_body).group(1)


def test_reset_link_flow_works_once_and_ends_old_logins(client_at, login_throttle, outbox, db):
    laptop, phone = client_at("198.51.100.7"), client_at("198.51.100.8")
    register(laptop)
    old_login = attempt(laptop, OWNER["password"]).json()["token"]

    asked = phone.post(RESET, json={"email": "ANA@example.org "})
    nobody = phone.post(RESET, json={"email": "nobody@example.org"})
    assert asked.status_code == nobody.status_code == 202
    assert asked.json() == nobody.json()  # nothing tells whether the email has an account
    mail = outbox()
    assert len(mail) == 1 and mail[0][0] == OWNER["email"]
    token = token_in(mail[0][2])
    stored = db.exec(select(PasswordResetToken)).all()
    assert [row.token_hash for row in stored] == [hash_token(token)]  # only the hash is kept

    weak = phone.post(CONFIRM, json={"token": token, "new_password": "password123"})
    assert weak.status_code == 422 and "Add another word" in weak.json()["error"]["message"]
    assert phone.post(CONFIRM, json={"token": token, "new_password": NEW_PASSWORD}).status_code == 204
    again = phone.post(CONFIRM, json={"token": token, "new_password": "another-violet-canyon"})
    assert again.status_code == 422 and again.json()["error"]["code"] == "reset_token_invalid"

    assert attempt(phone, OWNER["password"]).status_code == 401
    assert attempt(phone, NEW_PASSWORD).status_code == 200
    assert laptop.get("/api/users/profile/", headers={"Authorization": f"Bearer {old_login}"}).status_code == 401


def test_reset_gets_the_owner_past_a_lock_on_their_own_client(client_at, login_throttle, outbox):
    phone = client_at("198.51.100.8")
    register(phone)
    for i in range(5):
        attempt(phone, f"forgot-it-{i}")
    assert attempt(phone, OWNER["password"]).status_code == 429
    phone.post(RESET, json={"email": OWNER["email"]})
    token = token_in(outbox()[0][2])
    assert phone.post(CONFIRM, json={"token": token, "new_password": NEW_PASSWORD}).status_code == 204
    assert attempt(phone, NEW_PASSWORD).status_code == 200


def test_forged_and_expired_links_are_refused(db, outbox, login_throttle):
    user = make_user(db)
    request_password_reset(user.email, client="198.51.100.8", db=db)
    db.commit()
    token = token_in(outbox()[0][2])
    with pytest.raises(ResetTokenError):
        reset_password("x" * 43, NEW_PASSWORD, client="198.51.100.8", db=db)
    with pytest.raises(ResetTokenError):
        reset_password(token, NEW_PASSWORD, client="198.51.100.8", db=db, now=utcnow() + timedelta(minutes=31))
    reset_password(token, NEW_PASSWORD, client="198.51.100.8", db=db, now=utcnow() + timedelta(minutes=29))


def test_a_mailbox_cannot_be_flooded_with_links(client_at, login_throttle, outbox):
    phone = client_at("198.51.100.8")
    register(phone)
    answers = {phone.post(RESET, json={"email": OWNER["email"]}).status_code for _ in range(6)}
    assert answers == {202}
    assert len(outbox(expect=6, timeout=1.0)) == 3


def test_one_client_cannot_ask_for_links_without_end(client_at, login_throttle, outbox):
    sprayer = client_at("203.0.113.9")
    answers = [sprayer.post(RESET, json={"email": f"person{i}@example.org"}).status_code for i in range(25)]
    assert answers[:20] == [202] * 20 and set(answers[20:]) == {429}
    assert client_at("198.51.100.8").post(RESET, json={"email": "person1@example.org"}).status_code == 202
