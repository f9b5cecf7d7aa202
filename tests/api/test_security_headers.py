"""Every response carries the security headers; CORS answers only the app's own origins."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest

from peerlearn.api.security_headers import content_security_policy, inline_script_hashes
from peerlearn.config import get_settings, reset_settings_cache
from peerlearn.origins import allowed_origins

EXPECTED = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
}


def csp_directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_secured(response) -> dict[str, list[str]]:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.request.url)
    policy = response.headers["permissions-policy"]
    assert "camera=(self)" in policy and "microphone=(self)" in policy and "display-capture=(self)" in policy
    assert "geolocation=()" in policy
    directives = csp_directives(response.headers["content-security-policy"])
    assert directives["frame-ancestors"] == ["'none'"] and directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in directives["script-src"]
    return directives


@pytest.fixture
def learner_auth(db):
    from tests.factories import make_user, token_for

    return token_for(db, make_user(db))


def test_every_kind_of_api_response_is_secured(api, learner_auth):
    responses = [
        api.get("/api/sessions/"),  # 200 JSON
        api.get("/api/bookings/"),  # 401
        api.get("/api/sessions/999/"),  # 404
        api.get("/api/sessions/0/"),  # 422
        api.delete("/api/sessions/1/"),  # 405
        api.post("/api/auth/register/", content=b"x" * 1_100_000),  # 413
        api.get("/api/openapi.json"),
        api.post("/api/notifications/read/", headers=learner_auth),  # 204
    ]
    assert [r.status_code for r in responses] == [200, 401, 404, 422, 405, 413, 200, 204]
    for response in responses:
        assert_secured(response)


def test_an_html_page_allows_exactly_its_own_inline_scripts(api):
    page = api.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    scripts = csp_directives(page.headers["content-security-policy"])["script-src"]
    inline = re.findall(r"<script>(.*?)</script>", page.text, re.S)
    assert inline, "the docs page has an inline script to hash"
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in scripts
    assert_secured(page)


def test_inline_script_hashes_skip_external_scripts():
    html = b'<script src="/a.js"></script><script>one()</script><script type="module">two()</script>'
    assert inline_script_hashes(html) == [
        f"'sha256-{base64.b64encode(hashlib.sha256(code).digest()).decode()}'" for code in (b"one()", b"two()")
    ]


def test_csp_lets_the_pages_reach_their_socket_and_the_media_servers(monkeypatch):
    monkeypatch.setenv("MEDIA_PUBLIC_URL", "https://media.example.org")
    monkeypatch.setenv("MEDIA_NODES", "https://m1.example.org:8443/,https://m2.example.org")
    reset_settings_cache()
    try:
        directives = csp_directives(content_security_policy(get_settings()))
    finally:
        reset_settings_cache()
    connect = directives["connect-src"]
    assert {"'self'", "ws://localhost:3000", "https://media.example.org", "https://m1.example.org:8443"} <= set(connect)
    assert {"blob:", "mediastream:"} <= set(directives["media-src"])


def test_hsts_only_when_the_public_url_is_https(api, monkeypatch):
    assert "strict-transport-security" not in api.get("/api/sessions/").headers
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://peerlearn.example.org")
    reset_settings_cache()
    from fastapi.testclient import TestClient

    from peerlearn.api.app import create_api

    with TestClient(create_api()) as client:
        response = client.get("/api/sessions/")
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")
    connect = csp_directives(response.headers["content-security-policy"])["connect-src"]
    assert "wss://peerlearn.example.org" in connect


def test_allowed_origins_are_the_apps_own_with_loopback_aliases_only_outside_production(monkeypatch):
    monkeypatch.setenv("PORT", "3000")
    reset_settings_cache()
    assert allowed_origins(get_settings()) == ["http://localhost:3000", "http://127.0.0.1:3000", "http://[::1]:3000"]
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://peerlearn.example.org/")
    monkeypatch.setenv("PEERLEARN_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-for-this-test-only-0123456789")
    reset_settings_cache()
    try:
        assert allowed_origins(get_settings()) == ["https://peerlearn.example.org"]
    finally:
        monkeypatch.setenv("PEERLEARN_ENV", "test")
        reset_settings_cache()


@pytest.fixture
def reflex_stack(database_url):
    """The API with the CORS middleware Reflex adds when it mounts it (App._add_cors, fed by rxconfig)."""
    from fastapi.testclient import TestClient
    from reflex.app import App

    from peerlearn.api.app import create_api

    api = create_api()
    App._add_cors(api)
    with TestClient(api) as client:
        yield client


def test_cors_refuses_another_sites_origin_and_its_preflight(reflex_stack):
    evil = {"Origin": "https://evil.example"}
    response = reflex_stack.get("/api/sessions/", headers=evil)
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers
    preflight = reflex_stack.options(
        "/api/bookings/",
        headers={**evil, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization"},
    )
    assert preflight.status_code == 400 and "access-control-allow-origin" not in preflight.headers


def test_cors_answers_the_apps_own_origin(reflex_stack):
    own = {"Origin": "http://localhost:3000"}
    assert reflex_stack.get("/api/sessions/", headers=own).headers["access-control-allow-origin"] == own["Origin"]
    preflight = reflex_stack.options("/api/bookings/", headers={**own, "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 200 and preflight.headers["access-control-allow-origin"] == own["Origin"]


def test_a_page_sent_by_path_and_gzipped_still_gets_its_script_hashes(tmp_path):
    """Granian's pathsend extension: the production server sends prerendered pages from disk."""
    import gzip

    import anyio

    from peerlearn.api.security_headers import SecurityHeadersMiddleware

    page = tmp_path / "index.html.gz"
    page.write_bytes(gzip.compress(b"<html><script>boot()</script></html>"))

    async def static_app(scope, receive, send):
        headers = [(b"content-type", b"text/html; charset=utf-8"), (b"content-encoding", b"gzip")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.pathsend", "path": str(page)})

    sent = []

    async def collect(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request", "body": b""}

    middleware = SecurityHeadersMiddleware(static_app, get_settings())
    anyio.run(middleware, {"type": "http", "path": "/", "headers": []}, receive, collect)
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.pathsend"]
    headers = dict(sent[0]["headers"])
    assert inline_script_hashes(b"<script>boot()</script>")[0].encode() in headers[b"content-security-policy"]
    assert headers[b"x-frame-options"] == b"DENY"


def test_csp_sources_are_all_valid_host_sources():
    """Chrome reports (and ignores) a source such as http://[::1]:3000: CSP has no IPv6 literals."""
    connect = csp_directives(content_security_policy(get_settings()))["connect-src"]
    assert connect and not [source for source in connect if "[" in source]
