"""A media server on a free port in this process, and aiortc clients that publish and play."""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import socket
import threading
import time
from datetime import UTC, datetime, timedelta

import httpx
import numpy as np
import pytest
import uvicorn
from aiortc import RTCPeerConnection, RTCRtpReceiver, RTCSessionDescription, VideoStreamTrack
from aiortc.contrib.media import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError
from av import AudioFrame, VideoFrame

from peerlearn.media import aiortc_compat
from peerlearn.media.hooks import MediaHooks
from peerlearn.media.server import MediaConfig, create_media_app
from peerlearn.media.tokens import issue_media_token
from tests.support import wait_until

SECRET = "media-test-secret"
APP_ORIGIN = "http://localhost:3000"  # the app whose pages may call the test server from a browser


class PatternVideo(VideoStreamTrack):
    """320x240 frames filled with one colour per publisher, so a subscriber can tell whose video it got."""

    def __init__(self, value: int) -> None:
        super().__init__()
        self.value = value

    async def recv(self) -> VideoFrame:
        pts, time_base = await self.next_timestamp()
        frame = VideoFrame.from_ndarray(np.full((240, 320, 3), self.value, dtype=np.uint8), format="bgr24")
        frame.pts, frame.time_base = pts, time_base
        return frame


class ToneAudio(MediaStreamTrack):
    kind = "audio"

    def __init__(self) -> None:
        super().__init__()
        self._pts = 0
        self._start = None

    async def recv(self) -> AudioFrame:
        samples = 960
        if self._start is None:
            self._start = time.time()
        wait = self._start + self._pts / 48000 - time.time()
        if wait > 0:
            await asyncio.sleep(wait)
        t = (np.arange(samples) + self._pts) / 48000
        data = (np.sin(2 * np.pi * 440 * t) * 8000).astype(np.int16).reshape(1, -1)
        frame = AudioFrame.from_ndarray(data, format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = 48000, self._pts, fractions.Fraction(1, 48000)
        self._pts += samples
        return frame


def token(session_id: int, user_id: int, role: str = "learner", valid_for: timedelta = timedelta(minutes=30)) -> str:
    now = datetime.now(UTC)
    return issue_media_token(SECRET, session_id, user_id, role, now - timedelta(minutes=1), now + valid_for)


class Recorder:
    def __init__(self) -> None:
        self.joins: list[tuple[int, int]] = []
        self.leaves: list[tuple[int, int]] = []
        self.saved: list[tuple[int, str]] = []

    def hooks(self) -> MediaHooks:
        return MediaHooks(
            on_join=lambda s, u, at: self.joins.append((s, u)),
            on_leave=lambda s, u, at: self.leaves.append((s, u)),
            on_recording_saved=lambda s, path, a, b: self.saved.append((s, path)),
        )


@pytest.fixture
def media_server(tmp_path):
    yield from _serve(tmp_path)


QUICK_ICE_TIMEOUT = 4.0  # seconds: the killed-peer tests wait this long, not the production 15 s


@pytest.fixture
def quick_ice_media_server(tmp_path):
    """A media server that drops a silent peer after QUICK_ICE_TIMEOUT s (process-wide, so put back after)."""
    try:
        yield from _serve(tmp_path, ice_timeout_seconds=QUICK_ICE_TIMEOUT)
    finally:
        aiortc_compat.set_ice_timeout(MediaConfig.ice_timeout_seconds)


def _serve(tmp_path, **settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    events = Recorder()
    config = MediaConfig(secret=SECRET, recordings_dir=tmp_path / "recordings", cors_origins=[APP_ORIGIN], **settings)
    app = create_media_app(config, events.hooks())
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, what="the media server starting")
    yield {
        "url": f"http://127.0.0.1:{port}",
        "events": events,
        "recordings": tmp_path / "recordings",
        "registry": app.state.media.registry,
    }
    server.should_exit = True
    thread.join(timeout=10)


async def publish(
    base: str, session_id: int, user_id: int, value: int, role: str = "learner"
) -> tuple[RTCPeerConnection, str]:
    pc = RTCPeerConnection()
    pc.addTrack(PatternVideo(value))
    pc.addTrack(ToneAudio())
    await pc.setLocalDescription(await pc.createOffer())
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(
            f"{base}/media/whip/{session_id}",
            content=pc.localDescription.sdp,
            headers={"Content-Type": "application/sdp", "Authorization": f"Bearer {token(session_id, user_id, role)}"},
        )
    assert response.status_code == 201, response.text
    await pc.setRemoteDescription(RTCSessionDescription(sdp=response.text, type="answer"))
    return pc, response.headers["location"]


async def subscribe(
    base: str, session_id: int, publisher_id: int, viewer_id: int, video_codec: str | None = None
) -> tuple[RTCPeerConnection, asyncio.Queue]:
    """Play a participant's stream; `video_codec` (e.g. "video/H264") limits what this player accepts."""
    pc = RTCPeerConnection()
    video = pc.addTransceiver("video", direction="recvonly")
    if video_codec:
        video.setCodecPreferences(
            [c for c in RTCRtpReceiver.getCapabilities("video").codecs if c.mimeType == video_codec]
        )
    pc.addTransceiver("audio", direction="recvonly")
    tracks: asyncio.Queue = asyncio.Queue()
    pc.on("track", lambda track: tracks.put_nowait(track))
    await pc.setLocalDescription(await pc.createOffer())
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.post(
            f"{base}/media/whep/{session_id}/{publisher_id}",
            content=pc.localDescription.sdp,
            headers={"Content-Type": "application/sdp", "Authorization": f"Bearer {token(session_id, viewer_id)}"},
        )
    assert response.status_code == 201, response.text
    await pc.setRemoteDescription(RTCSessionDescription(sdp=response.text, type="answer"))
    return pc, tracks


async def room_state(base: str, session_id: int, viewer_id: int) -> dict:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            f"{base}/media/rooms/{session_id}", headers={"Authorization": f"Bearer {token(session_id, viewer_id)}"}
        )
    return response.json()


