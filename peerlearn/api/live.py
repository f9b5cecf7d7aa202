"""/api/sessions/{id}/media-token|start|chat/: the app's side of a live room."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from pydantic import BaseModel

from peerlearn.accounts.actions import user_for_token
from peerlearn.api.deps import DB, CurrentUser, Mentor, Token, route
from peerlearn.api.errors import AUTHENTICATED
from peerlearn.api.params import MAX_ID, AfterId, Id, OptionalId
from peerlearn.live import room as live_room
from peerlearn.live.public import ChatMessagePublic
from peerlearn.models.inputs import ChatText

router = APIRouter(tags=["live"])


class ChatIn(BaseModel):
    body: ChatText


@route(
    router,
    "POST",
    "/api/sessions/{session_id}/media-token/",
    response_model=live_room.MediaTokenResponse,
    responses=AUTHENTICATED,
)
def media_token(session_id: Id, user: CurrentUser, db: DB) -> live_room.MediaTokenResponse:
    return live_room.issue_room_token(user, session_id, db=db)


@route(router, "POST", "/api/sessions/{session_id}/start/", responses=AUTHENTICATED)
def start_room(session_id: Id, mentor: Mentor, db: DB) -> dict:
    session = live_room.open_room_early(mentor, session_id, db=db)
    return {"session_id": session.id, "room_opened_at": session.room_opened_at}


@route(
    router,
    "GET",
    "/api/sessions/{session_id}/chat/",
    response_model=list[ChatMessagePublic],
    responses=AUTHENTICATED,
)
def chat_history(session_id: Id, user: CurrentUser, db: DB, after_id: AfterId = 0) -> list[ChatMessagePublic]:
    return live_room.chat_history(user, session_id, after_id=after_id, db=db)


@route(router, "POST", "/api/sessions/{session_id}/chat/", status_code=201, responses=AUTHENTICATED)
def post_chat(session_id: Id, data: ChatIn, user: CurrentUser, db: DB) -> dict:
    message = live_room.post_chat(user, session_id, data.body, db=db)
    return {"id": message.id, "body": message.body}


@route(router, "GET", "/api/sessions/{session_id}/recordings/{recording_id}/", responses=AUTHENTICATED)
def recording_file(
    session_id: Id,
    recording_id: Id,
    token: Token,
    db: DB,
    user: OptionalId = None,
    expires: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
    signature: Annotated[str | None, Query(max_length=200)] = None,
    download: bool = False,
) -> FileResponse:
    """Plays in the page (ranges supported) or, with ``download=1``, saves as a file. Authorised by
    a bearer token or by the signed link the session page hands out."""
    if token:
        recording = live_room.recording_file(user_for_token(token, db=db), session_id, recording_id, db=db)
    else:
        recording = live_room.recording_by_link(session_id, recording_id, user, expires, signature, db=db)
    return FileResponse(
        recording.path,
        media_type="video/mp4",
        filename=f"peerlearn-session-{session_id}-{recording.id}.mp4",
        content_disposition_type="attachment" if download else "inline",
    )
