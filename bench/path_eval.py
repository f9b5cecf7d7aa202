"""Learning paths: predict each learner's next course (discipline or skill, and level) from their history before a
time cut, with the paths' Markov model and two baselines in the same run, on CNPC and on the demo data.

    python bench/path_eval.py [--data ../shared/data/cnpc/] [--cnpc-limit N] [--demo-learners N] [--skip-cnpc]

Protocol (both datasets): one time cut. Transitions are learned from what happened before it; a test learner has
history before it and a course after it; the target is every course of their first date after the cut (CNPC dates
are quarters, so several courses can share it: predicting any of them is a hit). Every predictor ranks states
(discipline, level), never one the learner already holds at that level or above, and fills up from popularity:

- ``markov``: the paths' model (peerlearn.paths.mining): next state after the learner's last one, moves weighted by
  how well the arriving course went; badly rated ones dropped.
- ``most-frequent-next``: the states learners most often moved to (as a second or later course), from anywhere.
- ``popularity``: the states with the most registrations.

Reported: top-1 and top-3 accuracy on the discipline alone and on discipline and level together.

CNPC has no course level. Its stand-in is the learner's own progression: a learner's first course in a discipline
is level 0 (beginner), the second level 1, ... capped at 3 (expert). Its stand-in for a rating: explored the course
or got a grade above 0 -> 5 (well rated); only viewed it -> unrated; never opened it -> 1 (dropped as badly rated).
Demo data: skills, session levels and review ratings as stored; the cut is 45 days before the seeding time.

Data: Canvas Network, "Canvas Network Person-Course (1/2014 - 9/2015) De-Identified Open Dataset", Harvard
Dataverse, doi:10.7910/DVN/1XORAL, CC BY 4.0.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _throwaway_db import use_throwaway_sqlite
from cnpc_to_csv import ATTRIBUTION, DEFAULT_DATA, find_zip, iter_rows, quarter_to_date

from peerlearn.paths.mining import JourneyStep, State, TransitionModel, mine_transitions, rank_next

CNPC_CUT = "2015-04-01"  # first day of 2015 Q2, as bench/cnpc_eval.py
PREDICTORS = ("markov", "most-frequent-next", "popularity")


@dataclass(frozen=True)
class Event:
    at: str  # ISO date or datetime: sortable
    skill: str
    level: int
    rating: float | None


@dataclass
class Row:
    dataset: str
    predictor: str
    learners: int
    skill_top1: float
    skill_top3: float
    state_top1: float
    state_top3: float


# ---------------------------------------------------------------- loading


def load_cnpc(data: Path, limit: int | None = None) -> dict[str, list[Event]]:
    raw: dict[str, list[tuple[str, str, str, str, float | None]]] = defaultdict(list)
    seen: set[tuple[str, str]] = set()
    for n, row in enumerate(iter_rows(find_zip(data))):
        if limit is not None and n >= limit:
            break
        course, user = row["course_id_DI"], row["userid_DI"]
        start = quarter_to_date(row["course_start"])
        if start is None or (user, course) in seen:
            continue
        seen.add((user, course))
        registered = quarter_to_date(row.get("start_time_DI", "")) or start
        try:
            grade = float(row.get("grade") or 0)
        except ValueError:
            grade = 0.0
        if row.get("explored") == "1" or grade > 0:
            rating: float | None = 5.0
        elif row.get("viewed") == "1":
            rating = None
        else:
            rating = 1.0
        discipline = row["discipline"].strip() or "Unknown discipline"
        raw[user].append((registered, start, course, discipline, rating))
    timelines: dict[str, list[Event]] = {}
    for user, rows in raw.items():
        taken: Counter[str] = Counter()
        events = []
        for registered, _start, _course, discipline, rating in sorted(rows):
            events.append(Event(registered, discipline, min(taken[discipline], 3), rating))
            taken[discipline] += 1
        timelines[user] = events
    return timelines


def load_demo(learners: int, sessions: int, mentors: int) -> tuple[dict[str, list[Event]], str]:
    """Seed the demo marketplace into a throw-away SQLite database and read its journeys the way paths do."""
    use_throwaway_sqlite("peerlearn-path-eval-")

    from peerlearn.db import read_scope, session_scope
    from peerlearn.demo_data import seed_demo
    from peerlearn.migrations import upgrade_to_head
    from peerlearn.models.types import utcnow
    from peerlearn.paths.queries import completed_journeys

    upgrade_to_head(os.environ["DATABASE_URL"])
    now = utcnow()
    with session_scope() as db:
        seed_demo(db=db, now=now, learners=learners, sessions=sessions, mentors=mentors)
    with read_scope() as db:
        journeys = completed_journeys(db=db)
    timelines = {
        str(learner): [Event(t.at.isoformat(), t.step.skill, t.step.level, t.step.rating) for t in steps]
        for learner, steps in journeys.items()
    }
    return timelines, (now - timedelta(days=45)).isoformat()


# ---------------------------------------------------------------- evaluation


def _journey(events: Sequence[Event]) -> list[JourneyStep]:
    return [JourneyStep(e.skill, e.level, e.rating) for e in events]


def evaluate(dataset: str, timelines: dict[str, list[Event]], cut: str) -> list[Row]:
    train = {user: [e for e in events if e.at < cut] for user, events in timelines.items()}
    tests: list[tuple[list[State], set[State]]] = []
    for user, events in timelines.items():
        history = [(e.skill, e.level) for e in train[user]]
        after = [e for e in events if e.at >= cut]
        if history and after:
            first = min(e.at for e in after)
            tests.append((history, {(e.skill, e.level) for e in after if e.at == first}))

    model: TransitionModel = mine_transitions(_journey(events) for events in train.values() if events)
    registrations: Counter[State] = Counter((e.skill, e.level) for events in train.values() for e in events)
    moved_to: Counter[State] = Counter((e.skill, e.level) for events in train.values() for e in events[1:])
    popular = [state for state, _ in sorted(registrations.items(), key=lambda kv: (-kv[1], kv[0]))]
    frequent_next = [state for state, _ in sorted(moved_to.items(), key=lambda kv: (-kv[1], kv[0]))]
    empty = TransitionModel()

    predictors: dict[str, Callable[[list[State]], list[State]]] = {
        "markov": lambda history: rank_next(model, history, fallback=popular, k=3),
        "most-frequent-next": lambda history: rank_next(empty, history, fallback=frequent_next + popular, k=3),
        "popularity": lambda history: rank_next(empty, history, fallback=popular, k=3),
    }
    rows = []
    for name in PREDICTORS:
        hits = Counter[str]()
        for history, targets in tests:
            ranked = predictors[name](history)
            skills = {skill for skill, _ in targets}
            hits["skill_top1"] += bool(ranked[:1] and ranked[0][0] in skills)
            hits["skill_top3"] += any(state[0] in skills for state in ranked[:3])
            hits["state_top1"] += bool(ranked[:1] and ranked[0] in targets)
            hits["state_top3"] += any(state in targets for state in ranked[:3])
        n = max(len(tests), 1)
        rows.append(
            Row(
                dataset,
                name,
                len(tests),
                hits["skill_top1"] / n,
                hits["skill_top3"] / n,
                hits["state_top1"] / n,
                hits["state_top3"] / n,
            )
        )
    return rows


def print_rows(rows: Sequence[Row]) -> None:
    header = (
        f"{'dataset':<8} {'predictor':<20} {'learners':>8} {'skill@1':>8} {'skill@3':>8} {'s+lvl@1':>8} {'s+lvl@3':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        print(
            f"{r.dataset:<8} {r.predictor:<20} {r.learners:>8} {r.skill_top1:>8.3f} {r.skill_top3:>8.3f} "
            f"{r.state_top1:>8.3f} {r.state_top3:>8.3f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder holding the CNPC zip, or the zip")
    parser.add_argument("--cnpc-limit", type=int, default=None, help="read only the first N CNPC rows")
    parser.add_argument("--skip-cnpc", action="store_true")
    parser.add_argument("--demo-learners", type=int, default=600)
    parser.add_argument("--demo-sessions", type=int, default=400)
    parser.add_argument("--demo-mentors", type=int, default=60)
    args = parser.parse_args(argv)
    rows: list[Row] = []
    if not args.skip_cnpc:
        started = time.perf_counter()
        timelines = load_cnpc(args.data, args.cnpc_limit)
        print(f"cnpc: {len(timelines)} learners read in {time.perf_counter() - started:.1f} s, cut {CNPC_CUT}")
        rows += evaluate("cnpc", timelines, CNPC_CUT)
    started = time.perf_counter()
    demo, cut = load_demo(args.demo_learners, args.demo_sessions, args.demo_mentors)
    print(f"demo: {len(demo)} learners with completed sessions, seeded in {time.perf_counter() - started:.1f} s")
    rows += evaluate("demo", demo, cut)
    print_rows(rows)
    if not args.skip_cnpc:
        print(ATTRIBUTION)
    return 0


if __name__ == "__main__":
    sys.exit(main())
