"""One event per page load: the page's on_load handlers run inside a single Reflex event.

Reflex queues each on_load handler as an event of its own, and with the Redis state manager every event takes the
tab's state lock, loads its states, saves them back and sends a delta. A page with a guard, its data, the
recommendations and the bell paid that four times per load. `load_page(route)` runs the same handlers (their
functions, on their own state instances from `get_state`) in one event: one lock, one save, one delta.

The first handler is the page's guard: it runs alone, and a redirect ends the load, so nothing is loaded for a
visitor who is being sent to log in. The others then run together (each mostly waits on its own database trip).
A background handler (`@rx.event(background=True)`, the recommendations) is not run under the lock: it is
chained, and fills its part of the page when it is ready, so the state lock is held for the page's own data only.
"""

from __future__ import annotations

import asyncio
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


def _as_list(result: object) -> list:
    if result is None:
        return []
    return result if isinstance(result, list) else [result]


class PageLoadState(AuthState):
    async def _run(self, handler: EventHandler) -> list:
        state = self if handler.state is None else await self.get_state(handler.state)
        result = handler.fn(state)
        if inspect.isawaitable(result):
            result = await result
        return _as_list(result)

    async def load_page(self, route: str):
        guard, *rest = page_loads.handlers_for(route) or (None,)
        if guard is None:
            return None
        followups = await self._run(guard)
        if any(_is_redirect(event) for event in followups):
            return followups
        in_lock = [handler for handler in rest if not handler.is_background]
        for results in await asyncio.gather(*(self._run(handler) for handler in in_lock)):
            followups.extend(results)
        followups.extend(handler() for handler in rest if handler.is_background)
        return followups or None
