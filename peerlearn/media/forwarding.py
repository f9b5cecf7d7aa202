"""Forward a publisher's VP8 video to subscribers without decoding and re-encoding it.

aiortc's relay decodes every incoming stream and encodes it again for each subscriber. A VP8
frame, once reassembled by the receiver's jitter buffer, can instead be handed to each
subscriber's sender as it is: aiortc senders packetise an `av.Packet` as-is (its `pack` path,
the one `MediaPlayer(decode=False)` uses). What that needs to stay correct:

- a subscriber starts on a keyframe, so the tap asks the publisher for one (a PLI) when a
  subscriber joins or falls behind, and drops that subscriber's frames until it arrives;
- a subscriber's own keyframe requests (PLI/FIR) travel on to the publisher;
- decoding still happens, from the next keyframe, while someone needs pictures (the recorder or
  a subscriber whose player cannot take VP8), and stops when nobody does.

aiortc has no public hook for the encoded frames, so the tap takes the place of the receiver's
decoder queue. That and the other aiortc privates it needs are reached only through
media/aiortc_compat.py (which lists them, for the aiortc version pinned in requirements.txt). If
the queue is missing the tap is not attached and the room falls back to the re-encoding relay.
"""

from __future__ import annotations

import asyncio
import fractions
import time
from typing import Any

import av
from aiortc import RTCRtpReceiver, RTCRtpSender
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from peerlearn.media import aiortc_compat
from peerlearn.media.aiortc_compat import FrameQueue

FORWARDABLE = "video/vp8"
RTP_VIDEO_TIME_BASE = fractions.Fraction(1, 90000)
KEYFRAME_REQUEST_INTERVAL = 0.5  # seconds between PLIs sent to one publisher
BACKLOG_LIMIT = 30  # frames (2 s at 15 fps) a subscriber may fall behind before it restarts on a keyframe


def is_vp8_keyframe(frame: bytes) -> bool:
    """RFC 6386 section 9.1: bit 0 of the frame tag is 0 for a key frame."""
    return bool(frame) and frame[0] & 0x01 == 0


class ForwardedVideo(MediaStreamTrack):
    """One subscriber's copy of a publisher's encoded video; `recv` returns `av.Packet`s."""

    kind = "video"

    def __init__(self, tap: EncodedVideoTap) -> None:
        super().__init__()
        self._tap = tap
        self._frames: asyncio.Queue = asyncio.Queue()
        self._waiting_for_keyframe = True

    def push(self, data: bytes, timestamp: int, keyframe: bool) -> None:
        if self._frames.qsize() >= BACKLOG_LIMIT:  # a stalled subscriber restarts on a fresh keyframe
            while not self._frames.empty():
                self._frames.get_nowait()
            self._waiting_for_keyframe = True
        if self._waiting_for_keyframe:
            if not keyframe:
                self._tap.request_keyframe()
                return
            self._waiting_for_keyframe = False
        self._frames.put_nowait((data, timestamp))

    def end(self) -> None:
        self._frames.put_nowait(None)

    async def recv(self) -> av.Packet:
        if self.readyState != "live":
            raise MediaStreamError
        item = await self._frames.get()
        if item is None:
            self.stop()
            raise MediaStreamError
        data, timestamp = item
        packet = av.Packet(data)
        packet.pts, packet.time_base = timestamp, RTP_VIDEO_TIME_BASE
        return packet

    def stop(self) -> None:
        super().stop()
        self._tap.forwards.discard(self)


class EncodedVideoTap:
    """Stands in for a video receiver's decoder queue: every reassembled frame goes to the
    forwarded tracks, and to the decoder only while some reader wants decoded pictures."""

    def __init__(self, receiver: RTCRtpReceiver, decoder_queue: FrameQueue) -> None:
        self.receiver = receiver
        self.forwards: set[ForwardedVideo] = set()
        self.decoded_readers = 0
        self._decoder_queue = decoder_queue
        self._decoder_needs_keyframe = True
        self._last_request = 0.0

    @classmethod
    def attach(cls, receiver: RTCRtpReceiver) -> EncodedVideoTap | None:
        queue = aiortc_compat.decoder_queue(receiver)
        if queue is None:
            return None
        tap = cls(receiver, queue)
        aiortc_compat.replace_decoder_queue(receiver, tap)
        return tap

    def put(self, item: Any) -> None:
        """Called by the receiver for each complete frame, and with None when it stops."""
        if item is None:
            self._decoder_queue.put(None)
            for track in list(self.forwards):
                track.end()
            return
        codec, frame = item
        vp8 = codec.mimeType.lower() == FORWARDABLE
        keyframe = vp8 and is_vp8_keyframe(frame.data)
        for track in list(self.forwards):
            track.push(frame.data, frame.timestamp, keyframe)
        if self.decoded_readers == 0:  # nobody needs pictures: skip decoding, restart it on a keyframe
            self._decoder_needs_keyframe = True
            return
        if self._decoder_needs_keyframe and vp8 and not keyframe:
            self.request_keyframe()
            return
        self._decoder_needs_keyframe = False
        self._decoder_queue.put(item)

    def get(self, *args: Any, **kwargs: Any) -> Any:
        """The decoder thread reads here when it starts after the tap was attached."""
        return self._decoder_queue.get(*args, **kwargs)

    def forward(self) -> ForwardedVideo:
        track = ForwardedVideo(self)
        self.forwards.add(track)
        self.request_keyframe()
        return track

    def want_decoded(self, wanted: bool) -> None:
        """Count a reader that needs decoded pictures in or out (the recorder, a re-encoding subscriber)."""
        self.decoded_readers = max(0, self.decoded_readers + (1 if wanted else -1))
        if wanted:
            self.request_keyframe()

    def request_keyframe(self) -> None:
        now = time.monotonic()
        if now - self._last_request < KEYFRAME_REQUEST_INTERVAL:
            return
        retransmissions = aiortc_compat.retransmission_ssrcs(self.receiver)
        sources = [s.source for s in self.receiver.getSynchronizationSources() if s.source not in retransmissions]
        if sources:
            self._last_request = now
            asyncio.ensure_future(aiortc_compat.send_picture_loss(self.receiver, sources[0]))

    def pass_keyframe_requests(self, sender: RTCRtpSender) -> None:
        """A subscriber's PLI or FIR asks the publisher, as no encoder here can make a keyframe."""
        aiortc_compat.on_keyframe_request(sender, self.request_keyframe)
