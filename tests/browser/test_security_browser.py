"""The production server sends the security headers with every page, asset and API answer, refuses other
origins, and the main pages (the live room included) run under the CSP without a single violation."""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from datetime import timedelta

import httpx
from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.booking.actions import book_session
from peerlearn.models.users import UserCreate
from tests.browser.helpers import log_in
from tests.factories import make_session

PAGES = ["/", "/login", "/signup", "/sessions", "/dashboard", "/teach", "/insights", "/sessions/1", "/no-such-page"]
PLAYING = "el => { const v = el && el.querySelector('video'); return v !== null && v.videoWidth > 0 && !v.paused; }"
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`));
"""


def csp(response: httpx.Response) -> dict[str, list[str]]:
    header = response.headers["content-security-policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_secured(response: httpx.Response) -> None:
    assert response.headers["x-frame-options"] == "DENY", response.url
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=(self)" in response.headers["permissions-policy"]
    assert csp(response)["frame-ancestors"] == ["'none'"]


def test_every_page_asset_and_api_answer_carries_the_headers(live_app):
    with httpx.Client(base_url=live_app, timeout=20) as client:
        assert_secured(client.get("/login"))  # the redirect to /login/ is secured too
    with httpx.Client(base_url=live_app, timeout=20, follow_redirects=True) as client:
        for path in PAGES:
            page = client.get(path)  # httpx asks for gzip: the precompressed page is what gets hashed
            assert page.headers["content-type"].startswith("text/html"), path
            assert_secured(page)
            scripts = csp(page)["script-src"]
            inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page.text, re.S)
            assert inline, path
            for body in inline:
                digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
                assert f"'sha256-{digest}'" in scripts, (path, body[:60])
        asset = re.search(r'src="(/assets/[^"]+\.js)"|href="(/assets/[^"]+\.css)"', client.get("/").text)
        assert asset
        for path in [asset.group(1) or asset.group(2), "/ping", "/api/sessions/", "/api/openapi.json"]:
            assert_secured(client.get(path))


def test_another_sites_origin_gets_no_cors_grant_on_the_live_server(live_app):
    evil = {"Origin": "https://evil.example"}
    with httpx.Client(base_url=live_app, timeout=20) as client:
        assert "access-control-allow-origin" not in client.get("/api/sessions/", headers=evil).headers
        preflight = client.options("/api/bookings/", headers={**evil, "Access-Control-Request-Method": "GET"})
        assert preflight.status_code == 400 and "access-control-allow-origin" not in preflight.headers
        own = client.get("/api/sessions/", headers={"Origin": live_app})
        assert own.headers["access-control-allow-origin"] == live_app


def _watched_page(browser, live_app):
    context = browser.new_context(base_url=live_app, viewport={"width": 1200, "height": 900})
    context.set_default_timeout(30_000)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    return context, page, messages


def _violations(page, messages: list[str]) -> list[str]:
    return [*page.evaluate("window.__cspViolations || []"), *messages]


def test_main_pages_and_the_live_room_run_without_csp_violations(browser, live_app, live_db):
    tag = uuid.uuid4().hex[:6]
    mentor = register_user(
        UserCreate(email=f"csp-m-{tag}@example.org", password="mentor-password-1", full_name="Mia", role="mentor"),
        db=live_db,
    )
    learner = register_user(
        UserCreate(email=f"csp-l-{tag}@example.org", password="learner-password-1", full_name="Lou"), db=live_db
    )
    room = make_session(live_db, mentor, title="CSP room", start_in=timedelta(minutes=5), min_notice_minutes=0)
    book_session(learner, room, db=live_db)
    live_db.commit()

    contexts = []
    try:
        context, page, messages = _watched_page(browser, live_app)
        contexts.append(context)
        for path in ["/", "/sessions", "/signup", f"/sessions/{room}"]:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            assert _violations(page, messages) == [], path
        log_in(page, learner.email, "learner-password-1")
        for path in ["/dashboard", "/profile", f"/sessions/{room}"]:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            assert _violations(page, messages) == [], path

        # The room: preview (rx.call_script, getUserMedia), publish over WHIP, play over WHEP.
        mentor_context, mentor_page, mentor_messages = _watched_page(browser, live_app)
        contexts.append(mentor_context)
        log_in(mentor_page, mentor.email, "mentor-password-1")
        for watched in (mentor_page, page):
            watched.goto(f"/room/{room}")
            watched.wait_for_function(f"() => ({PLAYING})(document.querySelector('#local-preview'))")
            watched.locator("#join-room").click()
            expect(watched.locator("#toggle-mute")).to_be_visible()
        page.wait_for_function(f"() => ({PLAYING})(document.querySelector('#remote-{mentor.id}'))", timeout=60_000)
        assert _violations(page, messages) == []
        assert _violations(mentor_page, mentor_messages) == []
    finally:
        for context in contexts:
            context.close()
