"""Each page's on_load handlers by route, and the one event that runs them (`states/page_load.py`), so a handler
can run the current page's loads again (after the viewer's time zone changes, every time on the page is formatted
anew). `layout.page` fills it; states read it. It imports no state, so any state may use it."""

from __future__ import annotations

from typing import Any

_HANDLERS: dict[str, tuple[Any, ...]] = {}
_EVENTS: dict[str, Any] = {}


def _key(route: str) -> str:
    return route.strip("/")


def register(route: str, handlers: list[Any], event: Any) -> None:
    _HANDLERS[_key(route)] = tuple(handlers)
    _EVENTS[_key(route)] = event


def handlers_for(route: str) -> tuple[Any, ...]:
    """The page's on_load handlers, in order."""
    return _HANDLERS.get(_key(route), ())


def loads_for(route: str) -> list[Any]:
    """The on_load event of the page at `route` (a route pattern such as "/sessions/[session_id]"), as a list."""
    event = _EVENTS.get(_key(route))
    return [event] if event is not None else []
