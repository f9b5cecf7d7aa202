"""The media server with real aiortc peers: publish, relay to a subscriber, record, attendance, refusals, shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import av
import httpx
import numpy as np
import pytest

from tests.media.conftest import SECRET, publish, run_async, subscribe, token
from tests.support import await_until, wait_until


async def first_video_frame(tracks: asyncio.Queue, timeout: float = 20):
    while True:
        track = await asyncio.wait_for(tracks.get(), timeout)
        if track.kind == "video":
            return await asyncio.wait_for(track.recv(), timeout)


def test_a_subscriber_receives_the_publishers_video(media_server):
    async def scenario():
        publisher, _ = await publish(media_server["url"], 5, 11, value=200)
        viewer, tracks = await subscribe(media_server["url"], 5, 11, viewer_id=12)
        frame = await first_video_frame(tracks)
        pixels = frame.to_ndarray(format="bgr24")
        async with httpx.AsyncClient() as client:
            state = (
                await client.get(
                    f"{media_server['url']}/media/rooms/5", headers={"Authorization": f"Bearer {token(5, 12)}"}
                )
            ).json()
        await viewer.close()
        await publisher.close()
        return pixels, state

    pixels, state = run_async(scenario())
    assert pixels.shape[:2] == (240, 320)
    assert abs(float(np.median(pixels)) - 200) < 25  # the publisher's colour survives the relay and re-encoding
    assert [(p["user_id"], p["kind"]) for p in state["publishers"]] == [(11, "camera")] and state["recording"] is False
    wait_until(lambda: (5, 11) in media_server["events"].joins, what="the publisher's join hook")


@pytest.mark.parametrize("case, status", [("missing", 401), ("forged", 401), ("other_session", 403), ("expired", 403)])
def test_bad_tokens_are_refused(media_server, case, status):
    tokens = {
        "missing": None,
        "forged": token(5, 11)[:-3] + "abc",
        "other_session": token(6, 11),
        "expired": token(5, 11, valid_for=timedelta(minutes=-0.5)),
    }
    headers = {"Content-Type": "application/sdp"}
    if tokens[case]:
        headers["Authorization"] = f"Bearer {tokens[case]}"
    response = httpx.post(f"{media_server['url']}/media/whip/5", content="v=0\r\n", headers=headers)
    assert response.status_code == status
    assert (
        httpx.get(
            f"{media_server['url']}/media/rooms/5", headers={k: v for k, v in headers.items() if k != "Content-Type"}
        ).status_code
        == status
    )


@pytest.mark.slow  # records and composes real media: 7-10 s
def test_recording_holds_video_and_audio_from_both_participants(media_server):
    async def scenario():
        mentor, _ = await publish(media_server["url"], 9, 1, value=60, role="mentor")
        learner, _ = await publish(media_server["url"], 9, 2, value=180)
        async with httpx.AsyncClient() as client:

            async def both_publishing() -> bool:
                room = await client.get(
                    f"{media_server['url']}/media/rooms/9", headers={"Authorization": f"Bearer {token(9, 1, 'mentor')}"}
                )
                return len(room.json()["publishers"]) == 2

            await await_until(both_publishing, what="both participants publishing")
            refused = await client.post(
                f"{media_server['url']}/media/rooms/9/recording/start",
                headers={"Authorization": f"Bearer {token(9, 2)}"},
            )
            started = await client.post(
                f"{media_server['url']}/media/rooms/9/recording/start",
                headers={"Authorization": f"Bearer {token(9, 1, 'mentor')}"},
            )
            await asyncio.sleep(4)  # the take's length, not a wait for something: it must last over 3 s
            stopped = await client.post(
                f"{media_server['url']}/media/rooms/9/recording/stop",
                headers={"Authorization": f"Bearer {token(9, 1, 'mentor')}"},
            )
        await mentor.close()
        await learner.close()
        return refused.status_code, started.json(), stopped.json()

    refused, started, stopped = run_async(scenario())
    assert refused == 403 and started["recording"] is True and stopped["recording"] is False
    events = media_server["events"]
    wait_until(lambda: events.saved, timeout=60, what="the take composed in the background")
    assert len(events.saved) == 1, "one file for the whole take"
    path = Path(events.saved[0][1])
    assert path.suffix == ".mp4" and not path.with_suffix("").exists(), "the separate parts are gone once composed"
    left, right, seconds = picture_halves(path)
    assert abs(left - 60) < 25 and abs(right - 180) < 25, "the mentor's and the learner's pictures side by side"
    assert seconds > 3


def picture_halves(path: Path) -> tuple[float, float, float]:
    """Mean grey level of the lit parts of the left and right halves of the middle frame, and the length in seconds."""
    with av.open(str(path)) as container:
        assert {s.type for s in container.streams} == {"video", "audio"}
        frames = [frame.to_ndarray(format="gray") for frame in container.decode(video=0)]
    with av.open(str(path)) as container:
        samples = np.concatenate([f.to_ndarray().ravel() for f in container.decode(audio=0)])
        seconds = float(container.duration or 0) / 1_000_000
    assert np.abs(samples).max() > 0.05, "the voices are in the file"
    middle = frames[len(frames) // 2]
    band = middle[middle.shape[0] // 4 : 3 * middle.shape[0] // 4]
    halves = band[:, : band.shape[1] // 2], band[:, band.shape[1] // 2 :]
    return float(halves[0][halves[0] > 10].mean()), float(halves[1][halves[1] > 10].mean()), seconds


def healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/media/health").status_code == 200
    except httpx.HTTPError:
        return False


@contextlib.contextmanager
def media_process(data_dir: Path):
    """`python -m peerlearn.media` as its own process, as `make run` starts it."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, SECRET_KEY=SECRET, PEERLEARN_DATA_DIR=str(data_dir), MEDIA_PORT=str(port))
    env.update(PORT="3000", PUBLIC_BASE_URL="", PEERLEARN_ENV="development")  # the app it serves: localhost:3000
    process = subprocess.Popen(
        [sys.executable, "-m", "peerlearn.media", "--host", "127.0.0.1", "--no-database"], env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: healthy(base), what="the media process answering /media/health")
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()


