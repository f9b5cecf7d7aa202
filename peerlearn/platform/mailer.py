"""Email out: SMTP when configured, the console log otherwise.

Most mail goes through the notifications outbox. `send_after_commit` is for mail that must not be kept
(a password-reset link carries a secret the database only holds hashed): it is sent once the transaction
commits, from a background thread, so the request takes as long whether or not a mail goes out.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from email.message import EmailMessage

from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession

from peerlearn.config import get_settings

log = logging.getLogger("peerlearn.mail")


def send_email(to: str, subject: str, body: str, ics: str | None = None) -> None:
    settings = get_settings()
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.smtp_from, to, subject
    message.set_content(body)
    if ics:
        message.add_attachment(
            ics.encode(),
            maintype="text",
            subtype="calendar",
            filename="invite.ics",
            params={"method": "CANCEL" if "METHOD:CANCEL" in ics else "REQUEST"},
        )
    if not settings.smtp_host:
        log.info("email (console, no SMTP_HOST):\n%s", message.as_string())
        return
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
        smtp.ehlo()
        if smtp.has_extn("starttls"):
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


_PENDING_MAIL = "peerlearn_mail_after_commit"


def send_after_commit(db: OrmSession, to: str, subject: str, body: str) -> None:
    """Send this email once `db` commits (never if it rolls back)."""
    db.info.setdefault(_PENDING_MAIL, []).append((to, subject, body))


def _send_quietly(to: str, subject: str, body: str) -> None:
    try:
        send_email(to, subject, body)
    except Exception:  # a mail server problem must not surface as an error to whoever asked
        log.exception("could not send email to %s", to)


@event.listens_for(OrmSession, "after_commit")
def _send_pending(db: OrmSession) -> None:
    for message in db.info.pop(_PENDING_MAIL, []):
        threading.Thread(target=_send_quietly, args=message, name="peerlearn-mail", daemon=True).start()


@event.listens_for(OrmSession, "after_rollback")
def _drop_pending(db: OrmSession) -> None:
    db.info.pop(_PENDING_MAIL, None)
