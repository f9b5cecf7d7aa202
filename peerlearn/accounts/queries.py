"""Reads about the person behind a login token, for pages that need to know who is looking."""

from __future__ import annotations

from pydantic import BaseModel
from sqlmodel import Session

from peerlearn.accounts.actions import signed_in
from peerlearn.models.enums import UserRole


class Viewer(BaseModel):
    """Who is using a page: enough to greet them, guard by role and show times in their zone."""

    id: int
    full_name: str
    email: str
    roles: list[UserRole]
    timezone: str = "UTC"


def viewer_for_token(token: str | None, *, db: Session) -> Viewer:
    """Raises AuthenticationError when the token is missing, expired or revoked."""
    user, profile = signed_in(token, db=db)
    return Viewer(
        id=user.id,
        full_name=user.full_name,
        email=user.email,
        roles=user.roles,
        timezone=profile.timezone if profile and profile.timezone else "UTC",
    )
