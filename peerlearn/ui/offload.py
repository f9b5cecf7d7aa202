"""Run blocking work (database, ranking, Redis, HTTP with a sync client) off the event loop.

Reflex runs a synchronous handler directly on the event loop, so one database call there stalls every tab the
worker serves. The rule in PeerLearn: every handler that does such work is `async` and awaits `run_blocking`,
which runs the work in a worker thread. The work opens and closes its own transaction inside the thread, so no
transaction is ever open while the loop awaits something else.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ParamSpec, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter

P = ParamSpec("P")
T = TypeVar("T")

# At most this many handlers of one worker are in a thread at once: about the database pool's size, so threads
# wait here, on the loop, rather than inside the pool while holding nothing.
THREADS = 16
# Work nobody is waiting on to click (the recommendations strip, filled in by a background event) has its own,
# narrower lane: a burst of it (a connect ramp ranks for every new tab) queues there instead of ahead of clicks.
BACKGROUND_THREADS = 2
_limiters: dict[str, CapacityLimiter] = {}


def _threads(lane: str) -> CapacityLimiter:
    if lane not in _limiters:  # created lazily: a limiter belongs to the running event loop
        _limiters[lane] = CapacityLimiter(BACKGROUND_THREADS if lane == "background" else THREADS)
    return _limiters[lane]


async def run_blocking(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)` in a worker thread; the loop serves everyone else meanwhile."""
    return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs), limiter=_threads("interactive"))


async def run_in_background_lane(fn: Callable[[], T]) -> T:
    """`fn()` in a worker thread of the background lane (at most BACKGROUND_THREADS at once)."""
    return await anyio.to_thread.run_sync(fn, limiter=_threads("background"))
