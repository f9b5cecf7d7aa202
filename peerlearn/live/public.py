"""The live domain's read models: what a participant sees of a room's chat and recordings."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from peerlearn.models import ChatMessage, Recording


class ChatMessagePublic(BaseModel):
    id: int
    user_id: int
    author: str
    body: str
    created_at: datetime


class RecordingPublic(BaseModel):
    id: int
    started_at: datetime
    minutes: int
    url: str  # signed, plays in the page
    download_url: str


def chat_message_public(message: ChatMessage, author: str) -> ChatMessagePublic:
    return ChatMessagePublic.model_validate({**message.model_dump(), "author": author})


def recording_public(recording: Recording, url: str) -> RecordingPublic:
    """`url` is the signed link to play it; the download link is the same with `download=1`."""
    minutes = round(((recording.ended_at or recording.started_at) - recording.started_at).total_seconds() / 60)
    return RecordingPublic.model_validate(
        {**recording.model_dump(), "minutes": minutes, "url": url, "download_url": url + "&download=1"}
    )
