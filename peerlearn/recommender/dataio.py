"""Read the generic CSV format used by the offline evaluation.

- interactions: ``user_id,item_id,timestamp`` (ISO 8601 or Unix seconds; extra
  columns ignored; an optional ``weight`` column is used)
- items: ``item_id,tags`` (``|``-separated) and optional ``start_at``, ``title``,
  ``description``, ``mentor_id``, ``category``, ``language``, ``price_minor``
- users: ``user_id,tags`` and optional ``as_of`` (when the profile became known;
  profiles known only at or after the evaluation cut are left out, since the
  model could not have had them)
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from peerlearn.recommender.data import Interaction, Item, UserProfile


def parse_time(text: str | None) -> datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return datetime.fromtimestamp(float(text), tz=UTC)
    except ValueError:
        pass
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _tags(text: str | None) -> list[str]:
    return [t.strip() for t in (text or "").split("|") if t.strip()]


def _opt(row: dict[str, str], key: str) -> str | None:
    value = (row.get(key) or "").strip()
    return value or None


def load_items(path: str | Path) -> list[Item]:
    with open(path, newline="", encoding="utf-8") as f:
        return [
            Item(
                item_id=row["item_id"].strip(),
                tags=_tags(row.get("tags")),
                start_at=parse_time(row.get("start_at")),
                title=(row.get("title") or "").strip(),
                description=(row.get("description") or "").strip(),
                mentor_id=_opt(row, "mentor_id"),
                category=_opt(row, "category"),
                language=_opt(row, "language"),
                price_minor=int(row["price_minor"]) if _opt(row, "price_minor") else None,
            )
            for row in csv.DictReader(f)
        ]


def load_interactions(path: str | Path) -> list[Interaction]:
    out = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            ts = parse_time(row.get("timestamp"))
            if ts is None:
                continue
            weight = float(row["weight"]) if _opt(row, "weight") else 1.0
            out.append(Interaction(row["user_id"].strip(), row["item_id"].strip(), ts, weight=weight))
    return out


def load_profiles(path: str | Path, known_before: datetime | None = None) -> tuple[list[UserProfile], int]:
    """Profiles, and how many were dropped for becoming known at/after ``known_before``."""
    out, dropped = [], 0
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            as_of = parse_time(row.get("as_of"))
            if known_before is not None and as_of is not None and as_of >= known_before:
                dropped += 1
                continue
            tags = _tags(row.get("tags"))
            if tags:
                out.append(UserProfile(row["user_id"].strip(), tags))
    return out, dropped
