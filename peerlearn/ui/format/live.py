"""The live room's lists: the other people and where their media plays, chat lines, devices, recordings."""

from __future__ import annotations

from collections.abc import Iterable

from peerlearn.live.public import ChatMessagePublic
from peerlearn.platform.timefmt import format_time
from peerlearn.ui.views import ChatLine, Device, RemotePerson

CHAT_KEPT = 200


def remote_people(people: Iterable[tuple[int, str, str]], me: int, media_base: str, room_id: int) -> list[RemotePerson]:
    """Everyone in the room but me, with the WHEP addresses of their camera and screen."""
    return [
        RemotePerson(
            user_id=str(uid),
            name=name,
            role=role,
            url=f"{media_base}/media/whep/{room_id}/{uid}",
            screen_url=f"{media_base}/media/whep/{room_id}/{uid}?kind=screen",
        )
        for uid, name, role in people
        if uid != me
    ]


def chat_lines(messages: Iterable[ChatMessagePublic], tz: str) -> list[ChatLine]:
    """Live chat: the time of day in the viewer's zone is enough."""
    return [ChatLine(m.author, m.body, format_time(m.created_at, tz)) for m in messages]


def append_chat(shown: list[ChatLine], fresh: list[ChatLine]) -> list[ChatLine]:
    return (shown + fresh)[-CHAT_KEPT:]


def devices(found: Iterable[dict] | None) -> list[Device]:
    """The browser's device list (from live_media's preview) as id and label."""
    return [Device(str(d.get("id") or ""), str(d.get("label") or "")) for d in found or []]
