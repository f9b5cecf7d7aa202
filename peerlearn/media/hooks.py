"""What the media server tells the app: who joined or left when, and which recordings were saved.

The hooks write to the database, so they run on one worker thread of their own, in the order they were called (a
join before the leave that follows it), never on the event loop that carries everyone's media and signalling.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

log = logging.getLogger(__name__)


def _ignore(*_: object) -> None:
    return None


@dataclass
class MediaHooks:
    on_join: Callable[[int, int, datetime], None] = _ignore
    on_leave: Callable[[int, int, datetime], None] = _ignore
    on_recording_saved: Callable[[int, str, datetime, datetime], None] = _ignore
    _writer: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="media-hooks")
    )

    def join(self, session_id: int, user_id: int, at: datetime) -> None:
        self._writer.submit(self._safely, self.on_join, session_id, user_id, at)

    def leave(self, session_id: int, user_id: int, at: datetime) -> None:
        self._writer.submit(self._safely, self.on_leave, session_id, user_id, at)

    def recording_saved(self, session_id: int, path: str, started_at: datetime, ended_at: datetime) -> None:
        self._writer.submit(self._safely, self.on_recording_saved, session_id, path, started_at, ended_at)

    def flush(self) -> None:
        """Wait for what was handed over (at shutdown, so the last leaves are written)."""
        self._writer.submit(_ignore).result(timeout=30)

    @staticmethod
    def _safely(fn: Callable, *args: object) -> None:
        try:
            fn(*args)
        except Exception:  # bookkeeping must never break a live call
            log.exception("media hook %s failed", getattr(fn, "__name__", fn))
