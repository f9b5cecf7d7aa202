"""Offline evaluation on any dataset in the generic CSV format.

    python -m peerlearn.recommender.evaluate --interactions I.csv --items T.csv \
        [--users U.csv] --cut 2015-04-01 [--candidates all|upcoming] [--k 10] [--json out.json]

Protocol: the engine and every baseline train only on interactions before the
cut. Test learners are those with an interaction at or after the cut; their
relevant items are the ones they interacted with from the cut on (minus items
already in their training history). ``--candidates all`` ranks every item not
in the learner's training history; ``upcoming`` ranks only items starting at or
after the cut. Learners with and without training history are reported apart.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
import scipy.sparse as sp

from peerlearn.recommender.baselines import Baseline, all_baselines
from peerlearn.recommender.config import RecommenderConfig
from peerlearn.recommender.data import Id, Interaction, Item, UserProfile
from peerlearn.recommender.dataio import load_interactions, load_items, load_profiles, parse_time
from peerlearn.recommender.engine import Recommender
from peerlearn.recommender.features import normalise_tag
from peerlearn.recommender.metrics import bootstrap_diff, ceiling_metrics, summarise

METRIC_KEYS = ("precision@{k}", "recall@{k}", "ndcg@{k}", "hit_rate@{k}", "coverage", "diversity")


@dataclass
class Split:
    item_ids: list[Id]
    index: dict[Id, int]
    candidates: np.ndarray  # item indices that may be ranked
    warm: list[Id]  # test learners with training history
    cold: list[Id]  # test learners without
    relevant: dict[Id, set[int]]  # learner -> set of item indices
    train_items: dict[Id, set[int]]  # learner -> set of item indices
    train_matrix: sp.csr_matrix  # (training learners x items), binary
    train_row: dict[Id, int]  # learner -> row of train_matrix
    tag_sets: list[frozenset[int]]


def make_split(items: list[Item], interactions: list[Interaction], cut: datetime, mode: str) -> Split:
    item_ids = [it.item_id for it in items]
    index = {i: k for k, i in enumerate(item_ids)}
    train_items: dict[Id, set[int]] = {}
    test_items: dict[Id, set[int]] = {}
    for x in interactions:
        k = index.get(x.item_id)
        if k is None:
            continue
        (train_items if x.ts < cut else test_items).setdefault(x.user_id, set()).add(k)
    if mode == "upcoming":
        cand = np.array(
            [k for k, it in enumerate(items) if it.start_at is not None and it.start_at >= cut], dtype=np.int64
        )
    elif mode == "all":
        cand = np.arange(len(items))
    else:
        raise ValueError(f"unknown candidate mode {mode!r}")
    relevant = {u: s - train_items.get(u, set()) for u, s in test_items.items()}
    relevant = {u: s for u, s in relevant.items() if s}
    users = sorted(relevant, key=str)
    train_row = {u: r for r, u in enumerate(sorted(train_items, key=str))}
    rows = [train_row[u] for u, s in train_items.items() for _ in s]
    cols = [k for s in train_items.values() for k in s]
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(train_row), len(items)))
    vocab: dict[str, int] = {}
    tag_sets = [frozenset(vocab.setdefault(normalise_tag(t), len(vocab)) for t in it.tags) for it in items]
    return Split(
        item_ids,
        index,
        cand,
        [u for u in users if u in train_items],
        [u for u in users if u not in train_items],
        relevant,
        train_items,
        matrix,
        train_row,
        tag_sets,
    )


def _metrics(
    lists: Sequence[Sequence[int]], users: Sequence[Id], split: Split, k: int
) -> tuple[dict[str, float], np.ndarray]:
    return summarise(lists, [split.relevant[u] for u in users], k, len(split.candidates), split.tag_sets)


def ceiling(users: Sequence[Id], split: Split, k: int) -> dict[str, float]:
    reach = set(split.candidates.tolist())
    per = np.array(
        [ceiling_metrics(split.relevant[u], reach - split.train_items.get(u, set()), k) for u in users]
    ).reshape(-1, 4)
    mean = per.mean(axis=0) if len(per) else np.zeros(4)
    return {f"precision@{k}": mean[0], f"recall@{k}": mean[1], f"ndcg@{k}": mean[2], f"hit_rate@{k}": mean[3]}


def engine_lists(engine: Recommender, users: Sequence[Id], split: Split, cut: datetime, k: int) -> list[list[int]]:
    cand_ids = [split.item_ids[i] for i in split.candidates]
    recs = engine.recommend_batch(users, cut, k, candidate_items=cand_ids, with_reasons=False)
    return [[split.index[r.item_id] for r in rl] for rl in recs]


def baseline_lists(model: Baseline, users: Sequence[Id], split: Split, k: int) -> list[list[int]]:
    cand = split.candidates
    out = []
    for start in range(0, len(users), 2048):
        chunk = users[start : start + 2048]
        rows = np.array([split.train_row.get(u, -1) for u in chunk])
        scores = model.score(rows, cand)
        for r, u in enumerate(chunk):
            s = scores[r]
            seen = split.train_items.get(u)
            if seen:
                s = s.copy()
                s[np.isin(cand, list(seen))] = -np.inf
            kk = min(k, len(cand))
            top = np.argpartition(-s, kk - 1)[:kk]
            top = top[np.argsort(-s[top], kind="stable")]
            out.append([int(cand[t]) for t in top if np.isfinite(s[t])])
    return out


def evaluate(
    items: list[Item],
    interactions: list[Interaction],
    profiles: list[UserProfile],
    cut: datetime,
    mode: str = "all",
    k: int = 10,
    seed: int = 0,
    config: RecommenderConfig | None = None,
    baselines: bool = True,
    log: Callable[[str], object] = print,
) -> dict[str, Any]:
    split = make_split(items, interactions, cut, mode)
    train = [x for x in interactions if x.ts < cut]
    log(
        f"train interactions {len(train)}, candidates {len(split.candidates)}, test learners {len(split.warm)} with "
        f"history, {len(split.cold)} without"
    )
    cfg = replace(config or RecommenderConfig(), candidate_mode=mode, seed=seed)
    started = time.perf_counter()
    engine = Recommender(cfg).fit(items, train, profiles, cut)
    fit_s = time.perf_counter() - started
    log(f"engine fit {fit_s:.1f}s; weights {engine.weights}; collab item share {engine.collab_item_share}")
    result: dict[str, Any] = {
        "k": k,
        "users": len(split.warm),
        "cold_users": len(split.cold),
        "candidates": int(len(split.candidates)),
    }
    per_user: dict[str, dict[str, np.ndarray]] = {"warm": {}, "cold": {}}
    for seg, users, key in (("warm", split.warm, "engine"), ("cold", split.cold, "engine_cold")):
        result[key], per_user[seg]["engine"] = _metrics(engine_lists(engine, users, split, cut, k), users, split, k)
    result["ceiling"] = ceiling(split.warm, split, k)
    result["ceiling_cold"] = ceiling(split.cold, split, k)
    if baselines:
        result["baselines"], result["baselines_cold"] = {}, {}
        for model in all_baselines(seed):
            t0 = time.perf_counter()
            model.fit(split.train_matrix)
            for seg, users, key in (("warm", split.warm, "baselines"), ("cold", split.cold, "baselines_cold")):
                result[key][model.name], per_user[seg][model.name] = _metrics(
                    baseline_lists(model, users, split, k), users, split, k
                )
            log(f"baseline {model.name} {time.perf_counter() - t0:.1f}s")
        for seg, key in (("warm", "baselines"), ("cold", "baselines_cold")):
            if not per_user[seg]["engine"].size:
                continue
            best = max(result[key], key=lambda name: result[key][name][f"ndcg@{k}"])
            mean, lo, hi = bootstrap_diff(per_user[seg]["engine"], per_user[seg][best], seed=seed)
            base = result[key][best][f"ndcg@{k}"]
            result["bootstrap" if seg == "warm" else "bootstrap_cold"] = {
                "best_baseline": best,
                "metric": f"ndcg@{k}",
                "engine_minus_best": mean,
                "ci95": [lo, hi],
                "ratio": result["engine" if seg == "warm" else "engine_cold"][f"ndcg@{k}"] / base if base > 0 else None,
            }
    result["ablation"] = ablation(engine, split, cut, k)
    result["mmr_tradeoff"] = mmr_tradeoff(engine, split.warm, split, cut, k)
    if split.cold:
        result["mmr_tradeoff_cold"] = mmr_tradeoff(engine, split.cold, split, cut, k)
    result["engine_fit"] = {
        "serving": engine.serving,
        "fit_seconds": fit_s,
        "weights": engine.weights,
        "collab_item_share": engine.collab_item_share,
        "timescales_days": vars(engine.timescales),
        **{key: v for key, v in engine.fit_report.items() if key not in ("fit_seconds",)},
    }
    return result


def ablation(engine: Recommender, split: Split, cut: datetime, k: int) -> dict[str, dict[str, float]]:
    """Each component alone on the learners with history (same fitted model, the blend serving)."""
    saved = {seg: dict(w) for seg, w in engine.weights.items()}
    served, engine.ranker = engine.ranker, None
    out = {}
    for name in ("content", "collab", "popularity", "trending"):
        alone = {c: 1.0 if c == name else 0.0 for c in saved["warm"]}
        engine.weights = {"warm": alone, "cold": alone}
        out[name], _ = _metrics(engine_lists(engine, split.warm, split, cut, k), split.warm, split, k)
    engine.weights, engine.ranker = saved, served
    return out


def mmr_tradeoff(
    engine: Recommender,
    users: list[Id],
    split: Split,
    cut: datetime,
    k: int,
    lambdas: Sequence[float] = (1.0, 0.9, 0.85, 0.7, 0.5),
) -> dict[str, dict[str, float]]:
    """NDCG, hit rate and intra-list diversity of these learners as MMR's lambda varies."""
    saved = engine.config.mmr_lambda
    out = {}
    for lam in lambdas:
        engine.config.mmr_lambda = lam
        m, _ = _metrics(engine_lists(engine, users, split, cut, k), users, split, k)
        out[str(lam)] = {key: m[key] for key in (f"ndcg@{k}", f"hit_rate@{k}", "diversity", "coverage")}
    engine.config.mmr_lambda = saved
    return out


