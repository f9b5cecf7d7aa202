"""One participant's audio and video into one MP4.

aiortc's MediaRecorder opens the file on the first packet of whichever track
speaks first. When sound arrives before the first picture (usual when someone
is already publishing as recording starts) the MP4 header is written while the
video encoder has no size yet, and the file silently ends up without a picture.
This recorder holds the sound back until the first picture has opened the video
encoder; the take composer aligns the tracks by their timestamps anyway.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import av
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

log = logging.getLogger(__name__)


class ParticipantRecorder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.container = av.open(str(path), mode="w")
        self.streams: dict[MediaStreamTrack, av.stream.Stream] = {}
        self.tasks: list[asyncio.Task] = []
        self.picture_started = asyncio.Event()

    def add_track(self, track: MediaStreamTrack) -> None:
        if track.kind == "audio":
            stream = self.container.add_stream("aac")
        else:
            stream = self.container.add_stream("libx264", rate=30)
            stream.pix_fmt = "yuv420p"
        self.streams[track] = stream

    async def start(self) -> None:
        if not any(track.kind == "video" for track in self.streams):
            self.picture_started.set()  # audio only: nothing to wait for
        self.tasks = [asyncio.ensure_future(self._record(track, stream)) for track, stream in self.streams.items()]

    async def _record(self, track: MediaStreamTrack, stream: av.stream.Stream) -> None:
        while True:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            if track.kind == "video":
                if not self.picture_started.is_set():
                    stream.width, stream.height = frame.width, frame.height
                packets = stream.encode(frame)
                self.picture_started.set()
            elif self.picture_started.is_set():
                packets = stream.encode(frame)
            else:
                continue
            for packet in packets:
                self.container.mux(packet)

    async def stop(self) -> None:
        """Flush the encoders and write the MP4 index, so even an interrupted recording plays."""
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for track in self.streams:
            track.stop()  # a relayed copy stops being fed once nobody reads it
        if self.picture_started.is_set():
            for stream in self.streams.values():
                try:
                    for packet in stream.encode(None):
                        self.container.mux(packet)
                except (av.FFmpegError, ValueError):  # a track that never delivered a frame
                    log.warning("nothing to flush for a %s track of %s", stream.type, self.path)
        self.container.close()
