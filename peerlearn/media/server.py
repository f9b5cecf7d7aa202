"""The media server: WHIP to publish, WHEP to play, VP8 forwarded as received (else relayed through
MediaRelay), recording on request.

Signalling is plain HTTP: POST an SDP offer, get the SDP answer (201, with a Location to DELETE).
The server gathers its ICE candidates before answering; players may trickle theirs with PATCH.
Every request carries a signed media token issued by the app, in the `Authorization: Bearer` header
only (a token in the URL would end up in access logs); no database is touched here.

Handlers are plain module-level functions. What they share (settings, the room registry, the ICE
configuration) is one `MediaContext` on `app.state.media`; `authorize` is the one token check, and
every handler calls it before it looks at or changes any room. Refusals are raised as
`MediaTokenError` or `MediaRequestError` and turned into the `{"error": {"code", "message"}}` shape
in one place.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from aiortc import MediaStreamTrack, RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.sdp import candidate_from_sdp
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from peerlearn.media import aiortc_compat
from peerlearn.media.hooks import MediaHooks
from peerlearn.media.rooms import Publication, RoomRegistry, Subscription
from peerlearn.media.tokens import MediaClaims, MediaTokenError, verify_media_token

log = logging.getLogger(__name__)

KINDS = ("camera", "screen")
MAX_SDP_BYTES = 64 * 1024  # a browser's offer is a few KB; anything near this is not an offer
ERROR_CODES = {
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
}


@dataclass
class MediaConfig:
    secret: str
    recordings_dir: Path
    ice_servers: list[str] = field(default_factory=list)
    # Origins whose pages may call this server from a browser (the app's own, see media/origins.py);
    # empty: no cross-origin access at all.
    cors_origins: list[str] = field(default_factory=list)
    forward_encoded: bool = True  # False: every relayed video is decoded and re-encoded (aiortc's MediaRelay)
    max_sdp_bytes: int = MAX_SDP_BYTES
    # A publisher or player that vanishes without a DELETE (a killed tab, a lost network) stops answering ICE
    # consent checks; its connection fails after about this long, which ends its publication or subscription.
    ice_timeout_seconds: float = 15.0


@dataclass
class MediaContext:
    """What every handler reaches through `request.app.state.media`."""

    config: MediaConfig
    registry: RoomRegistry
    rtc_config: RTCConfiguration

    def new_peer(self) -> RTCPeerConnection:
        return RTCPeerConnection(configuration=self.rtc_config)


class MediaRequestError(Exception):
    """A request refused with `status` (4xx) before it changed anything."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    code = ERROR_CODES.get(status, "bad_request")
    return JSONResponse({"error": {"code": code, "message": message}}, status, headers=headers)


async def _refused(_: Request, error: Exception) -> Response:
    """Starlette's handler for MediaTokenError and MediaRequestError (both carry `status`)."""
    status = getattr(error, "status", 400)
    return _error(status, str(error), {"Allow": "DELETE"} if status == 405 else None)


def _media(request: Request) -> MediaContext:
    return request.app.state.media


