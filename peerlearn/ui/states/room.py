"""The live room: token, who else is here, chat, the recording notice; media itself is in the browser."""

from __future__ import annotations

import httpx
import reflex as rx
from sqlmodel import Session

from peerlearn.accounts.actions import user_for_token
from peerlearn.db import read_scope
from peerlearn.live import room as live_room
from peerlearn.live.room import ChatMessagePublic
from peerlearn.models import User
from peerlearn.platform.errors import AuthenticationError, ServiceError
from peerlearn.platform.timefmt import format_local, format_time
from peerlearn.ui.components import live_media
from peerlearn.ui.media_http import media_http
from peerlearn.ui.offload import run_blocking
from peerlearn.ui.polling import poll_while_watching
from peerlearn.ui.states.auth import AuthState
from peerlearn.ui.states.session_detail import last_path_segment

POLL_SECONDS = 1.0


def _read_room(user: User, room_id: int, db: Session):  # noqa: ANN202 - the room's parts, as a tuple
    record = live_room.room_record(user, room_id, db=db)
    grant = live_room.issue_room_token(user, room_id, db=db)
    people = live_room.room_participants(room_id, db=db)
    session = db.get(live_room.LearningSession, room_id)
    return record, grant, people, session.title


def _chat_since(token: str, room_id: int, after_id: int) -> list[ChatMessagePublic]:
    try:
        with read_scope() as db:
            return live_room.chat_history(user_for_token(token, db=db), room_id, after_id=after_id, db=db)
    except ServiceError:  # logged out or no longer a participant: nothing new to show
        return []


class RoomState(AuthState):
    room_id: int = 0
    title: str = ""
    role: str = ""
    problem: str = ""
    others: list[dict[str, str]] = []
    publishing: list[str] = []
    chat: list[dict[str, str]] = []
    recording: bool = False
    joined: bool = False
    muted: bool = False
    camera_off: bool = False
    watching: bool = False
    recordings: list[dict[str, str]] = []
    sharing: list[str] = []  # who is sharing a screen
    # the lobby: devices to choose from, and what opening them said
    cameras: list[dict[str, str]] = []
    microphones: list[dict[str, str]] = []
    camera: str = ""
    microphone: str = ""
    device_error: str = ""
    device_note: str = ""
    _token: str = ""
    _whip_url: str = ""
    _media_base: str = ""
    _last_chat_id: int = 0

    async def load_room(self):
        self.room_id, self.problem, self.joined, self.chat, self._last_chat_id = (
            last_path_segment(self.router.url.path),
            "",
            False,
            [],
            0,
        )
        if not self.user_id:
            return
        room_id, tz = self.room_id, self.viewer_timezone
        try:
            record, grant, people, title = await self._as_user(
                lambda user, db: _read_room(user, room_id, db), write=True
            )
        except ServiceError as error:
            self.problem = error.message
            return
        self.recordings = [
            {"id": str(r.id), "when": format_local(r.started_at, tz), "url": r.download_url}
            for r in (record.recordings if record else [])
        ]
        self.title, self.role = title, grant.role
        self._token, self._whip_url, self._media_base = grant.token, grant.whip_url, grant.media_base_url
        self.others = [
            {
                "user_id": str(uid),
                "name": name,
                "role": role,
                "url": f"{grant.media_base_url}/media/whep/{self.room_id}/{uid}",
                "screen_url": f"{grant.media_base_url}/media/whep/{self.room_id}/{uid}?kind=screen",
            }
            for uid, name, role in people
            if uid != self.user_id
        ]
        await self._pull_chat()

    def open_lobby(self):
        """Preview the chosen camera and microphone before joining (the browser asks for permission here)."""
        return live_media.preview(self.camera, self.microphone, RoomState.devices_found)

    def devices_found(self, found: dict):
        found = found or {}
        self.device_error, self.device_note = found.get("error") or "", found.get("note") or ""
        self.cameras, self.microphones = found.get("cameras") or [], found.get("microphones") or []
        self.camera, self.microphone = found.get("camera") or "", found.get("microphone") or ""

    def choose_camera(self, device_id: str):
        self.camera = device_id
        return self.open_lobby()

    def choose_microphone(self, device_id: str):
        self.microphone = device_id
        return self.open_lobby()

    def join(self):
        if not self._token:
            return rx.toast.error(self.problem or "You cannot join this room.")
        if self.device_error or not self.microphones:
            return rx.toast.error(self.device_error or "Allow the camera and microphone first (see the preview above).")
        self.joined = True
        return [live_media.publish(self._whip_url, self._token)] + [
            live_media.play(person[key], self._token, f"{box}-{person['user_id']}")
            for person in self.others
            for key, box in (("url", "remote"), ("screen_url", "screen"))
        ]

    def toggle_mute(self):
        self.muted = not self.muted
        return live_media.toggle("audio")

    def toggle_camera(self):
        self.camera_off = not self.camera_off
        return live_media.toggle("video")

    def share_screen(self):
        return live_media.publish(self._whip_url, self._token, "screen") if self.joined else None

    def leave_room(self):
        self.joined = self.watching = False
        return [live_media.leave(), rx.redirect("/dashboard")]

    async def _fetch_chat(self) -> list[ChatMessagePublic]:
        return await run_blocking(_chat_since, self.auth_token, self.room_id, self._last_chat_id)

    def _add_chat(self, fresh: list[ChatMessagePublic]) -> None:
        fresh = [m for m in fresh if m.id > self._last_chat_id]  # another pull may have added them meanwhile
        if fresh:
            tz = self.viewer_timezone
            self._last_chat_id = fresh[-1].id
            self.chat = (
                self.chat + [{"who": m.author, "body": m.body, "when": format_time(m.created_at, tz)} for m in fresh]
            )[-200:]

    async def _pull_chat(self) -> None:
        self._add_chat(await self._fetch_chat())

    async def send_chat(self, form: dict):
        room_id, body = self.room_id, form.get("body", "")
        try:
            await self._as_user(lambda user, db: live_room.post_chat(user, room_id, body, db=db), write=True)
        except (AuthenticationError, ServiceError) as error:
            return rx.toast.error(getattr(error, "message", "Please log in."))
        await self._pull_chat()

    async def raise_hand(self):
        return await self.send_chat({"body": "✋ raised a hand"})

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
        """While the room is open: new chat messages, who is publishing, whether it is being recorded."""
        await poll_while_watching(self, POLL_SECONDS, self._poll_room)

    async def _poll_room(self) -> None:
        async with self:
            if not self._token:  # the page may mount before its on_load has fetched the token
                return
            url, headers = f"{self._media_base}/media/rooms/{self.room_id}", {"Authorization": f"Bearer {self._token}"}
            asked = (self.auth_token, self.room_id, self._last_chat_id)
        client = await media_http()
        try:
            state = (await client.get(url, headers=headers)).json()
        except (httpx.HTTPError, ValueError):
            state = None
        fresh = await run_blocking(_chat_since, *asked)
        async with self:
            self._add_chat(fresh)
            if state and "publishers" in state:
                self.recording = state["recording"]
                self.publishing = [str(p["user_id"]) for p in state["publishers"] if p["kind"] == "camera"]
                self.sharing = [str(p["user_id"]) for p in state["publishers"] if p["kind"] == "screen"]
