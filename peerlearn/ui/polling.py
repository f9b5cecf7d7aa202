"""The poll loop behind pages that refresh themselves while open (the dashboards, the live room).

A page starts it with a background event when it mounts and stops it (`watching = False`) when it unmounts; a
second start while one runs does nothing. Each round calls `tick()`, which takes the state's lock only for the
moments it reads or writes the state and does its slow work (database, HTTP) outside it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any


async def poll_while_watching(state: Any, every_seconds: float, tick: Callable[[], Awaitable[None]]) -> None:
    """`state` is the background event's state proxy; it has a `watching` flag."""
    async with state:
        if state.watching:
            return
        state.watching = True
    while True:
        await asyncio.sleep(every_seconds)
        async with state:
            if not state.watching:
                return
        await tick()