def authorize(request: Request) -> MediaClaims:
    """The one token check: a valid `Authorization: Bearer` media token for the session in the path
    (401 missing or forged, 403 another session or outside its time). Query strings are not read."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    bearer = token.strip() if scheme.lower() == "bearer" else None
    session_id = int(request.path_params["session_id"])
    return verify_media_token(_media(request).config.secret, bearer, session_id, datetime.now(UTC))


async def read_text(request: Request, content_type: str | None = None) -> str:
    """The request body as text, refused with 415 for another content type and with 413 past
    `max_sdp_bytes` (by its Content-Length, or while it streams in) before anything parses it."""
    if content_type is not None and content_type not in request.headers.get("content-type", ""):
        raise MediaRequestError(415, f"Send the SDP as {content_type}.")
    limit = _media(request).config.max_sdp_bytes
    too_large = MediaRequestError(413, f"The SDP is over the {limit:,}-byte limit.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    try:
        return body.decode()
    except UnicodeDecodeError:
        raise MediaRequestError(400, "The SDP is not UTF-8 text.") from None


async def read_offer(request: Request) -> RTCSessionDescription:
    return RTCSessionDescription(sdp=await read_text(request, "application/sdp"), type="offer")


@contextlib.asynccontextmanager
async def _offer_checked(pc: RTCPeerConnection) -> AsyncIterator[None]:
    """Around aiortc's handling of a client's offer: what it cannot use closes `pc` and is a 400."""
    try:
        yield
    except Exception as error:  # aiortc raises ValueError, AssertionError, ... for offers it cannot use
        log.info("refused an SDP offer: %r", error)
        await pc.close()
        raise MediaRequestError(400, "That SDP offer cannot be used.") from None


async def _apply_offer(pc: RTCPeerConnection, offer: RTCSessionDescription) -> None:
    async with _offer_checked(pc):
        await pc.setRemoteDescription(offer)
        if not pc.getTransceivers():
            raise ValueError("the offer has no audio or video")


async def _answer(pc: RTCPeerConnection, location: str) -> Response:
    async with _offer_checked(pc):
        await pc.setLocalDescription(await pc.createAnswer())
    return Response(pc.localDescription.sdp, 201, media_type="application/sdp", headers={"Location": location})


async def add_trickled_candidates(pc: RTCPeerConnection, fragment: str) -> None:
    """Apply the a=candidate lines of an SDP fragment (RFC 8840) to the connection."""
    mid = None
    for line in fragment.splitlines():
        if line.startswith("a=mid:"):
            mid = line[6:].strip()
        elif line.startswith("a=candidate:"):
            with contextlib.suppress(Exception):  # a candidate we cannot parse or use is just skipped
                candidate = candidate_from_sdp(line[2:].strip())
                candidate.sdpMid = mid or (pc.getTransceivers()[0].mid if pc.getTransceivers() else "0")
                await pc.addIceCandidate(candidate)


# ------------------------------------------------------------------------------------------- WHIP
async def whip(request: Request) -> Response:
    """Publish a camera (with microphone) or a screen into the session's room."""
    claims = authorize(request)
    media, session_id = _media(request), claims.session_id
    kind = request.query_params.get("kind", "camera")
    if kind not in KINDS:
        raise MediaRequestError(400, "kind is camera or screen.")
    offer = await read_offer(request)
    registry = media.registry
    pc = media.new_peer()
    publication = Publication(registry.new_resource_id(), claims.user_id, kind, pc)

    @pc.on("track")
    def _on_track(track: MediaStreamTrack) -> None:
        publication.tracks[track.kind] = track

    @pc.on("connectionstatechange")
    async def _connected() -> None:
        if pc.connectionState == "connected" and kind == "camera":
            registry.hooks.join(session_id, claims.user_id, datetime.now(UTC))

    await _apply_offer(pc, offer)  # the tracks are known from here; nothing in the room has changed yet
    room = registry.room(session_id)

    async def _gone() -> None:
        await registry.end_publication(room, publication.resource_id)

    registry.track(pc, _gone)
    await registry.add_publication(room, publication)
    return await _answer(pc, f"/media/whip/{session_id}/{publication.resource_id}")


async def whip_resource(request: Request) -> Response:
    """DELETE ends a publication (its publisher only); trickling to a publication is not offered."""
    claims = authorize(request)
    registry = _media(request).registry
    room = registry.rooms.get(claims.session_id)
    publication = room.publications.get(request.path_params["resource_id"]) if room else None
    if room is None or publication is None:
        raise MediaRequestError(404, "No such publication.")
    if request.method == "PATCH":
        raise MediaRequestError(405, "Publishers do not trickle candidates here.")
    if publication.user_id != claims.user_id:
        raise MediaRequestError(403, "Only its publisher can end a publication.")
    await registry.end_publication(room, publication.resource_id)
    return Response(status_code=200)


# ------------------------------------------------------------------------------------------- WHEP
async def whep(request: Request) -> Response:
    """Play one participant's camera or screen."""
    claims = authorize(request)
    media, session_id = _media(request), claims.session_id
    publisher_id = int(request.path_params["publisher_id"])
    room = media.registry.rooms.get(session_id)
    publication = room.publisher(publisher_id, request.query_params.get("kind", "camera")) if room else None
    if room is None or publication is None:
        raise MediaRequestError(404, "That participant is not publishing.")
    offer = await read_offer(request)
    pc = media.new_peer()
    try:
        release = media.registry.subscribe(pc, publication, offer.sdp)
    except Exception:  # the offer's SDP could not be read
        await pc.close()
        raise MediaRequestError(400, "That SDP offer cannot be used.") from None
    try:
        await _apply_offer(pc, offer)
    except MediaRequestError:
        release()
        raise
    if room.publications.get(publication.resource_id) is not publication:  # it ended while the offer was read
        release()
        await pc.close()
        raise MediaRequestError(404, "That participant is not publishing.")
    resource_id = media.registry.new_resource_id()
    room.subscriptions[resource_id] = Subscription(claims.user_id, pc, publication.resource_id, release)

    async def _gone() -> None:
        if room.subscriptions.pop(resource_id, None) is not None:
            release()

    media.registry.track(pc, _gone)
    return await _answer(pc, f"/media/whep/{session_id}/{publisher_id}/{resource_id}")


