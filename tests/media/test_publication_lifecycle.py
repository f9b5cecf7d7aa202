"""Publications start, end and are replaced, and players follow: a participant who reloads, changes device or
network is seen again at once; one who leaves or vanishes is no longer shown as their last frame."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from datetime import UTC, datetime

import httpx
import pytest
from aiortc.mediastreams import MediaStreamError

from peerlearn.media.hooks import MediaHooks
from tests.media.conftest import (
    QUICK_ICE_TIMEOUT,
    Player,
    publication_of,
    publish,
    room_state,
    run_async,
    subscribe,
    token,
)
from tests.media.test_media_server import first_video_frame
from tests.support import await_until, wait_until

REPUBLISHED_WITHIN = 5.0  # seconds from the new publish to its frames at a player already watching


@pytest.mark.parametrize("old_connection", ["closed", "left open"])
def test_a_republished_camera_reaches_a_player_already_watching(media_server, old_connection):
    """A reload or a device change: the same person publishes again, without DELETE on the old publication (its
    connection closed by the browser, or left open as a stalled tab leaves it). The player following the room
    gets the new picture (grey 200, the old one was 60) within 5 s."""
    base = media_server["url"]

    async def scenario():
        old, _ = await publish(base, 21, 7, value=60)
        player = Player(base, 21, publisher_id=7, viewer_id=8)
        player.start()
        await await_until(lambda: player.frames_after(0, 60), timeout=15, what="the first picture")
        if old_connection == "closed":
            await old.close()
        began = time.monotonic()
        new, _ = await publish(base, 21, 7, value=200)
        await await_until(
            lambda: player.frames_after(began, 200), timeout=REPUBLISHED_WITHIN * 2, what="the new picture"
        )
        delivered = player.frames_after(began, 200)[0] - began
        state = await room_state(base, 21, 8)
        await player.stop()
        await asyncio.gather(old.close(), new.close())
        return delivered, state

    delivered, state = run_async(scenario())
    assert delivered < REPUBLISHED_WITHIN, f"the new picture took {delivered:.1f} s"
    assert [p["user_id"] for p in state["publishers"]] == [7], "the old publication was ended, not kept beside"


@pytest.mark.parametrize("how", ["left (DELETE)", "published again"])
def test_a_player_of_a_publication_that_ended_gets_the_end_event(media_server, how):
    """The server closes every player's connection to a publication that ended: the player's connection closes
    and the remote video ends (within 3 s), and the room state no longer lists that publication."""
    base = media_server["url"]

    async def scenario():
        publisher, location = await publish(base, 22, 5, value=120)
        before = publication_of(await room_state(base, 22, 6), 5)
        viewer, tracks = await subscribe(base, 22, 5, viewer_id=6)
        await first_video_frame(tracks)
        video = next(t.receiver.track for t in viewer.getTransceivers() if t.kind == "video")
        began = time.monotonic()
        again = None
        if how == "left (DELETE)":
            async with httpx.AsyncClient() as client:
                gone = await client.delete(f"{base}{location}", headers={"Authorization": f"Bearer {token(22, 5)}"})
            assert gone.status_code == 200
        else:
            again, _ = await publish(base, 22, 5, value=30)
        await await_until(lambda: viewer.connectionState == "closed", timeout=3, what="the player's end event")
        with pytest.raises(MediaStreamError):
            while True:  # what was buffered, then the end
                await asyncio.wait_for(video.recv(), 3)
        took = time.monotonic() - began
        after = publication_of(await room_state(base, 22, 6), 5)
        await asyncio.gather(publisher.close(), *([again.close()] if again else []))
        return before, after, took

    before, after, took = run_async(scenario())
    assert took < 3
    assert before is not None and after != before
    assert (after is None) == (how == "left (DELETE)")


def test_killing_a_publisher_ends_its_publication_within_the_ice_timeout(quick_ice_media_server):
    """A publisher whose process dies says nothing: its publication ends when ICE consent runs out, its players
    are cut off, and the room and the attendance record show it gone."""
    base = quick_ice_media_server["url"]
    publisher = subprocess.Popen(
        [sys.executable, "-m", "tests.media.publisher_process", base, "23", "9", "90"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert publisher.stdout.readline().strip() == "published"

        async def scenario():
            viewer, tracks = await subscribe(base, 23, 9, viewer_id=10)
            await first_video_frame(tracks)
            publisher.kill()
            began = time.monotonic()
            await await_until(
                lambda: viewer.connectionState == "closed",
                timeout=QUICK_ICE_TIMEOUT * 1.2 + 4,
                interval=0.1,
                what="the killed publisher's publication ending",
            )
            took = time.monotonic() - began
            state = await room_state(base, 23, 10)
            await viewer.close()
            return took, state

        took, state = run_async(scenario())
    finally:
        publisher.kill()
        publisher.wait(5)
    assert QUICK_ICE_TIMEOUT * 0.5 < took < QUICK_ICE_TIMEOUT * 1.2 + 3, f"ended after {took:.1f} s"
    assert state["publishers"] == []
    wait_until(lambda: (23, 9) in quick_ice_media_server["events"].leaves, what="the leave written to attendance")


def test_a_slow_attendance_write_never_holds_up_the_room():
    """Joins and leaves are written to the database off the event loop that carries everyone's media, one at a
    time and in order: a database that takes a second to answer does not freeze the room for that second."""
    written: list[str] = []

    def slow_join(session_id, user_id, at):
        time.sleep(1)
        written.append(f"join {user_id}")

    hooks = MediaHooks(on_join=slow_join, on_leave=lambda session_id, user_id, at: written.append(f"leave {user_id}"))
    began = time.monotonic()
    hooks.join(1, 2, datetime.now(UTC))
    hooks.leave(1, 2, datetime.now(UTC))
    handed_over = time.monotonic() - began
    hooks.flush()
    assert handed_over < 0.2, f"the room waited {handed_over:.1f} s for the database"
    assert written == ["join 2", "leave 2"]
