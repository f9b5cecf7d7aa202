"""The pages' log-in, sign-up and log-out forms: plain form posts answered with a 303 and an HttpOnly cookie.

The cookie is the only place the browser keeps the login token, so these check what a person (or an attacker's
page) would notice: where the answer sends them, what the Set-Cookie says, and whether the token works afterwards.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from peerlearn.config import reset_settings_cache

LOGIN_FORM = "/api/auth/login/form/"
SIGNUP_FORM = "/api/auth/signup/form/"
LOGOUT_FORM = "/api/auth/logout/form/"
OWN = "http://localhost:3000"  # the test settings' base URL (PORT 3000, no PUBLIC_BASE_URL)
PASSWORD = "s3cure-pass"


@pytest.fixture
def account(api) -> str:
    body = {"email": "ana@example.org", "password": PASSWORD, "full_name": "Ana Lopez"}
    assert api.post("/api/auth/register/", json=body).status_code == 201
    return body["email"]


def post(api, path: str, data: dict, origin: str | None = OWN, **headers: str):
    if origin is not None:
        headers["Origin"] = origin
    api.cookies.clear()  # every post says exactly what it sends; nothing from an earlier answer's Set-Cookie
    return api.post(path, data=data, headers=headers, follow_redirects=False)


def login(api, email: str, password: str = PASSWORD, origin: str | None = OWN, **fields: str):
    return post(api, LOGIN_FORM, {"email": email, "password": password, **fields}, origin)


def set_cookie(response) -> str:
    return "; ".join(response.headers.get_list("set-cookie"))


def token_in(response) -> str:
    header = response.headers["set-cookie"]
    assert header.startswith("peerlearn_token=")
    return header.split(";", 1)[0].split("=", 1)[1]


def can_use(api, token: str) -> bool:
    status = api.get("/api/users/profile/", headers={"Authorization": f"Bearer {token}"}).status_code
    assert status in (200, 401)
    return status == 200


def location(response) -> tuple[str, dict[str, list[str]]]:
    parts = urlsplit(response.headers["location"])
    return f"{parts.scheme}://{parts.netloc}{parts.path}", parse_qs(parts.query)


def test_log_in_sets_an_httponly_lax_cookie_and_sends_the_person_on(api, account):
    response = login(api, account, next="/sessions?q=python")
    assert response.status_code == 303
    assert response.headers["location"] == f"{OWN}/sessions?q=python"
    cookie = set_cookie(response).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "max-age=1209600" in cookie  # the token's own lifetime (SESSION_TOKEN_TTL_HOURS, 14 days)
    assert "secure" not in cookie  # plain http on localhost: a Secure cookie would never come back
    assert can_use(api, token_in(response))


def test_log_in_goes_back_to_the_alias_the_person_used(api, account):
    response = login(api, account, origin="http://127.0.0.1:3000")
    assert response.headers["location"] == "http://127.0.0.1:3000/dashboard"


def test_a_mentor_lands_on_the_teaching_desk_unless_next_says_otherwise(api):
    body = {"email": "mo@example.org", "password": PASSWORD, "full_name": "Mo Mentor", "role": "mentor"}
    assert api.post("/api/auth/register/", json=body).status_code == 201
    assert login(api, body["email"]).headers["location"] == f"{OWN}/teach"
    assert login(api, body["email"], next="/dashboard").headers["location"] == f"{OWN}/dashboard"
    assert login(api, body["email"], next="/sessions/7").headers["location"] == f"{OWN}/sessions/7"


def test_a_learner_lands_on_the_dashboard(api, account):
    assert login(api, account).headers["location"] == f"{OWN}/dashboard"


@pytest.mark.parametrize(
    "target", ["//evil.example", "//evil.example/dashboard", "/\\evil.example", "https://evil.example/"]
)
def test_next_pointing_at_another_site_is_ignored(api, account, target):
    response = login(api, account, next=target)
    assert response.status_code == 303
    assert response.headers["location"] == f"{OWN}/dashboard"


def test_wrong_password_goes_back_to_the_form_with_an_error_and_no_cookie(api, account):
    response = login(api, account, "not-the-password", next="/teach")
    assert response.status_code == 303
    page, query = location(response)
    assert page == f"{OWN}/login"
    assert query == {"error": ["invalid_credentials"], "next": ["/teach"]}
    assert "set-cookie" not in response.headers


def test_the_lockout_rules_of_the_json_login_apply_and_say_how_long_to_wait(api, account):
    for _ in range(5):
        assert location(login(api, account, "guess"))[1]["error"] == ["invalid_credentials"]
    response = login(api, account)  # even the right password: this client is locked out of the account
    _, query = location(response)
    assert query["error"] == ["too_many_attempts"] and int(query["wait"][0]) > 0
    assert "set-cookie" not in response.headers


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Origin": "null", "Referer": f"{OWN}/login"},  # an opaque origin is refused, whatever the Referer says
        {"Origin": "http://localhost:3001"},  # another port is another origin
        {"Referer": "https://evil.example/page"},
        {},
    ],
)
def test_a_post_from_another_site_is_refused(api, account, headers):
    response = post(api, LOGIN_FORM, {"email": account, "password": PASSWORD}, origin=None, **headers)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert set(response.json()) == {"error"}
    assert "set-cookie" not in response.headers


def test_without_an_origin_the_referer_of_an_own_page_is_enough(api, account):
    response = post(api, LOGIN_FORM, {"email": account, "password": PASSWORD}, origin=None, Referer=f"{OWN}/login")
    assert response.status_code == 303 and token_in(response)


def test_the_cookie_is_secure_when_the_site_is_https(api, account, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://peerlearn.example")
    reset_settings_cache()
    response = login(api, account, origin="https://peerlearn.example")
    assert response.headers["location"] == "https://peerlearn.example/dashboard"
    assert "secure" in set_cookie(response).lower().replace(" ", "").split(";")
    assert login(api, account, origin=OWN).status_code == 403  # localhost is no alias of a public site


def test_sign_up_logs_the_new_account_in(api):
    data = {"full_name": "Mina Mentor", "email": "mina@example.org", "password": PASSWORD, "role": "mentor"}
    response = post(api, SIGNUP_FORM, data)
    assert response.status_code == 303 and response.headers["location"] == f"{OWN}/profile"
    assert "httponly" in set_cookie(response).lower()
    profile = api.get("/api/users/profile/", headers={"Authorization": f"Bearer {token_in(response)}"}).json()
    assert set(profile["user"]["roles"]) == {"learner", "mentor"}


def test_what_a_person_wants_to_learn_at_sign_up_is_on_their_profile(api):
    data = {
        "full_name": "Ivo Ito",
        "email": "ivo@example.org",
        "password": PASSWORD,
        "interests": "Rust,  python , ,Rust",
    }
    response = post(api, SIGNUP_FORM, data)
    profile = api.get("/api/users/profile/", headers={"Authorization": f"Bearer {token_in(response)}"}).json()
    assert profile["interests"] == ["Rust", "python"]


@pytest.mark.parametrize(
    "fields, query",
    [
        ({"password": "password123"}, {"error": ["weak_password"]}),
        ({"email": "not-an-email"}, {"error": ["validation_error"], "field": ["email"]}),
        ({"full_name": ""}, {"error": ["validation_error"], "field": ["full_name"]}),
        ({"role": "admin"}, {"error": ["validation_error"], "field": ["role"]}),
        (
            {"interests": ",".join(f"topic {n}" for n in range(51))},
            {"error": ["validation_error"], "field": ["interests"]},
        ),
        (
            {"role": "mentor", "password": "short"},
            {"error": ["validation_error"], "field": ["password"], "role": ["mentor"]},
        ),
    ],
)
def test_a_refused_sign_up_goes_back_to_the_form_saying_why(api, fields, query):
    data = {"full_name": "Bo Berg", "email": "bo@example.org", "password": PASSWORD, **fields}
    response = post(api, SIGNUP_FORM, data)
    assert response.status_code == 303
    assert location(response) == (f"{OWN}/signup", query)
    assert "set-cookie" not in response.headers


def test_signing_up_with_a_taken_email_says_so(api, account):
    response = post(api, SIGNUP_FORM, {"full_name": "Ana Two", "email": account.upper(), "password": PASSWORD})
    assert location(response) == (f"{OWN}/signup", {"error": ["email_taken"]})


def test_log_out_revokes_the_token_and_clears_the_cookie(api, account):
    token = token_in(login(api, account))
    response = post(api, LOGOUT_FORM, {}, Cookie=f"theme=dark; peerlearn_token={token}")
    assert response.status_code == 303 and response.headers["location"] == f"{OWN}/"
    cleared = set_cookie(response).lower()
    assert cleared.startswith('peerlearn_token=""') and "max-age=0" in cleared and "httponly" in cleared
    assert not can_use(api, token)  # a copy of the token stops working too


def test_another_site_cannot_log_anyone_out(api, account):
    token = token_in(login(api, account))
    refused = post(api, LOGOUT_FORM, {}, origin="https://evil.example", Cookie=f"peerlearn_token={token}")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert can_use(api, token)


def test_the_json_login_still_answers_api_clients_with_a_bearer_token(api, account):
    response = api.post("/api/auth/login/", json={"email": account, "password": PASSWORD})
    assert response.status_code == 200 and "set-cookie" not in response.headers
    assert can_use(api, response.json()["token"])


def test_the_rest_api_ignores_the_login_cookie(api, account):
    """REST stays bearer-only, so a cookie another site's page makes the browser send authorises nothing there."""
    token = token_in(login(api, account))
    api.cookies.clear()
    assert api.get("/api/users/profile/", headers={"Cookie": f"peerlearn_token={token}"}).status_code == 401


def test_the_forms_are_not_part_of_the_api_document(api):
    paths = api.get("/api/openapi.json").json()["paths"]
    assert not any(path.endswith("/form/") for path in paths)
