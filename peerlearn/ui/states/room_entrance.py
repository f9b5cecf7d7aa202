"""The room's door (mixed into RoomState): before it opens, the session, its start in the viewer's zone, the wait
and the way back; a mentor in the early window opens it from here."""

from __future__ import annotations

from datetime import datetime

import reflex as rx

from peerlearn.live import room as live_room
from peerlearn.live.room import RoomDoor
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import ServiceError
from peerlearn.ui.format.live import room_wait
from peerlearn.ui.views import RoomWait

RECHECK_EVERY = 15  # poll rounds between re-reading the door (a mentor may open the room early meanwhile)


class RoomEntrance(rx.State, mixin=True):
    title: str = ""
    waiting: bool = False
    wait: RoomWait = RoomWait()
    _door: RoomDoor | None = None
    _rounds: int = 0

    def _show_door(self, door: RoomDoor, now: datetime) -> None:
        self._door, self.title, self._rounds = door, door.title, 0
        self.waiting = not door.is_open(now)
        self.wait = room_wait(door, now, self.viewer_timezone)  # type: ignore[attr-defined]

    def _door_opened(self, now: datetime) -> bool:
        """One poll round while waiting: refresh the countdown; True when the page should load the room."""
        door = self._door
        if door is None:
            return False
        self._rounds += 1
        self.wait = room_wait(door, now, self.viewer_timezone)  # type: ignore[attr-defined]
        return door.opens_at <= now <= door.closes_at or (self._rounds % RECHECK_EVERY == 0 and now < door.opens_at)

    async def open_room_now(self):
        """The mentor opens the room before the usual window (the same action as POST /api/sessions/{id}/start/)."""
        room_id, now = self.room_id, utcnow()  # type: ignore[attr-defined]
        try:
            await self._as_user(  # type: ignore[attr-defined]
                lambda mentor, db: live_room.open_room_early(mentor, room_id, db=db, now=now), write=True
            )
        except ServiceError as error:
            return rx.toast.error(error.message)
        await self.load_room()  # type: ignore[attr-defined]
        return rx.toast.success("The room is open: learners can join now.")
