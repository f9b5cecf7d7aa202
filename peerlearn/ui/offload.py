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
_limiter: CapacityLimiter | None = None


def _threads() -> CapacityLimiter:
    global _limiter
    if _limiter is None:  # created lazily: a limiter belongs to the running event loop
        _limiter = CapacityLimiter(THREADS)
    return _limiter


async def run_blocking(fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
    """`fn(*args, **kwargs)` in a worker thread; the loop serves everyone else meanwhile."""
    return await anyio.to_thread.run_sync(partial(fn, *args, **kwargs), limiter=_threads())
