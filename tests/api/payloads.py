"""Request bodies the API tests share."""

from __future__ import annotations

from datetime import timedelta

from peerlearn.models.types import utcnow


def iso(delta: timedelta) -> str:
    return (utcnow() + delta).replace(microsecond=0).isoformat()


def session_payload(**overrides) -> dict:
    payload = {
        "title": "Pandas for analysts",
        "description": "Group-by, joins and tidy data.",
        "skills": ["Pandas", "Python"],
        "category": "Data Science",
        "level": "intermediate",
        "language": "English",
        "start_at": iso(timedelta(days=5)),
        "end_at": iso(timedelta(days=5, hours=1)),
        "capacity": 4,
        "price_minor": 0,
        "currency": "USD",
    }
    payload.update(overrides)
    return payload
