"""Media server CPU per published stream, per subscriber and per recording (640x480, 15 fps), and how many
concurrent 1:1 rooms it sustains with frame delay p95 under 300 ms, without and with recording: first with
aiortc's re-encoding relay (the baseline), then with VP8 forwarded as received, in the same run.

    .venv/bin/python bench/media_rooms.py [--max-rooms 10] [--seconds 6] [--modes reencode,forward]

The server runs as its own process (its CPU is read with psutil); the synthetic participants run in two
other processes on the same 2 cores, so the room counts are a lower bound for a dedicated media host.
Frame delay: each frame carries its send time (ms) as 32 black/white blocks, read back after relay and
re-encoding. Prints figures; asserts nothing.

Each mode starts its own server process (MEDIA_FORWARD_ENCODED=0 or 1); the same participants run against both.
"""

from __future__ import annotations

import argparse
import asyncio
import fractions
import multiprocessing
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx
import numpy as np
import psutil
from aiortc import RTCPeerConnection, RTCSessionDescription, VideoStreamTrack
from av import VideoFrame

from peerlearn.media.tokens import issue_media_token

SECRET = "bench-media-secret"
WIDTH, HEIGHT, FPS, BLOCK = 640, 480, 15, 20
WORKERS = 2  # participant processes, one per core


class StampedVideo(VideoStreamTrack):
    """640x480 at 15 fps; the top row of 20x20 blocks spells the send time in ms."""

    _image = np.full((HEIGHT, WIDTH, 3), 128, dtype=np.uint8)  # reused: from_ndarray copies it

    async def recv(self) -> VideoFrame:
        pts, time_base = await self.next_timestamp()
        image = self._image
        stamp = int(time.time() * 1000) & 0xFFFFFFFF
        for bit in range(32):
            image[:BLOCK, bit * BLOCK : (bit + 1) * BLOCK] = 255 if stamp >> bit & 1 else 0
        frame = VideoFrame.from_ndarray(image, format="bgr24")
        frame.pts, frame.time_base = pts, time_base
        return frame

    _start = None

    async def next_timestamp(self) -> tuple[int, fractions.Fraction]:  # 15 fps instead of aiortc's default 30
        if self._start is None:
            self._start, self._count = time.time(), 0
        self._count += 1
        wait = self._start + self._count / FPS - time.time()
        if wait > 0:
            await asyncio.sleep(wait)
        return self._count * 90000 // FPS, fractions.Fraction(1, 90000)


