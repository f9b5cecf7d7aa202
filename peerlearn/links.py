"""Every page route of the app, and the few builders that turn one into a link.

The pages live in ui/, but links are also built below it (notifications, e-mails, checkout return URLs), and the domain
packages may not import ui/. So the paths live here, beside config.py and money.py at the bottom of the layers:
`peerlearn/ui/routes.py` re-exports them for the pages, and the domain builds its links with the functions below.
A dynamic segment is written `[name]`, as Reflex expects it.
"""

from __future__ import annotations

HOME = "/"
LOGIN = "/login"
SIGNUP = "/signup"
PROFILE = "/profile"
DASHBOARD = "/dashboard"
DENIED = "/denied"
NOT_FOUND = "404"
SESSION = "/sessions/[session_id]"
BOOKING = "/bookings/[booking_id]"
SIMULATED_CHECKOUT = "/pay/simulated/[ref]"
SIMULATED_SUBSCRIPTION_CHECKOUT = "/pay/simulated/subscription/[ref]"
MENTOR_PLANS = "/teach/plans"
DISCOVER = "/sessions"
TEACH = "/teach"
TEACH_NEW = "/teach/new"
TEACH_SESSION = "/teach/sessions/[session_id]"
TEACH_EDIT = "/teach/sessions/[session_id]/edit"
INSIGHTS = "/insights"
INSIGHTS_DEFINITIONS = "/insights/definitions"
ROOM = "/room/[session_id]"
RECEIPT = "/receipts/[payment_id]"
FORGOT_PASSWORD = "/forgot-password"
LEARNING_PATHS = "/paths"
MENTORS = "/mentors"
MENTOR = "/mentors/[mentor_id]"
PASSWORD_RESET = "/reset-password"  # the emailed link; peerlearn/accounts/password_reset.py builds it

# The log-in, sign-up and log-out forms post here (plain HTML forms; the answers set or clear the HttpOnly login
# cookie and redirect back to a page: peerlearn/api/auth_forms.py).
LOGIN_FORM = "/api/auth/login/form/"
SIGNUP_FORM = "/api/auth/signup/form/"
LOGOUT_FORM = "/api/auth/logout/form/"


def fill(route: str, **segments: object) -> str:
    """`fill(SESSION, session_id=7)` is "/sessions/7"; every `[name]` in the route must be given."""
    path = route
    for name, value in segments.items():
        placeholder = f"[{name}]"
        if placeholder not in path:
            raise ValueError(f"{route} has no segment {placeholder}")
        path = path.replace(placeholder, str(value))
    if "[" in path:
        raise ValueError(f"{route} still has a segment to fill: {path}")
    return path


def local_path(target: str | None, default: str) -> str:
    """`target` when it is a path on this site ("/sessions?q=x"), else `default`: never another host ("//evil.example",
    "/\\evil.example", "https://..."), so a `next=` parameter cannot send anyone elsewhere."""
    target = target or ""
    if not target.startswith("/") or target.startswith(("//", "/\\")) or len(target) > 2000 or not target.isprintable():
        return default
    return target


def session_link(session_id: int | None) -> str:
    """A session's public page (learners: details, booking, recordings)."""
    return fill(SESSION, session_id=session_id)


def teach_session_link(session_id: int | None) -> str:
    """The mentor's page for one of their sessions: its bookings and attendance."""
    return fill(TEACH_SESSION, session_id=session_id)


def mentor_link(mentor_id: int | None) -> str:
    """A mentor's public profile: who they are, what learners said, their upcoming sessions."""
    return fill(MENTOR, mentor_id=mentor_id)


def booking_link(booking_id: int | None) -> str:
    return fill(BOOKING, booking_id=booking_id)


def room_link(session_id: int | None) -> str:
    return fill(ROOM, session_id=session_id)


def receipt_link(payment_id: int | None) -> str:
    return fill(RECEIPT, payment_id=payment_id)


def simulated_checkout_link(ref: str) -> str:
    return fill(SIMULATED_CHECKOUT, ref=ref)
