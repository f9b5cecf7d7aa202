"""The live room: token, who else is here, the recording notice; media itself is in the browser.

The lobby (devices) is `room_lobby.py`, the chat `room_chat.py` and who publishes (players follow) `room_feeds.py`,
mixed in here so pages use one `RoomState`.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

import httpx
import reflex as rx
from sqlmodel import Session

from peerlearn.live import room as live_room
from peerlearn.models import User
from peerlearn.models.types import utcnow
from peerlearn.platform.errors import ServiceError
from peerlearn.ui.components import live_media
from peerlearn.ui.format.catalog import recording_items
from peerlearn.ui.format.live import remote_people
from peerlearn.ui.media_http import media_http
from peerlearn.ui.offload import run_blocking
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.room_chat import RoomChat, chat_since
from peerlearn.ui.states.room_entrance import RoomEntrance
from peerlearn.ui.states.room_feeds import RoomFeeds
from peerlearn.ui.states.room_lobby import RoomLobby
from peerlearn.ui.states.session_detail import last_path_segment
from peerlearn.ui.views import RecordingItem, RemotePerson

POLL_SECONDS = 1.0


def _read_room(user: User, room_id: int, db: Session, now: datetime):
    """The door first: before the room opens (or after it closes) that is all the page shows."""
    door = live_room.room_door(user, room_id, db=db, now=now)
    if not door.is_open(now):
        return door, None
    record = live_room.room_record(user, room_id, db=db)
    grant = live_room.issue_room_token(user, room_id, db=db, now=now)
    people = live_room.room_participants(room_id, db=db)
    return door, (record, grant, people)


class RoomState(RoomEntrance, RoomLobby, RoomChat, RoomFeeds, AuthState):
    room_id: int = 0
    role: str = ""
    problem: str = ""
    others: list[RemotePerson] = []
    recording: bool = False
    joined: bool = False
    muted: bool = False
    camera_off: bool = False
    watching: bool = False
    recordings: list[RecordingItem] = []
    _token: str = ""
    _whip_url: str = ""
    _media_base: str = ""

    async def load_room(self):
        self.room_id, self.problem, self.joined = last_path_segment(self.router.url.path), "", False
        self._reset_chat()
        self._token = ""
        self._reset_feeds()
        if not self.user_id:
            return
        room_id, tz, now = self.room_id, self.viewer_timezone, utcnow()
        try:
            door, inside = await self._as_user(lambda user, db: _read_room(user, room_id, db, now), write=True)
        except ServiceError as error:
            self.problem = error.message
            return
        self._show_door(door, now)
        if inside is None:
            return
        record, grant, people = inside
        self.recordings = recording_items(record.recordings if record else [], tz)
        self.role = grant.role
        self._token, self._whip_url, self._media_base = grant.token, grant.whip_url, grant.media_base_url
        self.others = remote_people(people, self.user_id, grant.media_base_url, self.room_id)
        await self._pull_chat()

    def join(self):
        if not self._token:
            return rx.toast.error(self.problem or "You cannot join this room.")
        if self.device_error or not self.microphones:
            return rx.toast.error(self.device_error or "Allow the camera and microphone first (see the preview above).")
        self.joined = True
        publish = live_media.publish(self._whip_url, self._token, self.user_id)
        return [publish, self._watch_status(), *self._follow_feeds()]

    def toggle_mute(self):
        self.muted = not self.muted
        return live_media.toggle("audio")

    def toggle_camera(self):
        self.camera_off = not self.camera_off
        return live_media.toggle("video")

    def share_screen(self):
        return live_media.publish(self._whip_url, self._token, self.user_id, "screen") if self.joined else None

    def leave_room(self):
        self.joined = self.watching = False
        return [live_media.leave(), rx.redirect("/dashboard")]

    async def toggle_recording(self):
        action = "stop" if self.recording else "start"
        client = await media_http()
        try:
            response = await client.post(
                f"{self._media_base}/media/rooms/{self.room_id}/recording/{action}",
                headers={"Authorization": f"Bearer {self._token}"},
            )
        except httpx.HTTPError:
            return rx.toast.error("The media server did not answer. Try again in a moment.")
        if response.status_code != 200:
            return rx.toast.error("Recording could not be changed.")
        self.recording = response.json()["recording"]

    def stop_watching(self):
        self.watching = False

    @rx.event(background=True)
    async def watch(self):
        """While the room is open: new chat messages, who is publishing (players follow), whether it is recorded."""
        async with self:
            if self.watching:
                return
            self.watching = True
        while True:
            await asyncio.sleep(POLL_SECONDS)
            async with self:
                if not self.watching:
                    return
            if players := await self._poll_room():
                yield players

    async def _poll_room(self) -> list[rx.event.EventSpec]:
        async with self:
            if self.waiting:  # not open yet: the countdown moves, and the room is entered once it opens
                if self._door_opened(utcnow()):
                    await self.load_room()
                return []
            if not self._token:  # the page may mount before its on_load has fetched the token
                return []
            url, headers = f"{self._media_base}/media/rooms/{self.room_id}", {"Authorization": f"Bearer {self._token}"}
            asked = (self._login_token(), self.room_id, self._last_chat_id)
        client = await media_http()
        try:
            state = (await client.get(url, headers=headers)).json()
        except (httpx.HTTPError, ValueError):
            state = None
        fresh = await run_blocking(chat_since, *asked)
        async with self:
            self._add_chat(fresh)
            if state and "publishers" in state:
                self.recording = state["recording"]
                self._show_publishers(state["publishers"])
            return self._follow_feeds()
