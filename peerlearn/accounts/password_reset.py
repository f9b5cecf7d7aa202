"""Password reset by email: the way back in for an owner whatever the log-in throttle says.

`request_password_reset` always behaves the same, whether or not the email has an account (same answer, and
the mail goes out after the commit from a background thread), so it cannot be used to find out who has one.
A reset link holds a random token; only its SHA-256 is stored, it expires after `PASSWORD_RESET_TTL_MINUTES`,
and it works once: using it (under a row lock) spends it and every other link of that account, sets the new
password (same policy as sign-up), ends every login and clears the account's log-in throttling.
At most MAX_LINKS_PER_WINDOW links are mailed per account per window, so nobody can flood a mailbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, func, select, update

from peerlearn import links
from peerlearn.accounts.password_policy import require_strong_password
from peerlearn.accounts.security import hash_password, hash_token, new_token
from peerlearn.config import get_settings
from peerlearn.models import AuthToken, PasswordResetToken, User
from peerlearn.models.enums import NotificationKind
from peerlearn.models.types import saved_id, utcnow
from peerlearn.platform import notifications, throttle
from peerlearn.platform.errors import ErrorCode, ValidationError
from peerlearn.platform.locks import lock_row
from peerlearn.platform.mailer import send_after_commit

MAX_LINKS_PER_WINDOW = 3
LINK_WINDOW = timedelta(hours=1)
RESET_PATH = "/reset-password"


class ResetTokenError(ValidationError):
    code = ErrorCode.RESET_TOKEN_INVALID


def request_password_reset(email: str, *, client: str, db: Session, now: datetime | None = None) -> None:
    """Mail a reset link if `email` has an active account; tells the caller nothing either way (a client asking
    too often, for any emails, is refused before the email is even looked up)."""
    throttle.get_login_throttle().count_reset_request(client)
    now = now or utcnow()
    user = db.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.is_active:
        return
    recent = db.exec(
        select(func.count())
        .select_from(PasswordResetToken)
        .where(PasswordResetToken.user_id == user.id, PasswordResetToken.created_at > now - LINK_WINDOW)
    ).one()
    if recent >= MAX_LINKS_PER_WINDOW:
        return
    settings = get_settings()
    token = new_token()
    ttl = timedelta(minutes=settings.password_reset_ttl_minutes)
    db.add(
        PasswordResetToken(user_id=saved_id(user), token_hash=hash_token(token), created_at=now, expires_at=now + ttl)
    )
    db.flush()
    send_after_commit(
        db,
        user.email,
        "PeerLearn: reset your password",
        f"Someone (hopefully you) asked to reset the password of your PeerLearn account.\n\n"
        f"Choose a new password here within {settings.password_reset_ttl_minutes} minutes; the link works once:\n"
        f"{settings.base_url}{RESET_PATH}?token={token}\n\n"
        "If you did not ask for this, ignore this email: your password stays as it is.",
    )


def reset_password(token: str, new_password: str, *, client: str, db: Session, now: datetime | None = None) -> User:
    """Set a new password with a reset link's token; the token is spent. Raises ResetTokenError when it is not
    valid (unknown, used or expired: one message for all, so a guess learns nothing)."""
    now = now or utcnow()
    found = db.exec(select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_token(token))).first()
    row = lock_row(PasswordResetToken, found.id, db=db) if found else None
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise ResetTokenError("This reset link is not valid any more. Ask for a new one.")
    user = db.get(User, row.user_id)
    if user is None or not user.is_active:
        raise ResetTokenError("This reset link is not valid any more. Ask for a new one.")
    require_strong_password(new_password, email=user.email, full_name=user.full_name)
    db.exec(
        update(PasswordResetToken)
        .where(col(PasswordResetToken.user_id) == saved_id(user), col(PasswordResetToken.used_at).is_(None))
        .values(used_at=now)
    )
    user.password_hash = hash_password(new_password)
    db.add(user)
    db.exec(delete(AuthToken).where(col(AuthToken.user_id) == saved_id(user)))
    notifications.notify(
        saved_id(user),
        NotificationKind.PASSWORD_CHANGED,
        "Your password was changed",
        body="Your password was reset with a link sent to your email. If this was not you, reset it again and tell us.",
        link=links.PROFILE,
        db=db,
    )
    throttle.get_login_throttle().record_password_reset(user.email, client)
    return user
