"""Notice when something blocks the event loop, and say what it was.

One event loop serves every tab of a worker, so a synchronous database call, a ranking or a network request run on
it stalls them all. A watchdog thread posts a tick to the loop every few milliseconds; when a tick waits longer than
the threshold, the watchdog reads the loop thread's stack at that moment and logs it. Time the loop thread spent
merely waiting for a CPU (a busy machine, not our code) is read from Linux's schedstat and not counted:

    event loop blocked for 180 ms in peerlearn/ui/states/discover.py:71 _search < ...

`LOOP_STALL_WARN_MS` sets the threshold (0 switches the watchdog off). The browser tests run the app with 50 ms and
fail on any stall whose stack passes through PeerLearn's own code.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
import traceback
from types import FrameType

log = logging.getLogger("peerlearn.loop_watchdog")
STALL_MARKER = "event loop blocked for"
MIN_TICK_SECONDS = 0.01


def _where(frame: FrameType) -> str:
    """The loop thread's innermost frames, innermost first, PeerLearn's own marked by their path."""
    stack = traceback.extract_stack(frame)[-12:]
    return " < ".join(f"{f.filename.split('site-packages/')[-1]}:{f.lineno} {f.name}" for f in reversed(stack))


def _runqueue_wait(native_id: int) -> float:
    """Seconds this thread has spent runnable but waiting for a CPU (0 where the kernel does not say)."""
    try:
        with open(f"/proc/self/task/{native_id}/schedstat") as stat:
            return int(stat.read().split()[1]) / 1e9
    except (OSError, IndexError, ValueError):
        return 0.0


class LoopWatchdog:
    """Create it on the loop's own thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop, threshold_ms: float) -> None:
        self.loop, self.threshold = loop, threshold_ms / 1000
        # A tick costs the loop a wake-up and a hand-over of the GIL: five per threshold are enough to catch a stall.
        self.tick = max(MIN_TICK_SECONDS, self.threshold / 5)
        self.loop_thread = threading.get_ident()
        self.loop_native_id = threading.get_native_id()
        self.stalls = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="loop-watchdog", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _watch(self) -> None:
        while not self._stop.is_set():
            answered = threading.Event()
            posted, queued = time.monotonic(), _runqueue_wait(self.loop_native_id)
            try:
                self.loop.call_soon_threadsafe(answered.set)
            except RuntimeError:  # the loop closed
                return
            if not answered.wait(self.threshold):
                frame = sys._current_frames().get(self.loop_thread)
                where = _where(frame) if frame is not None else "?"
                answered.wait()
                starved = _runqueue_wait(self.loop_native_id) - queued
                blocked = time.monotonic() - posted - starved
                if blocked > self.threshold:
                    self.stalls += 1
                    log.warning("%s %.0f ms in %s", STALL_MARKER, blocked * 1000, where)
            time.sleep(self.tick)


async def watch_event_loop(threshold_ms: float) -> None:
    """A lifespan task: watch this worker's loop until the app stops."""
    if threshold_ms <= 0:
        return
    watchdog = LoopWatchdog(asyncio.get_running_loop(), threshold_ms)
    watchdog.start()
    log.warning("watching the event loop (%s ms)", threshold_ms)
    try:
        await asyncio.Event().wait()
    finally:
        watchdog.stop()
