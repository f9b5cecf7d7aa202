"""Search latency p50/p95 on the demo marketplace scaled to 20,000 sessions on PostgreSQL, for a mix of
text, facet and sort queries, against the same listing without text search as the baseline (same run).

    .venv/bin/python bench/search_latency.py [--sessions 20000] [--rounds 5]

Needs the PostgreSQL server at 127.0.0.1:5432 (a throw-away database). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlmodel import Session, select

from bench._pg import fresh_database, percentile
from peerlearn.catalog.search import parse_filters, search_sessions
from peerlearn.db import get_engine
from peerlearn.demo_data import CATALOG, FORMATS, seed_demo
from peerlearn.models import LearningSession, SessionSkill
from peerlearn.models.enums import SessionStatus
from peerlearn.models.types import utcnow

QUERIES = [
    {"q": "python"},
    {"q": "public speaking"},
    {"q": "deep dive kubernetes"},
    {"q": "guitar", "sort": "price"},
    {"q": "spanish", "min_rating": 4},
    {"skill": "Pandas"},
    {"category": "Design", "sort": "rating"},
    {"language": "Spanish", "max_price": 2000},
    {"q": "workshop", "level": "beginner", "page": 3},
]


def scale_up(target: int, rng: random.Random) -> None:
    """Copy demo sessions (with their skills) onto new future dates until there are `target` sessions."""
    with Session(get_engine()) as db:
        templates = db.exec(select(LearningSession)).all()
        skills = {}
        for session_id, skill_id in db.exec(select(SessionSkill.session_id, SessionSkill.skill_id)).all():
            skills.setdefault(session_id, []).append(skill_id)
        count, now = len(templates), utcnow()
        while count < target:
            batch = []
            for template in rng.sample(templates, min(len(templates), target - count)):
                start = (now + timedelta(days=rng.uniform(1, 120))).replace(microsecond=0)
                batch.append(
                    (
                        LearningSession(
                            mentor_id=template.mentor_id,
                            title=f"{template.title.split(':')[0]}: {rng.choice(FORMATS)}",
                            description=template.description,
                            search_tags=template.search_tags,
                            category_id=template.category_id,
                            level=template.level,
                            language=template.language,
                            start_at=start,
                            end_at=start + (template.end_at - template.start_at),
                            capacity=template.capacity,
                            price_minor=template.price_minor,
                            currency=template.currency,
                            status=SessionStatus.PUBLISHED,
                        ),
                        skills.get(template.id, []),
                    )
                )
            db.add_all([s for s, _ in batch])
            db.flush()
            db.add_all([SessionSkill(session_id=s.id, skill_id=k) for s, ks in batch for k in ks])
            db.commit()
            count += len(batch)


def measure(label: str, queries: list[dict], rounds: int) -> float:
    latencies = []
    with Session(get_engine()) as db:
        for _ in range(rounds):
            for query in queries:
                began = time.perf_counter()
                search_sessions(parse_filters(**query), db=db)
                latencies.append(time.perf_counter() - began)
    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
    print(f"{label:<34} n={len(latencies):4d}  p50 {1000 * p50:7.1f} ms  p95 {1000 * p95:7.1f} ms")
    return p95


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with fresh_database("peerlearn_bench_search"):
        with Session(get_engine()) as db:
            seed_demo(db=db)
            db.commit()
        scale_up(args.sessions, random.Random(3))
        with (
            get_engine().connect().execution_options(isolation_level="AUTOCOMMIT") as conn
        ):  # fresh statistics, as autovacuum keeps them
            conn.exec_driver_sql("ANALYZE")
        with Session(get_engine()) as db:
            total = len(db.exec(select(LearningSession.id)).all())
        print(f"sessions: {total} over {sum(len(v) for v in CATALOG.values())} skills")
        baseline = measure(
            "listing, no text (baseline)", [{k: v for k, v in q.items() if k != "q"} for q in QUERIES], args.rounds
        )
        mixed = measure("mixed text/facet/sort queries", QUERIES, args.rounds)
        print(f"ratio p95 text-search mix / plain listing: {mixed / baseline:.2f}x")


if __name__ == "__main__":
    main()
