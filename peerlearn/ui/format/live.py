"""The live room's lists: the other people and where their media plays, chat lines, devices, recordings."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

from peerlearn.links import DASHBOARD, booking_link, room_link, teach_session_link
from peerlearn.live.public import ChatMessagePublic
from peerlearn.live.room import RoomDoor
from peerlearn.platform.timefmt import format_local, format_time
from peerlearn.ui.views import ChatLine, Device, RemotePerson, RoomEntry, RoomWait

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


def feeds(publishers: Iterable[dict]) -> dict[str, str]:
    """The media server's publishers as the room page's boxes: 'remote-7' (a camera) or 'screen-7', each with the
    id of the publication playing there (a new id when its publisher published again)."""
    box = {"camera": "remote", "screen": "screen"}
    return {f"{box[p['kind']]}-{p['user_id']}": str(p["publication"]) for p in publishers if p.get("kind") in box}


def feed_changes(wanted: dict[str, str], told: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """What the page's players must do to show `wanted` when they were last `told`: the boxes to (re)play, with
    their publication, and the boxes whose publication ended (to drop)."""
    play = {box: publication for box, publication in wanted.items() if told.get(box) != publication}
    return play, [box for box in told if box not in wanted]


def chat_lines(messages: Iterable[ChatMessagePublic], tz: str) -> list[ChatLine]:
    """Live chat: the time of day in the viewer's zone is enough."""
    return [ChatLine(m.author, m.body, format_time(m.created_at, tz)) for m in messages]


def append_chat(shown: list[ChatLine], fresh: list[ChatLine]) -> list[ChatLine]:
    return (shown + fresh)[-CHAT_KEPT:]


def devices(found: Iterable[dict] | None) -> list[Device]:
    """The browser's device list (from live_media's preview) as id and label."""
    return [Device(str(d.get("id") or ""), str(d.get("label") or "")) for d in found or []]


def wait_text(delta: timedelta) -> str:
    """'12 min', '3 h 5 min', '4 days': how long until something, rounded up to the minute."""
    minutes = max(1, math.ceil(delta.total_seconds() / 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    return f"{minutes // (24 * 60)} days"


def room_entry(
    session_id: int,
    opens_at: datetime,
    closes_at: datetime,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    tz: str,
) -> RoomEntry:
    """Join from the moment the room opens (the window is live.room.room_window's), a countdown before."""
    url = room_link(session_id)
    if now < opens_at:
        return RoomEntry(False, f"Room opens {format_local(opens_at, tz)}, in {wait_text(opens_at - now)}", url)
    if now > closes_at:
        return RoomEntry(False, "The room has closed", url)
    if now < starts_at:
        return RoomEntry(True, f"Room open · starts in {wait_text(starts_at - now)}", url)
    if now < ends_at:
        return RoomEntry(True, "Live now", url)
    return RoomEntry(True, f"Ended · room open until {format_time(closes_at, tz)}", url)


def door_entry(door: RoomDoor, now: datetime, tz: str) -> RoomEntry:
    return room_entry(door.session_id, door.opens_at, door.closes_at, door.starts_at, door.ends_at, now, tz)


def room_wait(door: RoomDoor, now: datetime, tz: str) -> RoomWait:
    """The not-yet-open (or closed) room page: the session, its start in the viewer's zone, the wait, the way back."""
    if door.role == "mentor":
        back_url, back_label = teach_session_link(door.session_id), "Back to managing this session"
    elif door.booking_id is not None:
        back_url, back_label = booking_link(door.booking_id), "Back to your booking"
    else:
        back_url, back_label = DASHBOARD, "Back to your dashboard"
    return RoomWait(
        title=door.title,
        starts=f"Starts {format_local(door.starts_at, tz)}",
        note=door_entry(door, now, tz).note,
        back_url=back_url,
        back_label=back_label,
        can_open_early=door.can_open_early,
    )
