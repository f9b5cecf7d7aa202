"""Rolling-origin evaluation of the serving engine (learned ranker, blend fallback) against the baselines.

    nice -n 15 .venv/bin/python bench/ranker_rolling.py [--datasets cnpc,synth,demo] [--max-learners N] [--json OUT]

Cuts: every quarter of CNPC from 2014 Q3 to 2015 Q2 (train before the cut, rank the courses starting from it, as
bench/cnpc_eval.py does), the synthetic latent-factor marketplace (bench/recommender_synth.py, cut 36 days before
its end, every item rankable) and the demo marketplace (seeded into a throw-away SQLite database, cut 30 days before
the seeding time, upcoming sessions only). For each cut, in the same run and on the same learners with history: the
engine as it serves (its model card's "serving" says learned or blend), the blend alone and its content component
alone (for reference), and the baselines random, popular, item-kNN, EASE, ALS and content_profile (the learner's past
tags, cosine against the candidates). NDCG@10 and hit rate@10 with 95% bootstrap intervals (1,000 resamples of the
learners); the ratio engine / best baseline (best by NDCG@10) with a paired bootstrap interval. Target: ratio >= 1.1.

Data: Canvas Network, "Canvas Network Person-Course (1/2014 - 9/2015) De-Identified Open Dataset", Harvard
Dataverse, doi:10.7910/DVN/1XORAL, CC BY 4.0.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import json
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from _throwaway_db import use_throwaway_sqlite
from cnpc_to_csv import ATTRIBUTION, DEFAULT_DATA, DEFAULT_OUT, convert
from recommender_synth import generate

from peerlearn.recommender.baselines import ContentProfileBaseline, all_baselines
from peerlearn.recommender.config import RecommenderConfig
from peerlearn.recommender.data import Interaction, Item, UserProfile
from peerlearn.recommender.dataio import load_interactions, load_items, load_profiles, parse_time
from peerlearn.recommender.engine import Recommender
from peerlearn.recommender.evaluate import Split, baseline_lists, engine_lists, make_split
from peerlearn.recommender.metrics import user_metrics

CNPC_CUTS = ("2014-07-01", "2014-10-01", "2015-01-01", "2015-04-01")
K = 10
TARGET = 1.1


@dataclass
class Cut:
    dataset: str
    label: str
    items: list[Item]
    interactions: list[Interaction]
    profiles: list[UserProfile]
    cut: datetime
    mode: str
    absent: list[str] = field(default_factory=list)


def per_user(lists: list[list[int]], users: list[Any], split: Split) -> np.ndarray:
    """(learners x 2): NDCG@10 and hit@10 per learner."""
    return np.array([user_metrics(lst, split.relevant[u], K)[2:] for lst, u in zip(lists, users, strict=True)])


def mean_ci(values: np.ndarray, idx: np.ndarray) -> tuple[float, float, float]:
    boots = values[idx].mean(axis=1)
    return float(values.mean()), float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5))


def ratio_ci(a: np.ndarray, b: np.ndarray, idx: np.ndarray) -> tuple[float, float, float]:
    ratio = a.mean() / b.mean() if b.mean() > 0 else float("nan")
    boots = a[idx].mean(axis=1) / np.maximum(b[idx].mean(axis=1), 1e-12)
    return float(ratio), float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5))


def tag_matrix(split: Split) -> sp.csr_matrix:
    rows = [r for r, tags in enumerate(split.tag_sets) for _ in tags]
    cols = [c for tags in split.tag_sets for c in tags]
    n_tags = max((max(t) for t in split.tag_sets if t), default=-1) + 1
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(split.tag_sets), max(n_tags, 1)))


def run_cut(c: Cut, max_learners: int | None, n_boot: int, seed: int) -> dict[str, Any]:
    split = make_split(c.items, c.interactions, c.cut, c.mode)
    users = list(split.warm)
    if max_learners and len(users) > max_learners:
        pick = np.sort(np.random.default_rng(seed).choice(len(users), max_learners, replace=False))
        users = [users[i] for i in pick]
    train = [x for x in c.interactions if x.ts < c.cut]
    started = time.perf_counter()
    engine = Recommender(RecommenderConfig(candidate_mode=c.mode, seed=seed)).fit(c.items, train, c.profiles, c.cut)
    fit_s = time.perf_counter() - started
    rows: dict[str, np.ndarray] = {"engine": per_user(engine_lists(engine, users, split, c.cut, K), users, split)}
    served = engine.ranker
    engine.ranker = None
    rows["blend"] = per_user(engine_lists(engine, users, split, c.cut, K), users, split)
    saved = engine.weights
    alone = {"content": 1.0, "collab": 0.0, "popularity": 0.0, "trending": 0.0}
    engine.weights = {"warm": alone, "cold": alone}
    rows["content component"] = per_user(engine_lists(engine, users, split, c.cut, K), users, split)
    engine.weights, engine.ranker = saved, served
    baselines = [*all_baselines(seed), ContentProfileBaseline(tag_matrix(split))]
    for model in baselines:
        model.fit(split.train_matrix)
        rows[model.name] = per_user(baseline_lists(model, users, split, K), users, split)
    names = [b.name for b in baselines]
    best = max(names, key=lambda n: float(rows[n][:, 0].mean()))
    idx = np.random.default_rng(seed).integers(0, len(users), (n_boot, len(users)))
    metrics = {name: {"ndcg": mean_ci(v[:, 0], idx), "hit": mean_ci(v[:, 1], idx)} for name, v in rows.items()}
    report = engine.fit_report.get("ranker", {})
    return {
        "dataset": c.dataset,
        "cut": c.label,
        "learners": len(users),
        "learners_with_history": len(split.warm),
        "candidates": int(len(split.candidates)),
        "serving": engine.serving,
        "ranker_report": {k: v for k, v in report.items() if k != "importance"},
        "importance": report.get("importance"),
        "fit_seconds": fit_s,
        "weights": engine.weights["warm"],
        "absent_features": c.absent,
        "metrics": metrics,
        "best_baseline": best,
        "ratio_ndcg": ratio_ci(rows["engine"][:, 0], rows[best][:, 0], idx),
        "ratio_hit": ratio_ci(rows["engine"][:, 1], rows[best][:, 1], idx),
        "ratio_vs_blend": ratio_ci(rows["engine"][:, 0], rows["blend"][:, 0], idx),
    }


# ---------------------------------------------------------------- datasets


def cnpc_cuts(data: Path, out: Path) -> list[Cut]:
    if not (out / "interactions.csv").exists():
        print(f"converting {data} -> {out}: {convert(data, out)}", file=sys.stderr)
    items = load_items(out / "items.csv")
    interactions = load_interactions(out / "interactions.csv")
    cuts = []
    for text in CNPC_CUTS:
        cut = parse_time(text)
        assert cut is not None
        profiles, _ = load_profiles(out / "users.csv", known_before=cut)
        quarter = f"{cut.year} Q{(cut.month - 1) // 3 + 1}"
        absent = ["price", "level_gap", "language_match", "mentor_rating (no mentors, prices, levels or languages)"]
        cuts.append(Cut("cnpc", quarter, items, interactions, profiles, cut, "upcoming", absent))
    return cuts


def synth_cut() -> Cut:
    items, interactions, profiles, now = generate()
    absent = ["days_to_start (items never expire)", "price", "level_gap", "language_match", "mentor_rating"]
    return Cut("synth", "last 36 days", items, interactions, profiles, now - timedelta(days=36), "all", absent)


def demo_cut() -> Cut:
    """Seed the demo marketplace into a throw-away SQLite database and read it as the app's retrain does."""
    use_throwaway_sqlite("peerlearn-ranker-rolling-")

    from peerlearn.db import read_scope, session_scope
    from peerlearn.demo_data import seed_demo
    from peerlearn.insights.recommendations import load_inputs
    from peerlearn.migrations import upgrade_to_head
    from peerlearn.models.types import utcnow

    upgrade_to_head(os.environ["DATABASE_URL"])
    now = utcnow()
    with session_scope() as db:
        seed_demo(db=db, now=now)
    with read_scope() as db:
        items, interactions, profiles = load_inputs(db=db)
    absent = ["mentor_rating (the app's loader does not pass it; the seeded ratings include reviews after the cut)"]
    return Cut("demo", "last 30 days", items, interactions, profiles, now - timedelta(days=30), "upcoming", absent)


