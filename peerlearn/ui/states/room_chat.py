"""The live room's chat: what was said since the last pull, sending, raising a hand (mixed into RoomState)."""

from __future__ import annotations

import reflex as rx

from peerlearn.accounts.actions import user_for_token
from peerlearn.db import read_scope
from peerlearn.live import room as live_room
from peerlearn.live.public import ChatMessagePublic
from peerlearn.platform.errors import AuthenticationError, ServiceError
from peerlearn.ui.format.live import append_chat, chat_lines
from peerlearn.ui.offload import run_blocking
from peerlearn.ui.views import ChatLine


def chat_since(token: str, room_id: int, after_id: int) -> list[ChatMessagePublic]:
    """Messages after `after_id` (blocking: run it with run_blocking)."""
    try:
        with read_scope() as db:
            return live_room.chat_history(user_for_token(token, db=db), room_id, after_id=after_id, db=db)
    except ServiceError:  # logged out or no longer a participant: nothing new to show
        return []


class RoomChat(rx.State, mixin=True):
    chat: list[ChatLine] = []
    _last_chat_id: int = 0

    def _reset_chat(self) -> None:
        self.chat, self._last_chat_id = [], 0

    async def _fetch_chat(self) -> list[ChatMessagePublic]:
        return await run_blocking(chat_since, self._login_token(), self.room_id, self._last_chat_id)

    def _add_chat(self, fresh: list[ChatMessagePublic]) -> None:
        fresh = [m for m in fresh if m.id > self._last_chat_id]  # another pull may have added them meanwhile
        if fresh:
            self._last_chat_id = fresh[-1].id
            self.chat = append_chat(self.chat, chat_lines(fresh, self.viewer_timezone))

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
