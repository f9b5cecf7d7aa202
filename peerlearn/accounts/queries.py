"""Reads about the person behind a login token, for pages that need to know who is looking."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session, col, select

from peerlearn.accounts.actions import UNDECIDED, signed_in
from peerlearn.models import MentorProfile, User
from peerlearn.models.enums import UserRole, VerificationStatus


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


class MentorToVerify(BaseModel):
    user_id: int
    full_name: str
    email: str
    headline: str
    expertise: list[str]
    status: VerificationStatus
    requested_at: datetime | None = None  # when they asked to be verified (pending only)
    note: str = ""  # what they asked the admin to check


def mentors_to_verify(*, db: Session, limit: int = 50) -> list[MentorToVerify]:
    """Active mentors an admin has not decided on yet: those who asked (pending) first, the longest waiting first,
    then the never checked."""
    rows = db.exec(
        select(MentorProfile, User)
        .join(User, col(User.id) == MentorProfile.user_id)
        .where(col(MentorProfile.verification_status).in_(UNDECIDED), col(User.is_mentor), col(User.is_active))
        .order_by(
            col(MentorProfile.verification_status) != VerificationStatus.PENDING,
            col(MentorProfile.verification_requested_at).is_(None),
            col(MentorProfile.verification_requested_at),
            col(User.id),
        )
        .limit(limit)
    ).all()
    return [
        MentorToVerify(
            user_id=m.user_id,
            full_name=u.full_name,
            email=u.email,
            headline=m.headline,
            expertise=m.expertise,
            status=m.verification_status,
            requested_at=m.verification_requested_at if m.verification_status == VerificationStatus.PENDING else None,
            note=m.verification_note if m.verification_status == VerificationStatus.PENDING else "",
        )
        for m, u in rows
    ]
