"""Throttling stops guessing without handing an attacker a way to lock the owner out (issue #13).

Thresholds are the defaults the README lists: 5 failures per (account, client) and 20 per client lock that
client for 15 minutes; from 10 failures per account, clients the owner never used must wait between attempts.
"""

from __future__ import annotations

LOGIN = "/api/auth/login/"
OWNER = {"email": "ana@example.org", "password": "s3cure-pass", "full_name": "Ana Lopez"}


def register(client, **fields) -> None:
    body = {**OWNER, **fields}
    assert client.post("/api/auth/register/", json=body).status_code == 201


def attempt(client, password: str, email: str = OWNER["email"]):
    return client.post(LOGIN, json={"email": email, "password": password})


def test_fifty_wrong_passwords_from_one_client_do_not_stop_the_owner(client_at, login_throttle):
    attacker, owner = client_at("203.0.113.66"), client_at("198.51.100.7")
    register(owner)
    answers = [attempt(attacker, f"guess-number-{i}").status_code for i in range(50)]
    assert answers[:5] == [401] * 5 and set(answers[5:]) == {429}
    locked = attempt(attacker, OWNER["password"])  # even the right password: this client is locked out
    assert locked.status_code == 429 and locked.json()["error"]["code"] == "too_many_attempts"
    assert int(locked.headers["Retry-After"]) > 0
    assert attempt(owner, OWNER["password"]).status_code == 200  # from a client it never used before


def test_guessing_from_many_clients_slows_strangers_but_not_the_owners_known_device(client_at, login_throttle):
    login_throttle.account_base_delay_seconds = 8  # the first wait is 1 s by default; longer keeps this test exact
    laptop = client_at("198.51.100.7")
    register(laptop)
    assert attempt(laptop, OWNER["password"]).status_code == 200  # the laptop is now a known client
    answers = []
    for n in range(4):  # 5 guesses from each of 4 places
        botnet = client_at(f"203.0.113.{n + 1}")
        answers += [attempt(botnet, f"guess-{n}-{i}").status_code for i in range(5)]
    assert answers[:10] == [401] * 10 and set(answers[10:]) == {429}  # from 10 failures on, guesses must wait
    stranger = attempt(client_at("192.0.2.200"), OWNER["password"])
    assert stranger.status_code == 429 and "Wait" in stranger.json()["error"]["message"]
    assert 0 < int(stranger.headers["Retry-After"]) <= 30  # a delay, never a long lock
    assert attempt(laptop, OWNER["password"]).status_code == 200


def test_one_client_spraying_many_accounts_is_locked_for_all_of_them(client_at, login_throttle):
    sprayer, owner = client_at("203.0.113.9"), client_at("198.51.100.7")
    register(owner)
    answers = [attempt(sprayer, "Winter2026!", f"person{i}@example.org").status_code for i in range(50)]
    assert answers[:20] == [401] * 20 and set(answers[20:]) == {429}
    assert attempt(sprayer, OWNER["password"]).status_code == 429
    assert attempt(owner, OWNER["password"]).status_code == 200