# ---------------------------------------------------------------- output


def fmt(m: tuple[float, float, float]) -> str:
    return f"{m[0]:.3f} [{m[1]:.3f},{m[2]:.3f}]"


def table(results: list[dict[str, Any]]) -> str:
    head = (
        f"{'dataset':6} {'cut':13} {'learners':>8} {'serving':8} {'engine NDCG@10':>21} {'best baseline':16} "
        f"{'its NDCG@10':>21} {'ratio [95% CI]':>19} {'engine HR@10':>21} {'baseline HR@10':>21} "
        f"{'blend NDCG':>10} {'content':>8} target"
    )
    lines = [head]
    for r in results:
        m, best = r["metrics"], r["best_baseline"]
        ratio = r["ratio_ndcg"]
        lines.append(
            f"{r['dataset']:6} {r['cut']:13} {r['learners']:8d} {r['serving']:8} {fmt(m['engine']['ndcg']):>21} "
            f"{best:16} {fmt(m[best]['ndcg']):>21} {f'{ratio[0]:.2f}x [{ratio[1]:.2f},{ratio[2]:.2f}]':>19} "
            f"{fmt(m['engine']['hit']):>21} {fmt(m[best]['hit']):>21} {m['blend']['ndcg'][0]:10.3f} "
            f"{m['content component']['ndcg'][0]:8.3f} {'met' if ratio[0] >= TARGET else 'MISSED'}"
        )
    lines.append("")
    lines.append("every baseline, NDCG@10 / HR@10 (learners with history):")
    for r in results:
        names = [n for n in r["metrics"] if n not in ("engine",)]
        lines.append(
            f"  {r['dataset']} {r['cut']}: "
            + ", ".join(f"{n} {r['metrics'][n]['ndcg'][0]:.3f}/{r['metrics'][n]['hit'][0]:.3f}" for n in names)
        )
        rep = r["ranker_report"]
        lines.append(
            f"    serving {r['serving']} ({rep.get('reason', 'ranker chosen')}); windows {rep.get('windows')}, "
            f"window learners {rep.get('learners')}, holdout {rep.get('holdout_ndcg')}; fit {r['fit_seconds']:.1f}s; "
            f"absent features: {', '.join(r['absent_features'])}"
        )
        if r["importance"]:
            top = sorted(r["importance"].items(), key=lambda kv: -kv[1])[:6]
            lines.append("    gain share: " + ", ".join(f"{k} {v:.2f}" for k, v in top))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default="cnpc,synth,demo")
    parser.add_argument("--cnpc-cuts", default=",".join(CNPC_CUTS))
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--max-learners", type=int, default=None, help="sample the test learners (for speed)")
    parser.add_argument("--boot", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=HERE / "out" / "ranker_rolling.json")
    args = parser.parse_args(argv)
    wanted = args.datasets.split(",")
    cuts: list[Cut] = []
    if "cnpc" in wanted:
        chosen = set(args.cnpc_cuts.split(","))
        cuts += [c for c in cnpc_cuts(args.data, args.out) if c.cut.date().isoformat() in chosen]
    if "synth" in wanted:
        cuts.append(synth_cut())
    if "demo" in wanted:
        cuts.append(demo_cut())
    results = []
    for c in cuts:
        t0 = time.perf_counter()
        results.append(run_cut(c, args.max_learners, args.boot, args.seed))
        print(f"{c.dataset} {c.label}: {time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)
    print(table(results))
    if "cnpc" in wanted:
        print(ATTRIBUTION)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
