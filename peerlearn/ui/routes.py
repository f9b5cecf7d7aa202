"""Every page route in one place: the paths are defined in `peerlearn/links.py` (so the domain can link to pages
without importing ui/); the pages import them from here."""

from peerlearn.links import (
    BOOKING,
    DASHBOARD,
    DENIED,
    DISCOVER,
    HOME,
    INSIGHTS,
    INSIGHTS_DEFINITIONS,
    LOGIN,
    NOT_FOUND,
    PROFILE,
    RECEIPT,
    ROOM,
    SESSION,
    SIGNUP,
    SIMULATED_CHECKOUT,
    TEACH,
    TEACH_NEW,
    TEACH_SESSION,
)

__all__ = [
    "BOOKING",
    "DASHBOARD",
    "DENIED",
    "DISCOVER",
    "HOME",
    "INSIGHTS",
    "INSIGHTS_DEFINITIONS",
    "LOGIN",
    "NOT_FOUND",
    "PROFILE",
    "RECEIPT",
    "ROOM",
    "SESSION",
    "SIGNUP",
    "SIMULATED_CHECKOUT",
    "TEACH",
    "TEACH_NEW",
    "TEACH_SESSION",
]