def format_table(result: dict[str, Any]) -> str:
    k = result["k"]
    keys = [m.format(k=k) for m in METRIC_KEYS]
    head = f"{'':26}" + "".join(f"{key:>13}" for key in keys)
    lines = [
        f"k={k}  learners with history: {result['users']}  without: {result['cold_users']}  candidates: "
        f"{result.get('candidates')}",
        head,
    ]

    def row(name: str, metrics: dict[str, float]) -> str:
        return f"{name:26}" + "".join(f"{metrics[key]:13.4f}" if key in metrics else f"{'-':>13}" for key in keys)

    lines.append("-- learners with history")
    lines.append(row("engine", result["engine"]))
    for name, m in result.get("baselines", {}).items():
        lines.append(row(f"  {name}", m))
    lines.append(row("  ceiling (perfect ranker)", result["ceiling"]))
    lines.append("-- learners without history")
    lines.append(row("engine", result["engine_cold"]))
    for name, m in result.get("baselines_cold", {}).items():
        lines.append(row(f"  {name}", m))
    lines.append(row("  ceiling (perfect ranker)", result["ceiling_cold"]))
    lines.append("-- each component alone (learners with history)")
    for name, m in result.get("ablation", {}).items():
        lines.append(row(f"  {name} only", m))
    for key in ("bootstrap", "bootstrap_cold"):
        b = result.get(key)
        if b:
            ratio = f"{b['ratio']:.2f}x" if b["ratio"] else "n/a"
            lines.append(
                f"{key}: engine - {b['best_baseline']} on {b['metric']} = {b['engine_minus_best']:+.4f} "
                f"(95% CI {b['ci95'][0]:+.4f} .. {b['ci95'][1]:+.4f}), ratio {ratio}"
            )
    for key, who in (("mmr_tradeoff", "with history"), ("mmr_tradeoff_cold", "without history")):
        if result.get(key):
            lines.append(
                f"MMR lambda -> ndcg / hit rate / diversity / coverage ({who}): "
                + ", ".join(
                    f"{lam}: {v[f'ndcg@{k}']:.4f}/{v[f'hit_rate@{k}']:.4f}/{v['diversity']:.3f}/{v['coverage']:.3f}"
                    for lam, v in result[key].items()
                )
            )
    fit = result.get("engine_fit", {})
    lines.append(f"serving: {fit.get('serving')} ranker (learned: LightGBM lambdarank for learners with history)")
    lines.append(f"fitted weights: {fit.get('weights')}; collab item share {fit.get('collab_item_share')}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Offline evaluation of the PeerLearn recommender against baselines.")
    parser.add_argument("--interactions", required=True)
    parser.add_argument("--items", required=True)
    parser.add_argument("--users")
    parser.add_argument("--cut", required=True, help="ISO 8601 time or Unix seconds")
    parser.add_argument("--candidates", choices=("all", "upcoming"), default="all")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--json")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-baselines", action="store_true")
    args = parser.parse_args(argv)
    cut = parse_time(args.cut)
    assert cut is not None
    items = load_items(args.items)
    interactions = load_interactions(args.interactions)
    profiles: list[UserProfile] = []
    if args.users:
        profiles, dropped = load_profiles(args.users, known_before=cut)
        print(f"profiles: {len(profiles)} used, {dropped} left out (known only from the cut on)")
    log = lambda msg: print(msg, file=sys.stderr)
    result = evaluate(
        items, interactions, profiles, cut, args.candidates, args.k, args.seed, baselines=not args.no_baselines, log=log
    )
    print(format_table(result))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2, default=float)
    return 0


if __name__ == "__main__":
    sys.exit(main())
