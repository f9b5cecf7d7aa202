"""What each database part of a Discover page load costs the worker, in CPU ms per call, one call at a time.

`bench/event_cost.py` gives a whole page load's CPU (Reflex's events and state manager included); this splits the
part PeerLearn's own code runs in the worker threads: the guard (who the login cookie belongs to), the search, the
bell, a learner's first recommendations list, a list already cached, and the impressions the strip records. Seeds
the demo marketplace into a throw-away SQLite database (or uses `--database-url`, already seeded); with `--redis-url`
the lists are cached as in production.

    .venv/bin/python -m bench.page_load_parts --redis-url redis://127.0.0.1:6379/13
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

LEARNERS = 100


def _timed(name: str, work: Callable[[int], object], calls: int) -> None:
    cpu, wall = time.process_time(), time.perf_counter()
    for i in range(calls):
        work(i)
    cpu_ms, wall_ms = 1000 * (time.process_time() - cpu) / calls, 1000 * (time.perf_counter() - wall) / calls
    print(f"| {name} | {calls} | {cpu_ms:.2f} | {wall_ms:.2f} |")


from bench._throwaway_db import use_throwaway_sqlite


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="an already seeded database (default: a fresh SQLite)")
    parser.add_argument("--redis-url", default="", help="cache lists in this Redis, as production does")
    args = parser.parse_args()
    use_throwaway_sqlite("peerlearn-page-load-parts-", redis_url=args.redis_url)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url

    from sqlmodel import col, select

    from peerlearn.accounts import actions as accounts
    from peerlearn.accounts.queries import viewer_for_token
    from peerlearn.catalog.search import parse_filters, search_sessions
    from peerlearn.db import read_scope, session_scope
    from peerlearn.demo_data import DEMO_PASSWORD, seed_demo
    from peerlearn.insights import recommendations as recs
    from peerlearn.migrations import upgrade_to_head
    from peerlearn.models import User
    from peerlearn.platform import notifications

    if not args.database_url:
        upgrade_to_head(os.environ["DATABASE_URL"])
        with session_scope() as db:
            seed_demo(db=db)
    with session_scope() as db:
        learners = db.exec(select(User).where(col(User.email).like("learner%")).order_by(col(User.id))).all()
        ids = [user.id for user in learners][:LEARNERS]
        tokens = [accounts.log_in(u.email, DEMO_PASSWORD, client="bench", db=db)[1] for u in learners[:20]]
    if args.redis_url:
        from peerlearn.redis_client import shared_redis

        client = shared_redis()
        for user_id in ids:  # every first list really is a first list
            client.delete(f"peerlearn:rec:{user_id}")  # type: ignore[union-attr]
    shown: dict[int, list[int]] = {}

    def guard(i: int) -> None:
        with read_scope() as db:
            viewer_for_token(tokens[i % len(tokens)], db=db)

    def search(i: int) -> None:
        with read_scope() as db:
            search_sessions(parse_filters(q=["", "python", "design"][i % 3], page=1, page_size=12), db=db)

    def bell(i: int) -> None:
        with read_scope() as db:
            notifications.unread_count(ids[i], db=db)
            notifications.list_notifications(ids[i], db=db, limit=12)

    def ranked(i: int) -> None:
        with read_scope() as db:
            user = db.get(User, ids[i])
            assert user is not None
            shown[i] = [item.session.id for item in recs.recommendations_for(user, db=db, limit=6)]

    def impressions(i: int) -> None:
        with read_scope() as db:
            user = db.get(User, ids[i])
        with session_scope() as db:
            recs.record_shown(user, shown[i], db=db)  # type: ignore[arg-type]

    with read_scope() as db:
        recs.MODEL.get(db=db)  # trained, as the running app's model is by its first page load
    print("| part | calls | CPU ms per call | wall ms per call |\n|---|---|---|---|")
    _timed("guard (login cookie to viewer)", guard, len(ids))
    _timed("search, Discover's first page", search, len(ids))
    _timed("bell (unread count and items)", bell, len(ids))
    _timed("recommendations, a learner's first list", ranked, len(ids))
    if args.redis_url:
        _timed("recommendations, the cached list", ranked, len(ids))
    _timed("impressions of the list (one write)", impressions, len(ids))


if __name__ == "__main__":
    main()
