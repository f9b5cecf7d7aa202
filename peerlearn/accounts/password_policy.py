"""What makes a password acceptable: at least 10 characters, and not easy to guess.

Guessability is zxcvbn's estimate (dictionaries of common passwords, names, words, keyboard patterns, dates),
with the person's own email and name counted as things an attacker would try first. A password must reach
score 3 of 4 ("safely unguessable"); when it does not, the message passes on zxcvbn's advice in plain words.
Pure rules, no database.
"""

from __future__ import annotations

import re

from zxcvbn import zxcvbn

from peerlearn.models.users import PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH
from peerlearn.platform.errors import ValidationError

MIN_SCORE = 3
SITE_WORDS = ["peerlearn", "peer", "learn", "mentor", "learner"]
FALLBACK_ADVICE = "Use a few unrelated words, or a longer phrase only you would think of."


def personal_words(email: str = "", full_name: str = "") -> list[str]:
    """Words an attacker would try first for this person: the email, its parts, and the name's parts."""
    words = [email, *re.split(r"[@._+\-]+", email), full_name, "".join(full_name.split()), *full_name.split()]
    return [w.lower() for w in words if len(w) >= 3]


def password_problem(password: str, *, email: str = "", full_name: str = "") -> str:
    """Why this password is refused, with how to pick a better one; '' when it is fine."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"Use at least {PASSWORD_MIN_LENGTH} characters; a short phrase of unrelated words is easy to remember."
    if len(password) > PASSWORD_MAX_LENGTH:
        return f"Use at most {PASSWORD_MAX_LENGTH} characters."
    words = [*personal_words(email, full_name), *SITE_WORDS]
    result = zxcvbn(password, user_inputs=words, max_length=PASSWORD_MAX_LENGTH)
    if result["score"] >= MIN_SCORE:
        return ""
    feedback = result.get("feedback") or {}
    warning = (feedback.get("warning") or "").strip()
    advice = " ".join(s.strip() for s in feedback.get("suggestions") or [] if s.strip()) or FALLBACK_ADVICE
    reason = f" {warning.rstrip('.')}." if warning else ""
    return f"This password is too easy to guess.{reason} {advice}"


def require_strong_password(password: str, *, email: str = "", full_name: str = "") -> None:
    problem = password_problem(password, email=email, full_name=full_name)
    if problem:
        raise ValidationError(problem)
