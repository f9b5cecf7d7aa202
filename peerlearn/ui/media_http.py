"""One HTTP client per worker for the pages' calls to the media server (room state, recording controls).

Creating an httpx client builds a TLS context, which takes tens of milliseconds: done once, in a worker thread, and
never on the event loop.
"""

from __future__ import annotations

import httpx

from peerlearn.ui.offload import run_blocking

TIMEOUT_SECONDS = 10
_client: httpx.AsyncClient | None = None


async def media_http() -> httpx.AsyncClient:
    global _client
    if _client is None or _client.is_closed:
        _client = await run_blocking(httpx.AsyncClient, timeout=TIMEOUT_SECONDS)
    return _client