def publication_of(state: dict, user_id: int, kind: str = "camera") -> str | None:
    return next((p["publication"] for p in state["publishers"] if p["user_id"] == user_id and p["kind"] == kind), None)


class Player:
    """Plays one participant's camera the way the room page does: every second it reads the room state (as the
    page's poll does), and when the participant's publication is new (a first publish, a republish) it drops its
    connection and asks WHEP again; when the publication is gone it drops the connection. `frames` holds
    (monotonic time, median grey level) of every video frame received."""

    def __init__(self, base: str, session_id: int, publisher_id: int, viewer_id: int, every: float = 1.0) -> None:
        self.base, self.session_id, self.publisher_id, self.viewer_id = base, session_id, publisher_id, viewer_id
        self.every = every
        self.playing: str | None = None
        self.pc: RTCPeerConnection | None = None
        self.frames: list[tuple[float, float]] = []
        self._task: asyncio.Task | None = None
        self._readers: list[asyncio.Task] = []

    def start(self) -> None:
        self._task = asyncio.create_task(self._follow())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
        await self._drop()

    def frames_after(self, moment: float, level: float, tolerance: float = 25) -> list[float]:
        return [t for t, grey in self.frames if t > moment and abs(grey - level) < tolerance]

    async def _follow(self) -> None:
        while True:
            publication = publication_of(
                await room_state(self.base, self.session_id, self.viewer_id), self.publisher_id
            )
            if publication != self.playing:
                await self._drop()
                if publication is not None:
                    self.pc, tracks = await subscribe(self.base, self.session_id, self.publisher_id, self.viewer_id)
                    self._readers.append(asyncio.create_task(self._read(tracks)))
                self.playing = publication
            await asyncio.sleep(self.every)

    async def _read(self, tracks: asyncio.Queue) -> None:
        while True:
            track = await tracks.get()
            if track.kind == "video":
                break
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await track.recv()
                self.frames.append((time.monotonic(), float(np.median(frame.to_ndarray(format="gray")))))

    async def _drop(self) -> None:
        for reader in self._readers:
            reader.cancel()
        self._readers = []
        if self.pc is not None:
            await self.pc.close()
            self.pc = None


def run_async(coroutine):
    """asyncio.run in its own thread: the browser tests' Playwright keeps an event loop in the main thread."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
