"""VP8 video forwarded to players as it arrives, without decoding and re-encoding on the server."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from peerlearn.media.forwarding import BACKLOG_LIMIT, ForwardedVideo, is_vp8_keyframe
from tests.media.conftest import publish, run_async, subscribe
from tests.support import await_until


async def video_track(tracks: asyncio.Queue):
    while True:
        track = await asyncio.wait_for(tracks.get(), 20)
        if track.kind == "video":
            return track


def video_codecs(sdp: str) -> set[str]:
    return {
        line.split()[1].split("/")[0] for line in sdp.splitlines() if line.startswith("a=rtpmap:") and "/90000" in line
    } - {"rtx"}


def the_tap(media_server, session_id: int):
    return next(iter(media_server["registry"].room(session_id).publications.values())).video_tap


def test_vp8_frame_tags():
    assert is_vp8_keyframe(bytes([0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A]))  # key frame: start code follows
    assert not is_vp8_keyframe(bytes([0x31, 0x04, 0x00]))
    assert not is_vp8_keyframe(b"")


def test_a_vp8_player_gets_the_publishers_frames_without_the_server_decoding_them(media_server):
    async def scenario():
        publisher, _ = await publish(media_server["url"], 21, 31, value=90)
        viewer, tracks = await subscribe(media_server["url"], 21, 31, viewer_id=32)
        frame = await asyncio.wait_for((await video_track(tracks)).recv(), 20)
        tap = the_tap(media_server, 21)
        answer = viewer.remoteDescription.sdp
        state = (len(tap.forwards), tap.decoded_readers)
        await viewer.close()
        await await_until(lambda: not tap.forwards, timeout=5, what="the leaving player's forward dropped")
        after = len(tap.forwards)
        await publisher.close()
        return frame.to_ndarray(format="bgr24"), answer, state, after

    pixels, answer, (forwards, decoded_readers), after = run_async(scenario())
    assert abs(float(np.median(pixels)) - 90) < 25
    assert video_codecs(answer) == {"VP8"}, "the player is offered the publisher's codec only"
    assert (forwards, decoded_readers) == (1, 0), "forwarded, and nothing on the server decodes the video"
    assert after == 0, "a player that leaves is no longer fed"


@pytest.mark.slow  # waits for the publisher's next keyframe: ~4 s
def test_a_player_that_joins_late_starts_on_a_fresh_keyframe(media_server):
    async def scenario():
        publisher, _ = await publish(media_server["url"], 22, 41, value=200)
        # On purpose, not a wait for something: the publisher's only unrequested keyframe is long gone.
        await asyncio.sleep(4)
        viewer, tracks = await subscribe(media_server["url"], 22, 41, viewer_id=42)
        track = await video_track(tracks)
        started = asyncio.get_running_loop().time()
        frame = await asyncio.wait_for(track.recv(), 10)
        waited = asyncio.get_running_loop().time() - started
        await viewer.close()
        await publisher.close()
        return frame.to_ndarray(format="bgr24"), waited

    pixels, waited = run_async(scenario())
    assert abs(float(np.median(pixels)) - 200) < 25, "a whole picture, not the grey of a decoder without its keyframe"
    assert waited < 5


def test_a_player_without_vp8_gets_the_video_re_encoded(media_server):
    async def scenario():
        publisher, _ = await publish(media_server["url"], 23, 51, value=150)
        viewer, tracks = await subscribe(media_server["url"], 23, 51, viewer_id=52, video_codec="video/H264")
        frame = await asyncio.wait_for((await video_track(tracks)).recv(), 20)
        tap = the_tap(media_server, 23)
        state = (len(tap.forwards), tap.decoded_readers)
        await viewer.close()
        await await_until(lambda: tap.decoded_readers == 0, timeout=5, what="decoding stopped for the leaving player")
        after = tap.decoded_readers
        answer = viewer.remoteDescription.sdp
        await publisher.close()
        return frame.to_ndarray(format="bgr24"), answer, state, after

    pixels, answer, (forwards, decoded_readers), after = run_async(scenario())
    assert abs(float(np.median(pixels)) - 150) < 25
    assert video_codecs(answer) == {"H264"}
    assert (forwards, decoded_readers) == (0, 1), "decoded once for the relay, which re-encodes for this player"
    assert after == 0, "decoding stops when that player leaves"


class CountingTap:
    def __init__(self) -> None:
        self.requests = 0
        self.forwards: set = set()

    def request_keyframe(self) -> None:
        self.requests += 1


def test_a_player_that_falls_behind_skips_to_a_fresh_keyframe():
    async def scenario():
        tap = CountingTap()
        track = ForwardedVideo(tap)
        track.push(b"\x31", 0, keyframe=False)  # before any keyframe: dropped, and one is asked for
        asked_first = tap.requests
        track.push(b"\x10key", 3000, keyframe=True)
        for n in range(BACKLOG_LIMIT):  # the player reads nothing meanwhile
            track.push(b"\x31", 6000 + 3000 * n, keyframe=False)
        asked_when_stalled = tap.requests
        track.push(b"\x10fresh", 999000, keyframe=True)
        packet = await track.recv()
        return asked_first, asked_when_stalled, bytes(packet), packet.pts

    asked_first, asked_when_stalled, data, pts = run_async(scenario())
    assert asked_first == 1
    assert asked_when_stalled == 2, "the backlog is dropped and a new keyframe asked for"
    assert (data, pts) == (b"\x10fresh", 999000), "the player resumes on the fresh picture, not the stale backlog"
