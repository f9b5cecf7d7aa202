"""A recording take: from "start recording" to "stop", one file per participant, then one file for all.

Each take has a folder with the participants' MP4s and a ``take.json`` manifest (when it started, each
file's offset, when it ended). Stopping composes the take into ``<take>.mp4`` beside the folder in a
background thread and reports that one file; the folder is then removed. The manifest is written as
files are added, so a take cut short by a restart is composed on the next start-up instead of lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shutil
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from peerlearn.media.compose import Source, compose_take
from peerlearn.media.hooks import MediaHooks

log = logging.getLogger(__name__)
MANIFEST = "take.json"


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Take:
    session_id: int
    folder: Path
    started_at: datetime
    sources: list[Source] = field(default_factory=list)
    ended_at: datetime | None = None

    @classmethod
    def begin(cls, recordings_dir: Path, session_id: int) -> Take:
        started = _now()
        folder = recordings_dir / str(session_id) / f"take-{started:%Y%m%dT%H%M%S%f}"
        folder.mkdir(parents=True, exist_ok=True)
        take = cls(session_id, folder, started)
        take.save()
        return take

    @property
    def output(self) -> Path:
        return self.folder.with_suffix(".mp4")

    def file_for(self, user_id: int, kind: str) -> Path:
        return self.folder / f"{_now():%H%M%S%f}-user{user_id}-{kind}.mp4"

    def add(self, path: Path, began_at: datetime) -> None:
        self.sources.append(Source(path, max((began_at - self.started_at).total_seconds(), 0.0), path.stem))
        self.save()

    def end(self) -> None:
        self.ended_at = _now()
        self.save()

    def save(self) -> None:
        data = {
            "session_id": self.session_id,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "sources": [{"file": s.path.name, "offset": s.offset} for s in self.sources],
        }
        temp = self.folder / f".{MANIFEST}.tmp"
        temp.write_text(json.dumps(data))
        temp.replace(self.folder / MANIFEST)

    @classmethod
    def load(cls, folder: Path) -> Take:
        data = json.loads((folder / MANIFEST).read_text())
        ended = data.get("ended_at")
        return cls(
            int(data["session_id"]),
            folder,
            datetime.fromisoformat(data["started_at"]),
            [Source(folder / s["file"], float(s["offset"]), s["file"]) for s in data["sources"]],
            datetime.fromisoformat(ended) if ended else None,
        )


def pending_takes(recordings_dir: Path) -> list[Take]:
    """Takes left behind by a server that stopped before composing them."""
    takes = []
    for manifest in sorted(recordings_dir.glob(f"*/take-*/{MANIFEST}")):
        try:
            takes.append(Take.load(manifest.parent))
        except (OSError, ValueError, KeyError):
            log.exception("unreadable take manifest %s", manifest)
    return takes


def finish(take: Take, hooks: MediaHooks) -> None:
    """Compose, report the one file, drop the parts. If composing fails, each part is reported instead."""
    ended = take.ended_at or _now()
    existing = [s for s in take.sources if s.path.exists()]
    if not existing:  # nobody was publishing while it ran
        shutil.rmtree(take.folder, ignore_errors=True)
        return
    try:
        compose_take(existing, take.output)
    except Exception:
        log.exception("composing take %s failed; keeping its separate files", take.folder)
        for source in existing:
            hooks.recording_saved(take.session_id, str(source.path), take.started_at, ended)
        (take.folder / MANIFEST).unlink(missing_ok=True)
        return
    hooks.recording_saved(take.session_id, str(take.output), take.started_at, ended)
    shutil.rmtree(take.folder, ignore_errors=True)


async def finish_in_background(take: Take, hooks: MediaHooks) -> None:
    """Compose on a daemon thread: it can take a while, and must never hold up the server's shutdown
    (an unfinished take keeps its manifest and is composed on the next start)."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()

    def work() -> None:
        try:
            finish(take, hooks)
        finally:
            with contextlib.suppress(RuntimeError):  # the loop is gone: the server has shut down
                loop.call_soon_threadsafe(lambda: done.done() or done.set_result(None))

    threading.Thread(target=work, name=f"compose-{take.folder.name}", daemon=True).start()
    await done
