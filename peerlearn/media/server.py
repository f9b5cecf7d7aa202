"""The media server: WHIP to publish, WHEP to play, VP8 forwarded as received (else relayed through
MediaRelay), recording on request.

Signalling is plain HTTP: POST an SDP offer, get the SDP answer (201, with a Location to DELETE).
The server gathers its ICE candidates before answering; players may trickle theirs with PATCH.
Every request carries a signed media token issued by the app; no database is touched here.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from aiortc import RTCConfiguration, RTCIceServer, RTCPeerConnection, RTCSessionDescription
from aiortc.sdp import candidate_from_sdp
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from peerlearn.media.hooks import MediaHooks
from peerlearn.media.rooms import Publication, RoomRegistry
from peerlearn.media.tokens import MediaClaims, MediaTokenError, verify_media_token

KINDS = ("camera", "screen")


@dataclass
class MediaConfig:
    secret: str
    recordings_dir: Path
    ice_servers: list[str] = field(default_factory=list)
    cors_origins: list[str] = field(default_factory=lambda: ["*"])
    forward_encoded: bool = True  # False: every relayed video is decoded and re-encoded (aiortc's MediaRelay)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse(
        {
            "error": {
                "code": {401: "unauthenticated", 403: "forbidden", 404: "not_found"}.get(status, "bad_request"),
                "message": message,
            }
        },
        status,
    )


async def add_trickled_candidates(pc: RTCPeerConnection, fragment: str) -> None:
    """Apply the a=candidate lines of an SDP fragment (RFC 8840) to the connection."""
    mid = None
    for line in fragment.splitlines():
        if line.startswith("a=mid:"):
            mid = line[6:].strip()
        elif line.startswith("a=candidate:"):
            candidate = candidate_from_sdp(line[2:].strip())
            candidate.sdpMid = mid or (pc.getTransceivers()[0].mid if pc.getTransceivers() else "0")
            with contextlib.suppress(Exception):  # a candidate we cannot use is just skipped
                await pc.addIceCandidate(candidate)


def create_media_app(config: MediaConfig, hooks: MediaHooks | None = None) -> Starlette:
    registry = RoomRegistry(hooks or MediaHooks(), config.recordings_dir, config.forward_encoded)
    rtc_config = RTCConfiguration(iceServers=[RTCIceServer(urls=url) for url in config.ice_servers])

    def claims_for(request: Request, session_id: int) -> MediaClaims:
        header = request.headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else request.query_params.get("token")
        return verify_media_token(config.secret, token, session_id, datetime.now(UTC))

    async def negotiate(request: Request) -> tuple[RTCPeerConnection, RTCSessionDescription] | Response:
        if "application/sdp" not in request.headers.get("content-type", ""):
            return _error(415, "Send the SDP offer as application/sdp.")
        offer = RTCSessionDescription(sdp=(await request.body()).decode(), type="offer")
        return RTCPeerConnection(configuration=rtc_config), offer

    async def answer(pc: RTCPeerConnection, offer: RTCSessionDescription, location: str) -> Response:
        await pc.setRemoteDescription(offer)
        await pc.setLocalDescription(await pc.createAnswer())
        return Response(
            pc.localDescription.sdp,
            201,
            media_type="application/sdp",
            headers={"Location": location, "Access-Control-Expose-Headers": "Location"},
        )

    async def whip(request: Request) -> Response:
        session_id = int(request.path_params["session_id"])
        kind = request.query_params.get("kind", "camera")
        if kind not in KINDS:
            return _error(400, "kind is camera or screen.")
        try:
            claims = claims_for(request, session_id)
        except MediaTokenError as error:
            return _error(error.status, str(error))
        negotiated = await negotiate(request)
        if isinstance(negotiated, Response):
            return negotiated
        pc, offer = negotiated
        room = registry.room(session_id)
        publication = Publication(registry.new_resource_id(), claims.user_id, kind, pc)

        @pc.on("track")
        def _on_track(track) -> None:  # noqa: ANN001
            publication.tracks[track.kind] = track

        @pc.on("connectionstatechange")
        async def _connected() -> None:
            if pc.connectionState == "connected" and kind == "camera":
                registry.hooks.join(session_id, claims.user_id, datetime.now(UTC))

        async def _gone() -> None:
            await registry.end_publication(room, publication.resource_id)

        registry.track(pc, _gone)
        await pc.setRemoteDescription(offer)
        await registry.add_publication(room, publication)
        await pc.setLocalDescription(await pc.createAnswer())
        location = f"/media/whip/{session_id}/{publication.resource_id}"
        return Response(
            pc.localDescription.sdp,
            201,
            media_type="application/sdp",
            headers={"Location": location, "Access-Control-Expose-Headers": "Location"},
        )

    async def whip_resource(request: Request) -> Response:
        session_id = int(request.path_params["session_id"])
        try:
            claims = claims_for(request, session_id)
        except MediaTokenError as error:
            return _error(error.status, str(error))
        room = registry.room(session_id)
        publication = room.publications.get(request.path_params["resource_id"])
        if publication is None:
            return _error(404, "No such publication.")
        if request.method == "PATCH":
            return Response(status_code=405, headers={"Allow": "DELETE"})
        if publication.user_id != claims.user_id:
            return _error(403, "Only its publisher can end a publication.")
        await registry.end_publication(room, publication.resource_id)
        return Response(status_code=200)

    async def whep(request: Request) -> Response:
        session_id, publisher_id = int(request.path_params["session_id"]), int(request.path_params["publisher_id"])
        try:
            claims_for(request, session_id)
        except MediaTokenError as error:
            return _error(error.status, str(error))
        publication = registry.room(session_id).publisher(publisher_id, request.query_params.get("kind", "camera"))
        if publication is None:
            return _error(404, "That participant is not publishing.")
        negotiated = await negotiate(request)
        if isinstance(negotiated, Response):
            return negotiated
        pc, offer = negotiated
        resource_id = registry.new_resource_id()
        room = registry.room(session_id)
        room.subscriptions[resource_id] = pc

        release = registry.subscribe(pc, publication, offer.sdp)

        async def _gone() -> None:
            room.subscriptions.pop(resource_id, None)
            release()

        registry.track(pc, _gone)
        return await answer(pc, offer, f"/media/whep/{session_id}/{publisher_id}/{resource_id}")

    async def whep_options(request: Request) -> Response:
        """Players ask for ICE servers first (as Link headers)."""
        links = ", ".join(f'<{url}>; rel="ice-server"' for url in config.ice_servers)
        return Response(status_code=204, headers={"Link": links} if links else {})

    async def whep_resource(request: Request) -> Response:
        session_id = int(request.path_params["session_id"])
        room = registry.room(session_id)
        if request.method == "PATCH":
            # Trickled candidates: the unguessable resource id is the capability (players send no token here).
            pc = room.subscriptions.get(request.path_params["resource_id"])
            if pc is None:
                return _error(404, "No such subscription.")
            await add_trickled_candidates(pc, (await request.body()).decode())
            return Response(status_code=204)
        try:
            claims_for(request, session_id)
        except MediaTokenError as error:
            return _error(error.status, str(error))
        pc = room.subscriptions.pop(request.path_params["resource_id"], None)
        if pc is None:
            return _error(404, "No such subscription.")
        await pc.close()
        return Response(status_code=200)

    async def room_state(request: Request) -> Response:
        session_id = int(request.path_params["session_id"])
        try:
            claims_for(request, session_id)
        except MediaTokenError as error:
            return _error(error.status, str(error))
        room = registry.room(session_id)
        return JSONResponse(
            {
                "session_id": session_id,
                "recording": room.recording,
                "publishers": [{"user_id": p.user_id, "kind": p.kind} for p in room.publications.values()],
            }
        )

    async def recording(request: Request) -> Response:
        session_id = int(request.path_params["session_id"])
        try:
            claims = claims_for(request, session_id)
        except MediaTokenError as error:
            return _error(error.status, str(error))
        if claims.role != "mentor":
            return _error(403, "Only the mentor can start or stop recording.")
        room = registry.room(session_id)
        if request.path_params["action"] == "start":
            await registry.start_recording(room)
        elif request.path_params["action"] == "stop":
            await registry.stop_recording(room)
        else:
            return _error(404, "Use start or stop.")
        return JSONResponse({"session_id": session_id, "recording": room.recording})

    async def health(_: Request) -> Response:
        return JSONResponse(
            {
                "rooms": len(registry.rooms),
                "connections": len(registry.connections),
                "composing": len(registry.finishing),
            }
        )

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette):
        registry.resume_pending_takes()
        yield
        await registry.close_all()

    app = Starlette(
        middleware=[
            Middleware(
                CORSMiddleware,
                allow_origins=config.cors_origins,
                allow_methods=["*"],
                allow_headers=["*"],
                expose_headers=["Location"],
            )
        ],
        routes=[
            Route("/media/whip/{session_id:int}", whip, methods=["POST"]),
            Route("/media/whip/{session_id:int}/{resource_id}", whip_resource, methods=["DELETE", "PATCH"]),
            Route("/media/whep/{session_id:int}/{publisher_id:int}", whep, methods=["POST"]),
            Route("/media/whep/{session_id:int}/{publisher_id:int}", whep_options, methods=["OPTIONS"]),
            Route(
                "/media/whep/{session_id:int}/{publisher_id:int}/{resource_id}",
                whep_resource,
                methods=["DELETE", "PATCH"],
            ),
            Route("/media/rooms/{session_id:int}", room_state, methods=["GET"]),
            Route("/media/rooms/{session_id:int}/recording/{action}", recording, methods=["POST"]),
            Route("/media/health", health, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.registry = registry
    return app
