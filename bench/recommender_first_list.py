"""The first recommendations a new learner sees, right after signing up and saving their interests.

Seeds the demo marketplace into a throw-away SQLite database, trains the process's model (as the running app has
by then), signs a learner up and saves the profile they would enter on the profile page (interests Machine
Learning, Japanese and Python), then prints the very next list with its explanations: what
`GET /api/recommendations/` and the page's state serve (`recommendations_for`).

    .venv/bin/python -m bench.recommender_first_list [--interests "Machine Learning,Japanese,Python"]
"""

from __future__ import annotations

import argparse
import os

from bench._throwaway_db import use_throwaway_sqlite


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--interests", default="Machine Learning,Japanese,Python")
    args = parser.parse_args()
    interests = [part.strip() for part in args.interests.split(",") if part.strip()]
    use_throwaway_sqlite("peerlearn-first-list-")

    from peerlearn.accounts import actions as accounts
    from peerlearn.db import read_scope, session_scope
    from peerlearn.demo_data import seed_demo
    from peerlearn.insights import recommendations as recs
    from peerlearn.migrations import upgrade_to_head
    from peerlearn.models import User
    from peerlearn.models.users import ProfileUpdate, UserCreate

    upgrade_to_head(os.environ["DATABASE_URL"])
    with session_scope() as db:
        seed_demo(db=db)
    with read_scope() as db:
        recs.MODEL.get(db=db)  # the running app's model, trained before the learner exists
    data = UserCreate(email="new.learner@example.org", password="first-minute-password-9", full_name="Nea Newcomer")
    with session_scope() as db:
        user_id = accounts.register_user(data, db=db).id
    with session_scope() as db:
        user = db.get(User, user_id)
        assert user is not None
        accounts.update_profile(user, ProfileUpdate(interests=interests), db=db)
    with read_scope() as db:
        user = db.get(User, user_id)
        assert user is not None
        items = recs.recommendations_for(user, db=db, limit=6)
    print(f"interests: {', '.join(interests)}")
    for item in items:
        skills = ", ".join(item.session.skills)
        print(f"- {item.session.title} [{skills}] — {item.explanation}")


if __name__ == "__main__":
    main()
