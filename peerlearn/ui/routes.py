"""Every page route in one place: the paths are defined in `peerlearn/links.py` (so the domain can link to pages
without importing ui/); the pages import them from here."""

import reflex as rx

from peerlearn.links import (
    BOOKING,
    DASHBOARD,
    DENIED,
    DISCOVER,
    FORGOT_PASSWORD,
    HOME,
    INSIGHTS,
    INSIGHTS_DEFINITIONS,
    LEARNING_PATHS,
    LOGIN,
    LOGIN_FORM,
    LOGOUT_FORM,
    MENTOR,
    MENTOR_PLANS,
    MENTORS,
    NOT_FOUND,
    PASSWORD_RESET,
    PROFILE,
    RECEIPT,
    ROOM,
    SESSION,
    SIGNUP,
    SIGNUP_FORM,
    SIMULATED_CHECKOUT,
    SIMULATED_SUBSCRIPTION_CHECKOUT,
    TEACH,
    TEACH_EDIT,
    TEACH_NEW,
    TEACH_SESSION,
)

__all__ = [
    "form_action",
    "BOOKING",
    "FORGOT_PASSWORD",
    "PASSWORD_RESET",
    "DASHBOARD",
    "DENIED",
    "DISCOVER",
    "HOME",
    "INSIGHTS",
    "INSIGHTS_DEFINITIONS",
    "LEARNING_PATHS",
    "LOGIN",
    "LOGIN_FORM",
    "LOGOUT_FORM",
    "MENTOR",
    "MENTOR_PLANS",
    "MENTORS",
    "NOT_FOUND",
    "PROFILE",
    "RECEIPT",
    "ROOM",
    "SESSION",
    "SIGNUP",
    "SIGNUP_FORM",
    "SIMULATED_CHECKOUT",
    "SIMULATED_SUBSCRIPTION_CHECKOUT",
    "TEACH",
    "TEACH_EDIT",
    "TEACH_NEW",
    "TEACH_SESSION",
]


def form_action(path: str) -> str:
    """Where a page's form posts `path`: the path itself when the pages and the backend share a port (`make run`,
    production); the backend's URL (Reflex's `api_url`) when the pages are served from a port of their own."""
    config = rx.config.get_config()
    if not config.frontend_port or config.frontend_port == config.backend_port:
        return path
    return config.api_url.rstrip("/") + path
