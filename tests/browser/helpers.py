"""Steps browser tests share."""


def log_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.locator("#login-email").fill(email)
    page.locator("#login-password").fill(password)
    page.locator("#login-submit").click()
    page.wait_for_url("**/dashboard**")
