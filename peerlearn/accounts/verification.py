"""A mentor asks to be verified; the admins see the request in their queue (`queries.mentors_to_verify`) and
decide it (`actions.decide_verification`). One request waits at a time; a verified mentor has nothing to ask; a
rejected one may ask again (saying what the admin can check now)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session

from peerlearn import links
from peerlearn.accounts.actions import require_role
from peerlearn.models import MentorProfile, User
from peerlearn.models.enums import NotificationKind, UserRole, VerificationStatus
from peerlearn.models.types import saved_id, utcnow
from peerlearn.platform.errors import ConflictError, ErrorCode, NotFoundError, ValidationError
from peerlearn.platform.locks import lock_row
from peerlearn.platform.notifications import notify_admins
from peerlearn.platform.timefmt import format_for_user

NOTE_MAX = 300


class VerificationPublic(BaseModel):
    """Where a mentor's verification stands, as their desk shows it."""

    status: VerificationStatus
    requested_at: datetime | None
    note: str


def verification_of(mentor: User, *, db: Session) -> VerificationPublic:
    require_role(mentor, UserRole.MENTOR)
    profile = db.get(MentorProfile, saved_id(mentor))
    if profile is None:
        raise NotFoundError("No mentor profile.")
    return VerificationPublic(
        status=profile.verification_status,
        requested_at=profile.verification_requested_at,
        note=profile.verification_note,
    )


def request_verification(
    mentor: User, note: str = "", *, db: Session, now: datetime | None = None
) -> VerificationPublic:
    """Ask the admins to verify this mentor; `note`: what they can check (a profile link, a portfolio)."""
    require_role(mentor, UserRole.MENTOR)
    note = " ".join(note.split())
    if len(note) > NOTE_MAX:
        raise ValidationError(f"Keep it under {NOTE_MAX} characters: a link or two is enough.")
    profile = lock_row(MentorProfile, saved_id(mentor), db=db)  # two clicks at once make one request
    if profile is None:
        raise NotFoundError("No mentor profile.")
    if profile.verification_status == VerificationStatus.VERIFIED:
        raise ConflictError("You are already verified.", ErrorCode.INVALID_STATE)
    if profile.verification_status == VerificationStatus.PENDING:
        since = (
            f" since {format_for_user(profile.verification_requested_at, mentor.id, db=db)}"
            if profile.verification_requested_at
            else ""
        )
        raise ConflictError(
            f"Your request is already waiting for an admin{since}. One request at a time.", ErrorCode.INVALID_STATE
        )
    now = now or utcnow()
    profile.verification_status = VerificationStatus.PENDING
    profile.verification_requested_at, profile.verification_note = now, note
    db.add(profile)
    notify_admins(
        NotificationKind.SYSTEM,
        f"Verification asked: {mentor.full_name}",
        body=note or "No note.",
        link=links.INSIGHTS,
        db=db,
        email=False,
    )
    db.flush()
    return VerificationPublic(status=profile.verification_status, requested_at=now, note=note)
