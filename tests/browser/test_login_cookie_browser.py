"""The login token is out of reach of page scripts: the server keeps it in an HttpOnly cookie, the page works from
it, no script and no state update ever sees it, and logging out revokes it."""

from __future__ import annotations

import uuid

import httpx
from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.models.users import UserCreate


def login_cookie(page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == "peerlearn_token"), None)


def test_login_keeps_the_token_from_scripts_and_logout_revokes_it(page, live_app, live_db):
    email = f"hedy-{uuid.uuid4().hex[:6]}@example.org"
    register_user(UserCreate(email=email, password="frequency-hopping-1", full_name="Hedy Lamarr"), db=live_db)
    live_db.commit()
    frames: list[str] = []  # everything the event socket brings to the page
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))

    page.goto("/profile")  # a guarded page sends a visitor to log in first, and back here afterwards
    page.wait_for_url("**/login**")
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill("frequency-hopping-1")
    page.locator("#login-submit").click()
    page.wait_for_url("**/profile**")
    expect(page.locator("#profile-bio")).to_be_visible()

    cookie = login_cookie(page)
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    token = cookie["value"]
    assert len(token) > 20
    assert "peerlearn_token" not in page.evaluate("document.cookie")
    assert token not in page.evaluate("document.cookie + JSON.stringify(localStorage) + JSON.stringify(sessionStorage)")

    page.get_by_role(
        "link", name="Dashboard", exact=True
    ).first.click()  # in-page navigation on the same socket stays logged in
    expect(page.locator("#dashboard-greeting")).to_contain_text("Hedy Lamarr")
    page.reload()
    expect(page.locator("#dashboard-greeting")).to_contain_text("Hedy Lamarr")
    assert frames and not any(token in frame for frame in frames)

    page.locator("#account-menu").click()
    page.locator("#logout").click()
    page.wait_for_url(lambda url: "/dashboard" not in url)
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    assert login_cookie(page) is None
    with httpx.Client(base_url=live_app, timeout=20) as client:
        refused = client.get("/api/users/profile/", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401  # the old token is revoked, not just forgotten by this browser
    page.goto("/dashboard")
    page.wait_for_url("**/login**")


def test_wrong_login_says_so_next_to_the_form_and_keeps_where_to_go(page, live_db):
    email = f"grace-{uuid.uuid4().hex[:6]}@example.org"
    register_user(UserCreate(email=email, password="compiler-pioneer-1", full_name="Grace Hopper"), db=live_db)
    live_db.commit()
    page.goto("/login?next=/sessions")
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill("not-my-password")
    page.locator("#login-submit").click()
    expect(page.locator("#form-error")).to_contain_text("Email or password is incorrect.")
    assert login_cookie(page) is None
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill("compiler-pioneer-1")
    page.locator("#login-submit").click()
    page.wait_for_url("**/sessions**")
    expect(page.locator("#account-menu")).to_contain_text("Grace Hopper")