def read_stamp(frame: VideoFrame) -> int:
    """From the luma plane only: converting the whole frame would cost the bench more than the server."""
    plane = frame.planes[0]
    row = np.frombuffer(plane, dtype=np.uint8)[plane.line_size * (BLOCK // 2) :][:WIDTH]
    return sum(1 << bit for bit in range(32) if row[bit * BLOCK + BLOCK // 2] > 128)


def token(session_id: int, user_id: int, role: str = "mentor") -> str:
    now = datetime.now(UTC)
    return issue_media_token(SECRET, session_id, user_id, role, now - timedelta(minutes=1), now + timedelta(hours=1))


async def publish(base: str, room: int, user: int) -> RTCPeerConnection:
    pc = RTCPeerConnection()
    pc.addTrack(StampedVideo())
    await pc.setLocalDescription(await pc.createOffer())
    async with httpx.AsyncClient(timeout=30) as client:
        r = await client.post(
            f"{base}/media/whip/{room}",
            content=pc.localDescription.sdp,
            headers={"Content-Type": "application/sdp", "Authorization": f"Bearer {token(room, user)}"},
        )
    await pc.setRemoteDescription(RTCSessionDescription(r.text, "answer"))
    return pc


async def subscribe(
    base: str, room: int, publisher: int, delays: list[float], stop: asyncio.Event
) -> RTCPeerConnection:
    pc = RTCPeerConnection()
    pc.addTransceiver("video", direction="recvonly")

    @pc.on("track")
    def _track(track) -> None:
        async def consume() -> None:
            while not stop.is_set():
                try:
                    frame = await asyncio.wait_for(track.recv(), 5)
                except Exception:
                    return
                delays.append(((int(time.time() * 1000) & 0xFFFFFFFF) - read_stamp(frame)) / 1000)

        asyncio.ensure_future(consume())

    await pc.setLocalDescription(await pc.createOffer())
    async with httpx.AsyncClient(timeout=30) as client:
        r = await client.post(
            f"{base}/media/whep/{room}/{publisher}",
            content=pc.localDescription.sdp,
            headers={"Content-Type": "application/sdp", "Authorization": f"Bearer {token(room, 99)}"},
        )
    await pc.setRemoteDescription(RTCSessionDescription(r.text, "answer"))
    return pc


async def recording(base: str, room: int, action: str) -> None:
    async with httpx.AsyncClient(timeout=30) as client:
        await client.post(
            f"{base}/media/rooms/{room}/recording/{action}", headers={"Authorization": f"Bearer {token(room, 1)}"}
        )


async def measure(server: psutil.Process, seconds: float) -> float:
    """Server CPU (share of one core) over a window, after a short warm-up."""
    await asyncio.sleep(2)
    before = server.cpu_times()
    await asyncio.sleep(seconds)
    after = server.cpu_times()
    return ((after.user - before.user) + (after.system - before.system)) / seconds


async def participants(base: str, rooms: list[int], record: bool, seconds: float, ready) -> list[float]:
    """Publish and watch both sides of each room, then collect frame delays for the measuring window."""
    delays: list[float] = []
    stop = asyncio.Event()
    pcs = []
    for room in rooms:
        pcs += [await publish(base, room, 1), await publish(base, room, 2)]
        await asyncio.sleep(0.5)
        pcs += [await subscribe(base, room, 1, delays, stop), await subscribe(base, room, 2, delays, stop)]
        if record:
            await recording(base, room, "start")
    ready.put(len(rooms))
    await asyncio.sleep(2 + seconds)  # the same window the server's CPU is measured over
    stop.set()
    steady = delays[len(delays) // 4 :]
    for pc in pcs:
        await pc.close()
    return steady


def participants_process(base: str, rooms: list[int], record: bool, seconds: float, ready, results) -> None:
    results.put(asyncio.run(participants(base, rooms, record, seconds, ready)))


async def scenario(
    base: str, server: psutil.Process, rooms: int, record: bool, seconds: float
) -> tuple[float, float, int]:
    """The rooms' participants run in WORKERS processes, so one Python interpreter is not what saturates first."""
    context = multiprocessing.get_context("spawn")
    ready, results = context.Queue(), context.Queue()
    offset = 1000 if record else 0
    ids = [offset + rooms * 100 + r for r in range(rooms)]
    groups = [ids[w::WORKERS] for w in range(WORKERS) if ids[w::WORKERS]]
    workers = [
        context.Process(target=participants_process, args=(base, group, record, seconds, ready, results))
        for group in groups
    ]
    for worker in workers:
        worker.start()
    for _ in workers:
        await asyncio.to_thread(ready.get, True, 120)
    cpu = await measure(server, seconds)
    delays = [d for _ in workers for d in await asyncio.to_thread(results.get, True, 120)]
    for worker in workers:
        await asyncio.to_thread(worker.join, 30)
    await asyncio.sleep(1)
    p95 = float(np.percentile(delays, 95)) if delays else float("inf")
    return cpu, p95, len(delays)


async def unit_costs(base: str, server: psutil.Process, seconds: float) -> None:
    idle = await measure(server, 3)
    pub = await publish(base, 1, 1)
    one_pub = await measure(server, seconds)
    stop, delays = asyncio.Event(), []
    sub = await subscribe(base, 1, 1, delays, stop)
    with_sub = await measure(server, seconds)
    await recording(base, 1, "start")
    with_rec = await measure(server, seconds)
    await recording(base, 1, "stop")
    while httpx.get(f"{base}/media/health").json().get("composing"):  # let the take's composing finish first
        await asyncio.sleep(0.5)
    stop.set()
    for pc in (sub, pub):
        await pc.close()
    print(
        f"server CPU, share of one core: idle {idle:.2f} | per published stream {one_pub - idle:.2f} | "
        f"per subscriber {with_sub - one_pub:.2f} | per recording {with_rec - with_sub:.2f}"
    )


async def main_async(args: argparse.Namespace, base: str, server: psutil.Process) -> dict[str, int]:
    await unit_costs(base, server, args.seconds)
    sustained = {}
    for record in (False, True):
        best = 0
        for rooms in range(1, args.max_rooms + 1):
            cpu, p95, frames = await scenario(base, server, rooms, record, args.seconds)
            ok = p95 < 0.3 and frames > rooms * 2 * FPS * args.seconds * 0.4
            print(
                f"{'recorded' if record else 'plain':>8} rooms={rooms:2d}  server CPU {cpu:.2f} cores  delay p95 "
                f"{1000 * p95:7.1f} ms  "
                f"frames {frames:5d}  {'ok' if ok else 'over'}"
            )
            if not ok:
                break
            best = rooms
        print(f"=> sustained 1:1 rooms {'with' if record else 'without'} recording: {best}")
        sustained["recorded" if record else "plain"] = best
    return sustained


MODES = {"reencode": "0", "forward": "1"}


def run_mode(args: argparse.Namespace, mode: str) -> dict[str, int]:
    print(f"--- {'VP8 forwarded as received' if mode == 'forward' else 're-encoding relay (aiortc MediaRelay)'}")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data = tempfile.mkdtemp()
    env = dict(
        os.environ, SECRET_KEY=SECRET, PEERLEARN_DATA_DIR=data, MEDIA_PORT=str(port), MEDIA_FORWARD_ENCODED=MODES[mode]
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "peerlearn.media", "--host", "127.0.0.1", "--no-database"], env=env
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/media/health")
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        return asyncio.run(main_async(args, base, psutil.Process(process.pid)))
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-rooms", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--modes", default="reencode,forward", help="comma-separated: reencode, forward")
    args = parser.parse_args()
    results = {mode: run_mode(args, mode) for mode in args.modes.split(",")}
    if len(results) == 2:
        base, forward = results["reencode"], results["forward"]
        print(
            f"sustained rooms, forwarding vs re-encoding relay: plain {forward['plain']} vs {base['plain']}, "
            f"recorded {forward['recorded']} vs {base['recorded']}"
        )


if __name__ == "__main__":
    main()
