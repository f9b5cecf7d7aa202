"""In-app notifications, their email copies (with calendar invites) and unread counts."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from sqlmodel import Session, col, func, select, update

from peerlearn import links
from peerlearn.config import get_settings
from peerlearn.models import LearningSession, Notification, User
from peerlearn.models.enums import NotificationKind
from peerlearn.models.types import saved_id, utcnow
from peerlearn.platform.after_commit import announce
from peerlearn.platform.calendar_invite import build_invite
from peerlearn.platform.mailer import send_email
from peerlearn.platform.timefmt import format_for_user

INVITE_KINDS = {
    NotificationKind.BOOKING_CONFIRMED,
    NotificationKind.BOOKING_RESCHEDULED,
    NotificationKind.SESSION_CHANGED,
}
CANCEL_KINDS = {NotificationKind.BOOKING_CANCELLED, NotificationKind.SESSION_CANCELLED}


class NotificationPublic(BaseModel):
    id: int
    kind: NotificationKind
    title: str
    body: str
    link: str
    created_at: datetime
    read: bool


def notify(
    user_id: int,
    kind: NotificationKind,
    title: str,
    *,
    db: Session,
    body: str = "",
    link: str = "",
    session_id: int | None = None,
    email: bool = True,
) -> Notification:
    note = Notification(
        user_id=user_id, kind=kind, title=title, body=body, link=link, session_id=session_id, email_wanted=email
    )
    db.add(note)
    announce(db, user_id)
    return note


def notify_admins(
    kind: NotificationKind, title: str, *, db: Session, body: str = "", link: str = "", email: bool = True
) -> list[Notification]:
    """Flag something for every active admin (in the app, with an email copy unless `email=False`)."""
    admins = db.exec(select(User).where(col(User.is_admin), col(User.is_active)).order_by(col(User.id))).all()
    return [notify(saved_id(admin), kind, title, db=db, body=body, link=link, email=email) for admin in admins]


def list_notifications(user_id: int, *, db: Session, limit: int = 50) -> list[NotificationPublic]:
    rows = db.exec(
        select(Notification)
        .where(Notification.user_id == user_id)
        .order_by(col(Notification.created_at).desc(), col(Notification.id).desc())
        .limit(limit)
    ).all()
    return [
        NotificationPublic(
            id=n.id,
            kind=n.kind,
            title=n.title,
            body=n.body,
            link=n.link,
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n in rows
    ]


def unread_count(user_id: int, *, db: Session) -> int:
    return db.exec(
        select(func.count())
        .select_from(Notification)
        .where(col(Notification.user_id) == user_id, col(Notification.read_at).is_(None))
    ).one()


def mark_all_read(user_id: int, *, db: Session) -> None:
    db.exec(
        update(Notification)
        .where(col(Notification.user_id) == user_id, col(Notification.read_at).is_(None))
        .values(read_at=utcnow())
    )


def deliver_pending_emails(*, db: Session, now: datetime | None = None, limit: int = 100) -> int:
    """Send the email copies not sent yet (an outbox, so a restart loses none)."""
    now = now or utcnow()
    settings = get_settings()
    pending = db.exec(
        select(Notification)
        .where(col(Notification.email_wanted), col(Notification.emailed_at).is_(None))
        .order_by(col(Notification.id))
        .limit(limit)
    ).all()
    for note in pending:
        user = db.get(User, note.user_id)
        if user is None:  # the foreign key keeps this from happening
            raise LookupError(f"notification {note.id} belongs to no user")
        ics = _invite_for(note, user, now, settings.smtp_from, db=db) if note.session_id else None
        link = f"{settings.base_url}{note.link}" if note.link else settings.base_url
        send_email(user.email, f"PeerLearn: {note.title}", f"{note.body}\n\n{link}", ics)
        note.emailed_at = now
        db.add(note)
    return len(pending)


def _invite_for(note: Notification, user: User, now: datetime, organizer: str, *, db: Session) -> str | None:
    if note.kind not in INVITE_KINDS | CANCEL_KINDS:
        return None
    session = db.get(LearningSession, note.session_id)
    if session is None:
        return None
    return build_invite(
        uid=f"session-{session.id}-user-{user.id}@peerlearn",
        title=session.title,
        description=f"{format_for_user(session.start_at, user.id, db=db)}\n\n{session.description[:500]}".strip(),
        start_at=session.start_at,
        end_at=session.end_at,
        url=f"{get_settings().base_url}{links.session_link(session.id)}",
        organizer_email=organizer.split("<")[-1].rstrip(">"),
        attendee_email=user.email,
        attendee_name=user.full_name,
        sequence=int(now.timestamp()),
        cancelled=note.kind in CANCEL_KINDS,
        stamp=now,
    )
