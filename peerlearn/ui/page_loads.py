"""Each page's on_load events by route, so a handler can run the current page's loads again (after the viewer's
time zone changes, every time on the page is formatted anew). `layout.page` fills it; states read it."""

from __future__ import annotations

LOADS: dict[str, list] = {}


def _key(route: str) -> str:
    return route.strip("/")


def register(route: str, loads: list) -> None:
    LOADS[_key(route)] = loads


def loads_for(route: str) -> list:
    """The on_load events of the page at `route` (a route pattern such as "/sessions/[session_id]")."""
    return list(LOADS.get(_key(route), []))
