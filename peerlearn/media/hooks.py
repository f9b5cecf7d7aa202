"""What the media server tells the app: who joined or left when, and which recordings were saved."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

log = logging.getLogger(__name__)


def _ignore(*_: object) -> None:
    return None


@dataclass
class MediaHooks:
    on_join: Callable[[int, int, datetime], None] = _ignore
    on_leave: Callable[[int, int, datetime], None] = _ignore
    on_recording_saved: Callable[[int, str, datetime, datetime], None] = _ignore

    def join(self, session_id: int, user_id: int, at: datetime) -> None:
        self._safely(self.on_join, session_id, user_id, at)

    def leave(self, session_id: int, user_id: int, at: datetime) -> None:
        self._safely(self.on_leave, session_id, user_id, at)

    def recording_saved(self, session_id: int, path: str, started_at: datetime, ended_at: datetime) -> None:
        self._safely(self.on_recording_saved, session_id, path, started_at, ended_at)

    @staticmethod
    def _safely(fn: Callable, *args: object) -> None:
        try:
            fn(*args)
        except Exception:  # bookkeeping must never break a live call
            log.exception("media hook %s failed", getattr(fn, "__name__", fn))
