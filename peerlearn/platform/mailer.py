"""Email out: SMTP when configured, the console log otherwise."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

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
