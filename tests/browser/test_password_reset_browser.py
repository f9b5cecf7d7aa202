"""A person who forgot their password asks for a link, opens it, is told a weak password is too easy to guess,
sets a strong one and logs in with it."""

import re
import threading
import uuid

from playwright.sync_api import expect

from peerlearn.accounts.actions import register_user
from peerlearn.accounts.password_reset import request_password_reset
from peerlearn.models.users import UserCreate
from peerlearn.platform import mailer
from tests.browser.helpers import log_in


def test_forgot_password_link_sets_a_new_password(page, live_db, monkeypatch):
    email = f"rosa-{uuid.uuid4().hex[:6]}@example.org"
    register_user(UserCreate(email=email, password="first-garden-password", full_name="Rosa Reset"), db=live_db)
    live_db.commit()

    page.goto("/login")
    page.locator("#forgot-password").click()
    page.wait_for_url("**/forgot-password**")
    page.locator("#reset-email").fill(email)
    page.locator("#reset-submit").click()
    expect(page.locator("#reset-notice")).to_contain_text("on its way")

    # The app mailed its link to its own console; ask for another one here, where the mail can be read.
    sent, arrived = [], threading.Event()
    monkeypatch.setattr(mailer, "send_email", lambda to, subject, body, ics=None: (sent.append(body), arrived.set()))
    request_password_reset(email, client="127.0.0.1", db=live_db)
    live_db.commit()
    assert arrived.wait(10)
    link = re.search(r"https?://\S+(/reset-password\?token=[\w-]+)", sent[0]).group(1)

    page.goto(link)
    page.locator("#reset-new-password").fill("password123")
    page.locator("#reset-confirm").click()
    expect(page.locator("#form-error")).to_contain_text("too easy to guess")
    page.locator("#reset-new-password").fill("lantern-orchid-basalt")
    page.locator("#reset-confirm").click()
    page.wait_for_url("**/login**")
    log_in(page, email, "lantern-orchid-basalt")
