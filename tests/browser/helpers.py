"""Steps browser tests share."""

import re


def log_in(page, email: str, password: str) -> None:
    """Log in from the log-in page; ends on the person's home (a learner's dashboard, a mentor's /teach)."""
    page.goto("/login")
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill(password)
    page.locator("#login-submit").click()
    page.wait_for_url(re.compile(r"/(dashboard|teach)/?(\?|$)"))
