"""The registry of rooms, publications, subscriptions and recordings of one media server process.

One registry is created at start-up; every peer connection it opens is kept here, closed when its
connection fails or closes, and all are closed on shutdown (aiortc's own server example does the same).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from aiortc import RTCPeerConnection, RTCRtpSender
from aiortc.contrib.media import MediaBlackhole, MediaRelay
from aiortc.sdp import SessionDescription

from peerlearn.media.forwarding import FORWARDABLE, EncodedVideoTap
from peerlearn.media.hooks import MediaHooks
from peerlearn.media.recorder import ParticipantRecorder
from peerlearn.media.takes import Take, finish_in_background, pending_takes

log = logging.getLogger(__name__)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Publication:
    resource_id: str
    user_id: int
    kind: str  # "camera" or "screen"
    pc: RTCPeerConnection
    tracks: dict[str, object] = field(default_factory=dict)  # "audio"/"video" -> incoming track
    drain: MediaBlackhole | None = None
    video_tap: EncodedVideoTap | None = None  # set when its video is forwarded without re-encoding
    recorder: ParticipantRecorder | None = None
    recording_path: Path | None = None
    recording_began: datetime | None = None


@dataclass
class Subscription:
    """One player's connection to a publication; only that player may end it. When the publication ends
    (its publisher leaves, drops or publishes again) the server closes this connection: that is the
    player's end event, and a player that wants the participant's new stream asks WHEP again."""

    user_id: int
    pc: RTCPeerConnection
    publication_id: str = ""
    release: Callable[[], None] = lambda: None  # undoes its hold on the publication's tracks


@dataclass
class Room:
    session_id: int
    publications: dict[str, Publication] = field(default_factory=dict)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    take: Take | None = None  # the recording in progress

    @property
    def recording(self) -> bool:
        return self.take is not None

    def publisher(self, user_id: int, kind: str) -> Publication | None:
        return next((p for p in self.publications.values() if p.user_id == user_id and p.kind == kind), None)

    def players_of(self, publication_id: str) -> list[str]:
        return [rid for rid, s in self.subscriptions.items() if s.publication_id == publication_id]


def _video_codecs(sdp: str) -> list[str]:
    """The video codecs an SDP offers or answers, in its order of preference, lower-cased."""
    return [
        codec.mimeType.lower()
        for media in SessionDescription.parse(sdp).media
        if media.kind == "video"
        for codec in media.rtp.codecs
    ]


class RoomRegistry:
    def __init__(self, hooks: MediaHooks, recordings_dir: Path, forward_encoded: bool = True) -> None:
        self.hooks = hooks
        self.recordings_dir = recordings_dir
        self.forward_encoded = forward_encoded
        self.relay = MediaRelay()
        self.rooms: dict[int, Room] = {}
        self.connections: set[RTCPeerConnection] = set()
        self.finishing: set[asyncio.Task] = set()  # takes being composed

    def room(self, session_id: int) -> Room:
        return self.rooms.setdefault(session_id, Room(session_id))

    def new_resource_id(self) -> str:
        return uuid.uuid4().hex

    def track(self, pc: RTCPeerConnection, on_closed: Callable[[], Awaitable[None]]) -> None:
        """Keep `pc` and close it (running `on_closed`) once its connection fails or closes."""
        self.connections.add(pc)

        @pc.on("connectionstatechange")
        async def _state() -> None:
            if pc.connectionState in ("failed", "closed"):
                await self._close(pc, on_closed)

    async def _close(self, pc: RTCPeerConnection, on_closed: Callable[[], Awaitable[None]]) -> None:
        if pc not in self.connections:
            return
        self.connections.discard(pc)
        try:
            await on_closed()
        finally:
            await pc.close()

    async def add_publication(self, room: Room, publication: Publication) -> None:
        previous = room.publisher(publication.user_id, publication.kind)
        if previous is not None:  # a reload, a new device or a new network replaces the old stream
            await self.end_publication(room, previous.resource_id)
        room.publications[publication.resource_id] = publication
        if self.forward_encoded and "video" in publication.tracks:
            receiver = next(t.receiver for t in publication.pc.getTransceivers() if t.kind == "video")
            publication.video_tap = EncodedVideoTap.attach(receiver)
        publication.drain = MediaBlackhole()  # keeps reading so an unwatched stream never piles up
        for track in publication.tracks.values():
            publication.drain.addTrack(self.relay.subscribe(track))
        await publication.drain.start()
        if room.recording:
            await self._start_recorder(room, publication)

    def subscribe(self, pc: RTCPeerConnection, publication: Publication, offer_sdp: str) -> Callable[[], None]:
        """Send the publication's tracks on a subscriber's connection (before it answers the offer).
        VP8 video is forwarded as it arrives when both sides speak VP8, anything else is re-encoded
        by the relay. Returns the call that undoes the subscription's hold on the publication."""
        tap = publication.video_tap
        undo = []
        for kind, track in publication.tracks.items():
            if kind == "video" and tap is not None and self._can_forward(publication, offer_sdp):
                forwarded = tap.forward()
                sender = pc.addTrack(forwarded)
                tap.pass_keyframe_requests(sender)
                transceiver = next(t for t in pc.getTransceivers() if t.sender is sender)
                transceiver.setCodecPreferences(
                    [
                        c
                        for c in RTCRtpSender.getCapabilities("video").codecs
                        if c.mimeType.lower() in (FORWARDABLE, "video/rtx")
                    ]
                )
                undo.append(forwarded.stop)
            else:
                pc.addTrack(self.relay.subscribe(track))
                if kind == "video" and tap is not None:
                    tap.want_decoded(True)
                    undo.append(lambda: tap.want_decoded(False))

        def _release() -> None:
            while undo:
                undo.pop()()

        return _release

    @staticmethod
    def _can_forward(publication: Publication, offer_sdp: str) -> bool:
        answered = publication.pc.localDescription
        published = _video_codecs(answered.sdp)[:1] if answered is not None else []
        return published == [FORWARDABLE] and FORWARDABLE in _video_codecs(offer_sdp)

    async def end_publication(self, room: Room, resource_id: str) -> bool:
        """End a publication and every player's subscription to it (each player's connection is closed:
        its end event). A camera's end is its publisher leaving, for attendance; a screen's is not."""
        publication = room.publications.pop(resource_id, None)
        if publication is None:
            return False
        for subscription_id in room.players_of(resource_id):
            await self.end_subscription(room, subscription_id)
        await self._stop_recorder(room, publication)
        if publication.drain is not None:
            await publication.drain.stop()
        if publication.pc in self.connections:
            await self._close(publication.pc, self._noop)
        if publication.kind == "camera":
            self.hooks.leave(room.session_id, publication.user_id, _now())
        return True

    async def end_subscription(self, room: Room, resource_id: str) -> bool:
        subscription = room.subscriptions.pop(resource_id, None)
        if subscription is None:
            return False
        subscription.release()
        self.connections.discard(subscription.pc)
        await subscription.pc.close()
        return True

    async def _noop(self) -> None:
        return None

    async def start_recording(self, room: Room) -> None:
        if room.recording:
            return
        room.take = Take.begin(self.recordings_dir, room.session_id)
        for publication in list(room.publications.values()):
            await self._start_recorder(room, publication)

    async def stop_recording(self, room: Room) -> None:
        """Close every participant's file, then compose the take into one file in the background."""
        take = await self._end_take(room)
        if take is not None:
            self._finish_later(take)

    async def _end_take(self, room: Room) -> Take | None:
        for publication in list(room.publications.values()):
            await self._stop_recorder(room, publication)
        take, room.take = room.take, None
        if take is not None:
            take.end()
        return take

    def _finish_later(self, take: Take) -> None:
        task = asyncio.create_task(finish_in_background(take, self.hooks))
        self.finishing.add(task)
        task.add_done_callback(self.finishing.discard)

    def resume_pending_takes(self) -> int:
        """Compose takes a previous run left behind (stopped or interrupted before composing)."""
        takes = pending_takes(self.recordings_dir)
        for take in takes:
            self._finish_later(take)
        return len(takes)

    async def _start_recorder(self, room: Room, publication: Publication) -> None:
        path = room.take.file_for(publication.user_id, publication.kind)
        recorder = ParticipantRecorder(path)
        if publication.video_tap is not None:
            publication.video_tap.want_decoded(True)
        for track in publication.tracks.values():
            recorder.add_track(self.relay.subscribe(track))
        await recorder.start()
        publication.recorder, publication.recording_path, publication.recording_began = recorder, path, _now()

    async def _stop_recorder(self, room: Room, publication: Publication) -> None:
        recorder, path = publication.recorder, publication.recording_path
        publication.recorder, publication.recording_path = None, None
        if recorder is None:
            return
        if publication.video_tap is not None:
            publication.video_tap.want_decoded(False)
        try:
            await recorder.stop()  # writes the trailer, so even an interrupted recording plays
        except Exception:  # a muxing error on the last packets must not stop the clean-up
            log.exception("closing recording %s", path)
        if path is not None and path.exists() and room.take is not None:
            room.take.add(path, publication.recording_began or room.take.started_at)

    async def close_all(self) -> None:
        """On shutdown: stop every recorder cleanly, then close every connection. Takes are left
        with their manifests, to be composed on the next start rather than holding up the exit."""
        for room in list(self.rooms.values()):
            await self._end_take(room)
            for resource_id in list(room.publications):
                await self.end_publication(room, resource_id)
        await asyncio.gather(*(pc.close() for pc in list(self.connections)), return_exceptions=True)
        self.connections.clear()
        self.rooms.clear()