async def whep_options(request: Request) -> Response:
    """Players ask for ICE servers first (as Link headers)."""
    links = ", ".join(f'<{url}>; rel="ice-server"' for url in _media(request).config.ice_servers)
    return Response(status_code=204, headers={"Link": links} if links else {})


async def whep_resource(request: Request) -> Response:
    """PATCH trickles a player's candidates; DELETE ends its subscription (that player only)."""
    registry = _media(request).registry
    resource_id = request.path_params["resource_id"]
    if request.method == "PATCH":
        # The unguessable resource id is the capability (players send no token here).
        room = registry.rooms.get(int(request.path_params["session_id"]))
        subscription = room.subscriptions.get(resource_id) if room else None
        if subscription is None:
            raise MediaRequestError(404, "No such subscription.")
        await add_trickled_candidates(subscription.pc, await read_text(request))
        return Response(status_code=204)
    claims = authorize(request)
    room = registry.rooms.get(claims.session_id)
    subscription = room.subscriptions.get(resource_id) if room else None
    if room is None or subscription is None:
        raise MediaRequestError(404, "No such subscription.")
    if subscription.user_id != claims.user_id:
        raise MediaRequestError(403, "Only its player can end a subscription.")
    await registry.end_subscription(room, resource_id)
    return Response(status_code=200)


# ------------------------------------------------------------------------------- room, recording
async def room_state(request: Request) -> Response:
    claims = authorize(request)
    room = _media(request).registry.rooms.get(claims.session_id)
    publications = room.publications.values() if room else ()
    return JSONResponse(
        {
            "session_id": claims.session_id,
            "recording": bool(room and room.recording),
            # `publication` changes when its publisher publishes again (a reload, a new device or network):
            # players of the old one are cut off and follow the new one by asking WHEP again.
            "publishers": [{"user_id": p.user_id, "kind": p.kind, "publication": p.resource_id} for p in publications],
        }
    )


async def recording(request: Request) -> Response:
    """The mentor starts or stops recording the room."""
    claims = authorize(request)
    if claims.role != "mentor":
        raise MediaRequestError(403, "Only the mentor can start or stop recording.")
    action = request.path_params["action"]
    if action not in ("start", "stop"):
        raise MediaRequestError(404, "Use start or stop.")
    registry = _media(request).registry
    room = registry.room(claims.session_id)
    if action == "start":
        await registry.start_recording(room)
    else:
        await registry.stop_recording(room)
    return JSONResponse({"session_id": claims.session_id, "recording": room.recording})


async def health(request: Request) -> Response:
    registry = _media(request).registry
    return JSONResponse(
        {"rooms": len(registry.rooms), "connections": len(registry.connections), "composing": len(registry.finishing)}
    )


@contextlib.asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    registry = app.state.media.registry
    registry.resume_pending_takes()
    yield
    await registry.close_all()
    await asyncio.to_thread(registry.hooks.flush)


ROUTES = [
    Route("/media/whip/{session_id:int}", whip, methods=["POST"]),
    Route("/media/whip/{session_id:int}/{resource_id}", whip_resource, methods=["DELETE", "PATCH"]),
    Route("/media/whep/{session_id:int}/{publisher_id:int}", whep, methods=["POST"]),
    Route("/media/whep/{session_id:int}/{publisher_id:int}", whep_options, methods=["OPTIONS"]),
    Route("/media/whep/{session_id:int}/{publisher_id:int}/{resource_id}", whep_resource, methods=["DELETE", "PATCH"]),
    Route("/media/rooms/{session_id:int}", room_state, methods=["GET"]),
    Route("/media/rooms/{session_id:int}/recording/{action}", recording, methods=["POST"]),
    Route("/media/health", health, methods=["GET"]),
]


def create_media_app(config: MediaConfig, hooks: MediaHooks | None = None) -> Starlette:
    aiortc_compat.set_ice_timeout(config.ice_timeout_seconds)
    cors = Middleware(
        CORSMiddleware,
        allow_origins=config.cors_origins,
        allow_methods=["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
        allow_headers=["Authorization", "Content-Type", "ETag"],
        expose_headers=["Location"],
    )
    app = Starlette(
        middleware=[cors],
        routes=ROUTES,
        exception_handlers={MediaTokenError: _refused, MediaRequestError: _refused},
        lifespan=lifespan,
    )
    app.state.media = MediaContext(
        config=config,
        registry=RoomRegistry(hooks or MediaHooks(), config.recordings_dir, config.forward_encoded),
        rtc_config=RTCConfiguration(iceServers=[RTCIceServer(urls=url) for url in config.ice_servers]),
    )
    return app
