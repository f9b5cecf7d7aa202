"""A publisher in a process of its own, for tests that kill it (no DELETE, no goodbye):
`python -m tests.media.publisher_process BASE SESSION USER GREY` prints "published" once its camera is live."""

from __future__ import annotations

import asyncio
import sys

from tests.media.conftest import publish


async def main(base: str, session_id: int, user_id: int, value: int) -> None:
    pc, _ = await publish(base, session_id, user_id, value)
    while pc.connectionState != "connected":
        await asyncio.sleep(0.05)
    print("published", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    base, session_id, user_id, value = sys.argv[1:5]
    asyncio.run(main(base, int(session_id), int(user_id), int(value)))
