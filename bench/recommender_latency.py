"""Latency and retrain-time benchmark on a synthetic live catalogue.

10,000 learners, 5,000 upcoming sessions, 200,000 bookings (latent-factor
model, see recommender_synth.py). Prints the full-retrain time (target < 60 s)
and p50/p95 to score, filter, diversify, explain and return one learner's top
10 (target p95 <= 5 ms on one core) with the serving ranker and, interleaved, with the blend it falls back to,
next to a most-popular ranking with the same filters measured in the same run. Pinned to one core, one BLAS thread.

    python bench/recommender_latency.py [--requests 2000] [--ranker auto|learned|blend]
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse
import sys
import time
from datetime import timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recommender_synth import generate

from peerlearn.recommender.candidates import candidate_mask
from peerlearn.recommender.config import RecommenderConfig
from peerlearn.recommender.data import Interaction
from peerlearn.recommender.engine import Recommender
from peerlearn.recommender.timeutil import to_seconds


def percentiles(samples: list[float]) -> tuple[float, float]:
    arr = np.array(samples) * 1000
    return float(np.percentile(arr, 50)), float(np.percentile(arr, 95))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--users", type=int, default=10000)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--interactions", type=int, default=200000)
    parser.add_argument(
        "--ranker",
        choices=("auto", "learned", "blend"),
        default="auto",
        help="RecommenderConfig.ranker (learned: always)",
    )
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    t0 = time.perf_counter()
    items, interactions, profiles, now = generate(
        args.users, args.items, args.interactions, n_tags=300, n_mentors=800, history_days=60, upcoming=True, seed=11
    )
    print(
        f"generated {len(items)} sessions, {len(interactions)} bookings, {len(profiles)} profiles in "
        f"{time.perf_counter() - t0:.1f}s"
    )

    t0 = time.perf_counter()
    rec = Recommender(RecommenderConfig(ranker=args.ranker)).fit(items, interactions, profiles, now)
    retrain = time.perf_counter() - t0
    ranker_s = rec.fit_report.get("ranker", {}).get("seconds", 0.0)
    print(
        f"full retrain (incl. fitting blend weights on validation and training the ranker): {retrain:.1f} s, of which "
        f"the ranker {ranker_s:.1f} s  (target < 60 s); serving {rec.serving}"
    )
    print(f"fitted weights: {rec.weights}; collab item share {rec.collab_item_share}")

    rng = np.random.default_rng(3)
    user_ids = sorted({x.user_id for x in interactions})
    users = [user_ids[i] for i in rng.integers(0, len(user_ids), args.requests)]
    users[::10] = [f"new-learner-{i}" for i in range(len(users[::10]))]  # 10% without history
    for u in users[:50]:  # warm-up
        rec.recommend(u, now, 10)

    # The serving ranker and the blend it falls back to, interleaved per request so both see the same machine load.
    served = rec.ranker
    engine_t, blend_t = [], []
    for u in users:
        rec.ranker = served
        s = time.perf_counter()
        out = rec.recommend(u, now, 10)
        engine_t.append(time.perf_counter() - s)
        assert len(out) == 10
        rec.ranker = None
        s = time.perf_counter()
        rec.recommend(u, now, 10)
        blend_t.append(time.perf_counter() - s)
    rec.ranker = served
    e50, e95 = percentiles(engine_t)
    f50, f95 = percentiles(blend_t)

    pop = rec.popularity.count
    now_s = to_seconds(now)
    base_t = []
    for u in users:
        s = time.perf_counter()
        mask = candidate_mask(rec.features, now_s, booked=rec.history.booked(u), user_id=u)
        cand = np.flatnonzero(mask)
        top = cand[np.argpartition(-pop[cand], 9)[:10]]
        top = top[np.argsort(-pop[top])]
        _ = [rec.features.items[i].item_id for i in top]
        base_t.append(time.perf_counter() - s)
    b50, b95 = percentiles(base_t)

    upd_t = []
    for k, u in enumerate(users[:500]):
        item = items[int(rng.integers(0, len(items)))].item_id
        s = time.perf_counter()
        rec.partial_update(Interaction(u, item, now + timedelta(seconds=k)))
        upd_t.append(time.perf_counter() - s)
    u50, u95 = percentiles(upd_t)
    after_t = []
    for u in users[:500]:
        s = time.perf_counter()
        rec.recommend(u, now + timedelta(minutes=10), 10)
        after_t.append(time.perf_counter() - s)
    a50, a95 = percentiles(after_t)

    print(
        f"recommend one learner (top 10 of {len(items)}), serving {rec.serving}: p50 {e50:.2f} ms, p95 {e95:.2f} ms  "
        "(target p95 <= 5 ms)"
    )
    print(f"the same learners with the blend serving (fallback), interleaved: p50 {f50:.2f} ms, p95 {f95:.2f} ms")
    print(f"baseline most-popular with the same filters: p50 {b50:.2f} ms, p95 {b95:.2f} ms")
    print(f"engine / baseline ratio: p50 {e50 / b50:.1f}x, p95 {e95 / b95:.1f}x")
    print(
        f"partial_update: p50 {u50:.3f} ms, p95 {u95:.3f} ms; recommend after 500 updates: p50 {a50:.2f} ms, p95 "
        f"{a95:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
