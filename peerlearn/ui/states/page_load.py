"""One event per page load: the page's on_load handlers run, in order, inside a single Reflex event.

Reflex queues each on_load handler as an event of its own, and with the Redis state manager every event takes the
tab's state lock, loads its states, saves them back and sends a delta. A page with a guard, its data, the
recommendations and the bell paid that four times per load. `load_page(route)` runs the same handlers (their
functions, on their own state instances from `get_state`) in one event: one lock, one save, one delta. A guard
that redirects ends the chain, so nothing is loaded for a visitor who is being sent to log in.
"""

from __future__ import annotations

import inspect

from reflex.event import EventHandler, EventSpec

from peerlearn.ui import page_loads
from peerlearn.ui.states.auth import AuthState


def register_loaders(route: str, handlers: list[EventHandler]) -> EventSpec:
    """Remember the page's on_load handlers; returns the one on_load event that runs them."""
    event = PageLoadState.load_page(route)
    page_loads.register(route, handlers, event)
    return event


def _is_redirect(result: object) -> bool:
    return isinstance(result, EventSpec) and result.handler.fn.__name__ == "_redirect"


class PageLoadState(AuthState):
    async def load_page(self, route: str):
        followups: list = []
        for handler in page_loads.handlers_for(route):
            state = self if handler.state is None else await self.get_state(handler.state)
            result = handler.fn(state)
            if inspect.isawaitable(result):
                result = await result
            if result is None:
                continue
            followups.extend(result if isinstance(result, list) else [result])
            if _is_redirect(result):
                break
        return followups or None
