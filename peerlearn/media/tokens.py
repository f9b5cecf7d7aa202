"""Short-lived signed media tokens, checked by the media server without a database round trip.

Format: base64url(JSON claims) + "." + base64url(HMAC-SHA256(secret, claims part)).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime


class MediaTokenError(Exception):
    """`status` is the HTTP answer: 401 for a missing or forged token, 403 for the wrong session or time."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class MediaClaims:
    session_id: int
    user_id: int
    role: str
    not_before: datetime
    expires_at: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), b"media:" + payload.encode(), hashlib.sha256).digest())


def issue_media_token(
    secret: str, session_id: int, user_id: int, role: str, not_before: datetime, expires_at: datetime
) -> str:
    claims = {
        "s": session_id,
        "u": user_id,
        "r": role,
        "nbf": int(not_before.timestamp()),
        "exp": int(expires_at.timestamp()),
    }
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    return f"{payload}.{_mac(secret, payload)}"


def verify_media_token(secret: str, token: str | None, session_id: int, now: datetime) -> MediaClaims:
    if not token or token.count(".") != 1:
        raise MediaTokenError("A media token is required.", 401)
    payload, signature = token.split(".")
    if not hmac.compare_digest(_mac(secret, payload), signature):
        raise MediaTokenError("The media token is not valid.", 401)
    try:
        raw = json.loads(_unb64(payload))
        claims = MediaClaims(
            int(raw["s"]),
            int(raw["u"]),
            str(raw["r"]),
            datetime.fromtimestamp(raw["nbf"], UTC),
            datetime.fromtimestamp(raw["exp"], UTC),
        )
    except (ValueError, KeyError, TypeError):
        raise MediaTokenError("The media token is not valid.", 401) from None
    if claims.session_id != session_id:
        raise MediaTokenError("This token is for another session.", 403)
    if not claims.not_before <= now <= claims.expires_at:
        raise MediaTokenError("This room is not open at this time.", 403)
    return claims