async def stop_while_connected(process: subprocess.Popen, base: str, record: bool = False) -> float:
    pc, _ = await publish(base, 3, 4, value=90, role="mentor")
    await await_until(
        lambda: httpx.get(f"{base}/media/health").json()["connections"] == 1, what="the publisher's connection"
    )
    if record:
        httpx.post(
            f"{base}/media/rooms/3/recording/start", headers={"Authorization": f"Bearer {token(3, 4, 'mentor')}"}
        )
        await asyncio.sleep(2)  # two seconds of take to interrupt, not a wait for something
    began = time.monotonic()
    process.send_signal(signal.SIGTERM)
    await asyncio.to_thread(process.wait, 10)
    await pc.close()
    return time.monotonic() - began


@pytest.mark.slow  # starts and stops a media server with live peers: ~3 s
def test_shutdown_with_open_connections_is_prompt(tmp_path):
    with media_process(tmp_path) as (process, base):
        assert run_async(stop_while_connected(process, base)) < 6


@pytest.mark.slow  # records and composes real media: 7-10 s
def test_a_recording_interrupted_by_a_restart_is_composed_on_the_next_start(tmp_path):
    room = tmp_path / "recordings" / "3"
    with media_process(tmp_path) as (process, base):
        assert run_async(stop_while_connected(process, base, record=True)) < 6
    assert len(list(room.glob("take-*/take.json"))) == 1, "the interrupted take is kept, not lost"
    with media_process(tmp_path):
        composed = wait_until(
            lambda: not list(room.glob("take-*/")) and list(room.glob("take-*.mp4")),
            timeout=30,
            what="the interrupted take composed after the restart",
        )
    assert len(composed) == 1
    with av.open(str(composed[0])) as container:
        frames = [frame.to_ndarray(format="gray") for frame in container.decode(video=0)]
    assert len(frames) > 10 and abs(float(np.median(frames[len(frames) // 2])) - 90) < 25


def test_the_media_process_allows_only_the_apps_origin(tmp_path):
    """`python -m peerlearn.media` reads its CORS list from the app's settings (here http://localhost:3000)."""
    with media_process(tmp_path) as (_, base):
        own = httpx.get(f"{base}/media/health", headers={"Origin": "http://localhost:3000"})
        evil = httpx.get(f"{base}/media/health", headers={"Origin": "https://evil.example"})
    assert own.headers.get("access-control-allow-origin") == "http://localhost:3000"
    assert "access-control-allow-origin" not in evil.headers
