"""A second app worker for the cross-process recommender tests: its own process, its own model, the same database
and Redis (from DATABASE_URL and REDIS_URL). Reads one JSON command per line on stdin and answers one JSON line:

    {"op": "train"}                                   -> {"ok": true}        (the worker's model is trained)
    {"op": "recs", "user_id": 3}                      -> [{"skills": [...], "explanation": "..."}, ...]
    {"op": "profile", "user_id": 3, "interests": [...]} -> {"ok": true}      (saved and committed here)
"""

from __future__ import annotations

import json
import sys

from peerlearn.accounts.actions import update_profile
from peerlearn.db import read_scope, session_scope
from peerlearn.insights import recommendations as recs
from peerlearn.models import User
from peerlearn.models.users import ProfileUpdate


def _answer(command: dict) -> object:
    if command["op"] == "train":
        with read_scope() as db:
            recs.MODEL.get(db=db)
        return {"ok": True}
    if command["op"] == "recs":
        with read_scope() as db:
            user = db.get(User, command["user_id"])
            items = recs.recommendations_for(user, db=db, limit=10)
        return [{"skills": item.session.skills, "explanation": item.explanation} for item in items]
    if command["op"] == "profile":
        with session_scope() as db:
            user = db.get(User, command["user_id"])
            update_profile(user, ProfileUpdate(interests=command["interests"]), db=db)
        return {"ok": True}
    raise ValueError(f"unknown op {command['op']!r}")


def main() -> None:
    for line in sys.stdin:
        print(json.dumps(_answer(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
