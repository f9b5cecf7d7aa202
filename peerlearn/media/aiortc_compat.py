"""Every use of aiortc's private internals, in one place, for the aiortc version pinned in requirements.txt.

aiortc has no public hook for a receiver's encoded frames or a sender's keyframe requests, and forwarding
VP8 without re-encoding (media/forwarding.py) needs both. Written against **aiortc 1.16.0** (with aioice
0.13.0; no aioice private is used). The privates relied on:

- `RTCRtpReceiver._RTCRtpReceiver__decoder_queue` (instance attribute, a `queue.Queue`): read, then
  replaced by the tap. The receiver `put`s `(codec, frame)` for each complete frame and `None` when it
  stops; its decoder thread `get`s from it.
- `RTCRtpReceiver._RTCRtpReceiver__rtx_ssrc` (instance attribute, a dict): the retransmission SSRCs, so
  a keyframe request names the media SSRC.
- `RTCRtpReceiver._send_rtcp_pli(media_ssrc)` (coroutine method): ask the publisher for a keyframe.
- `RTCRtpSender._send_keyframe()` (method, replaced per sender): called when a player sends PLI or FIR.
- the queued frame's `codec.mimeType`, `frame.data`, `frame.timestamp` (aiortc's `JitterFrame`): the
  reassembled VP8 frame and its RTP timestamp.

From aioice, two module constants (public names, not documented as settings): `aioice.ice.CONSENT_INTERVAL`
(seconds between consent checks, RFC 7675) and `aioice.ice.CONSENT_FAILURES` (missed checks before the connection
is closed, which aiortc reports as a failed connection). `set_ice_timeout` sets them, so a peer that vanished
without a word (a killed tab, a lost network) is noticed in `MEDIA_ICE_TIMEOUT_SECONDS` instead of aioice's 30 s.

Also relied on, though public in effect: a sender packetises an `av.Packet` it is given as it is (the path
`MediaPlayer(decode=False)` uses). `tests/media/test_aiortc_compat.py` fails, saying what to re-check, when
the installed aiortc is not a version listed in `SUPPORTED_VERSIONS` or one of these privates is gone. At run
time a version mismatch is logged, and a receiver without the decoder queue is not tapped: its room falls back
to the re-encoding relay.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Collection, Coroutine
from typing import Any, Protocol

import aioice.ice
import aiortc
from aiortc import RTCRtpReceiver, RTCRtpSender

log = logging.getLogger(__name__)

SUPPORTED_VERSIONS = ("1.16.0",)

_DECODER_QUEUE = "_RTCRtpReceiver__decoder_queue"
_RTX_SSRC = "_RTCRtpReceiver__rtx_ssrc"
_SEND_PLI = "_send_rtcp_pli"
_SEND_KEYFRAME = "_send_keyframe"


class FrameQueue(Protocol):
    """What the receiver and its decoder thread do with the decoder queue (a `queue.Queue` in aiortc)."""

    def put(self, item: Any) -> None: ...

    def get(self, *args: Any, **kwargs: Any) -> Any: ...


def installed_version() -> str:
    return aiortc.__version__


def version_problem() -> str | None:
    """Why the installed aiortc may not match this module, or None when it is a version it was written for."""
    if installed_version() in SUPPORTED_VERSIONS:
        return None
    return (
        f"aiortc {installed_version()} is installed, but peerlearn/media/aiortc_compat.py was written for "
        f"{', '.join(SUPPORTED_VERSIONS)}: re-check every private its docstring lists against the new aiortc "
        "source, then add the version to SUPPORTED_VERSIONS (or pin aiortc back in requirements.txt)."
    )


def missing_privates(receiver: RTCRtpReceiver, sender: RTCRtpSender) -> list[str]:
    """The privates this module uses that are absent from these objects or no longer used as relied on."""
    missing = []
    queue = getattr(receiver, _DECODER_QUEUE, None)
    if queue is None or not (hasattr(queue, "put") and hasattr(queue, "get")):
        missing.append(f"RTCRtpReceiver.{_DECODER_QUEUE} (a queue with put/get)")
    if not isinstance(getattr(receiver, _RTX_SSRC, None), dict):
        missing.append(f"RTCRtpReceiver.{_RTX_SSRC} (a dict)")
    if not inspect.iscoroutinefunction(getattr(receiver, _SEND_PLI, None)):
        missing.append(f"RTCRtpReceiver.{_SEND_PLI} (a coroutine)")
    if not callable(getattr(sender, _SEND_KEYFRAME, None)):
        missing.append(f"RTCRtpSender.{_SEND_KEYFRAME} (a method)")
    # The hooks only work if aiortc still goes through them: read where it does.
    uses = {
        f"RTCRtpReceiver puts frames into {_DECODER_QUEUE}": (RTCRtpReceiver, "self.__decoder_queue.put("),
        f"RTCRtpSender calls {_SEND_KEYFRAME} on PLI/FIR": (RTCRtpSender, "self._send_keyframe()"),
    }
    for what, (cls, needle) in uses.items():
        if needle not in inspect.getsource(cls):
            missing.append(what)
    return missing


def decoder_queue(receiver: RTCRtpReceiver) -> FrameQueue | None:
    """The receiver's decoder queue, or None (with a warning) when this aiortc has none to tap."""
    queue = getattr(receiver, _DECODER_QUEUE, None)
    if queue is None or not hasattr(receiver, _SEND_PLI):
        log.warning(
            "this aiortc (%s) has no decoder queue to tap: video is relayed by re-encoding", installed_version()
        )
        return None
    return queue


def replace_decoder_queue(receiver: RTCRtpReceiver, queue: FrameQueue) -> None:
    """Frames the receiver reassembles go to `queue` from now on (so does its decoder thread, if it starts later)."""
    setattr(receiver, _DECODER_QUEUE, queue)


def retransmission_ssrcs(receiver: RTCRtpReceiver) -> Collection[int]:
    return getattr(receiver, _RTX_SSRC, {})


def send_picture_loss(receiver: RTCRtpReceiver, media_ssrc: int) -> Coroutine[Any, Any, None]:
    """The coroutine that sends the publisher an RTCP PLI for `media_ssrc`."""
    return getattr(receiver, _SEND_PLI)(media_ssrc)


def on_keyframe_request(sender: RTCRtpSender, callback: Callable[[], None]) -> None:
    """Call `callback` instead of asking this sender's encoder for a keyframe when its player sends PLI/FIR."""
    setattr(sender, _SEND_KEYFRAME, callback)


ICE_CONSENT_CHECKS = 5  # missed consent checks in a row that end a connection


def set_ice_timeout(seconds: float) -> None:
    """End a connection whose peer stopped answering ICE consent checks after about `seconds` (every check waits
    0.5 s for its answer, and checks are spread 0.8-1.2 x `seconds / ICE_CONSENT_CHECKS` apart). Process-wide."""
    aioice.ice.CONSENT_FAILURES = ICE_CONSENT_CHECKS
    aioice.ice.CONSENT_INTERVAL = max(0.2, seconds / ICE_CONSENT_CHECKS - 0.5)


def ice_timeout() -> float:
    """The timeout `set_ice_timeout` set (aioice's own default: about 33 s)."""
    return aioice.ice.CONSENT_FAILURES * (aioice.ice.CONSENT_INTERVAL + 0.5)


if (_problem := version_problem()) is not None:
    log.warning(_problem)
