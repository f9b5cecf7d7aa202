"""The login cookie: its name, and reading the token back out of a request's Cookie header.

The token lives only in an HttpOnly, SameSite=Lax cookie (Secure over https) that the server sets and clears:
`peerlearn/api/auth_forms.py` answers the log-in, sign-up and log-out forms. Page scripts cannot read it, and the
Reflex states never keep it in their client-side state: they read it from the event socket's handshake headers
(`AuthState._login_token`), which the browser sends with the cookie.
"""

from __future__ import annotations

COOKIE_NAME = "peerlearn_token"
# The one form error code that is not an ErrorCode: sign-up's password policy refused the password.
WEAK_PASSWORD = "weak_password"


def token_from_cookie_header(header: str | None) -> str:
    """The login token in a raw `Cookie:` header ('' when there is none); the first one wins, as browsers order them
    most specific path first."""
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name.strip() == COOKIE_NAME:
            return value.strip().strip('"')
    return ""
