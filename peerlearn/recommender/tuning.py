"""Fit the blend on a time-based validation split cut from the training data only.

The latest ``validation_fraction`` of training interactions is held out; a
sub-model is built on the rest (with ``now`` = the validation cut) and asked to
rank, for each held-out learner, the items a live model would have offered at
the cut. The collaborative item/facet share and then the blend weights are
chosen by NDCG@10, separately for learners with history (warm) and without
(cold). Nothing after the training ``now`` is ever looked at.

The engine is reached only through :class:`BlendModel` and a :data:`ModelBefore` factory it passes
in, so this module never imports the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np

from peerlearn.recommender.config import COLD, COMPONENTS, WARM, RecommenderConfig
from peerlearn.recommender.data import Id
from peerlearn.recommender.features import ItemFeatures
from peerlearn.recommender.history import History
from peerlearn.recommender.hybrid import fit_weights, mix_collab
from peerlearn.recommender.metrics import ndcg_matrix
from peerlearn.recommender.scorers import UserBatch


class BlendModel(Protocol):
    """What fitting the blend needs of a built model: its data, its components before blending,
    and (on the model being fitted) the per-segment blend it sets."""

    config: RecommenderConfig
    history: History
    features: ItemFeatures
    weights: dict[str, dict[str, float]]
    collab_item_share: dict[str, float]

    def segment(self, user_id: Id) -> str: ...

    def user_batch(self, user_ids: Sequence[Id], now: float) -> UserBatch: ...

    def components(self, batch: UserBatch, cand: np.ndarray) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]: ...


# A model built (unblended) on the training interactions before a cut, with ``now`` = the cut.
ModelBefore = Callable[[float], BlendModel]

K = 10
SHARES = (0.0, 0.25, 0.5, 0.75, 1.0)
MIN_USERS = 30


def validation_cuts(ts: np.ndarray, fraction: float, folds: int) -> list[float]:
    """Cuts leaving about fraction, 2*fraction, ... of the interactions after
    them (latest first), each snapped to an observed timestamp so coarse data
    such as quarterly enrolments splits on a boundary. Never the earliest
    timestamp, never the same cut twice."""
    if ts.size < 20:
        return []
    values, counts = np.unique(ts, return_counts=True)
    if values.size < 2:
        return []
    after = 1.0 - (np.cumsum(counts) - counts) / ts.size  # share at or after each value
    cuts: list[float] = []
    for j in range(1, folds + 1):
        best = 1 + int(np.argmin(np.abs(after[1:] - fraction * j)))
        if float(values[best]) not in cuts and (not cuts or values[best] < cuts[-1]):
            cuts.append(float(values[best]))
    return cuts


def fit_blend(engine: BlendModel, now: float, model_before: ModelBefore) -> dict[str, Any]:
    """Rolling-origin validation: fold j trains before cut j and validates on
    [cut j, cut j-1) (the first on [cut 1, now)). Weights are chosen to do well
    in every fold (see :func:`fit_weights`). Sets ``engine.weights`` and
    ``engine.collab_item_share`` per segment and returns a report."""
    cfg = engine.config
    report: dict[str, Any] = {"fitted": False}
    cuts = validation_cuts(engine.history.all_ts(), cfg.validation_fraction, cfg.validation_folds)
    if not cuts:
        report["reason"] = "too little history to validate"
        return report
    rng = np.random.default_rng(cfg.seed)
    # Per segment, one (components, relevance, fold number per row) triple for each fold.
    pooled: dict[str, list[tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]]] = {WARM: [], COLD: []}
    ends = [now] + cuts[:-1]
    per_fold_users = max(cfg.max_validation_users // len(cuts), MIN_USERS)
    for j, (cut, end) in enumerate(zip(cuts, ends, strict=True)):
        fold = _fold(engine, model_before(cut), cut, end, per_fold_users, rng)
        report.setdefault("folds", []).append({"cut": cut, "end": end, **{seg: len(v[1]) for seg, v in fold.items()}})
        for seg, (comps, rel) in fold.items():
            if len(rel) >= MIN_USERS:  # a period with too few learners would only add noise
                pooled[seg].append((comps, rel, np.full(len(rel), j)))
    segments = {}
    for seg, parts in pooled.items():
        if parts:
            segments[seg] = (
                {k: np.vstack([p[0][k] for p in parts]) for k in parts[0][0]},
                np.vstack([p[1] for p in parts]),
                np.concatenate([p[2] for p in parts]),
            )
        report[f"validation_users_{seg}"] = sum(len(p[1]) for p in parts)
    if not segments:
        report["reason"] = "too few validation learners"
        return report

    for seg, (comps, rel, groups) in segments.items():
        if cfg.collab_item_share is None:
            scored = {sh: ndcg_matrix(_blend(comps, dict(cfg.weights), sh), rel, K) for sh in SHARES}
            engine.collab_item_share[seg] = max(SHARES, key=lambda sh: (scored[sh], -abs(sh - 0.5)))
            report[f"collab_item_share_ndcg_{seg}"] = scored
        mixed = _mixed(comps, engine.collab_item_share[seg])
        weights, best, base = fit_weights(
            mixed, rel, K, dict(cfg.weights), cfg.weight_grid_step, cfg.min_fit_gain, groups
        )
        engine.weights[seg] = weights
        report[f"weights_{seg}"] = weights
        report[f"validation_ndcg_{seg}"] = {"default": base, "fitted": best}
    report["collab_item_share"] = dict(engine.collab_item_share)
    report["fitted"] = True
    return report


def _fold(
    engine: BlendModel, sub: BlendModel, cut: float, end: float, max_users: int, rng: np.random.Generator
) -> dict[str, tuple[dict[str, np.ndarray], np.ndarray]]:
    """Sampled validation matrices per segment for one fold; ``sub`` was built before ``cut``."""
    cfg = engine.config
    relevant: dict[Id, set[int]] = {}
    for row, item, t, _ in engine.history.events():
        if cut <= t < end:
            user = engine.history.user_ids[row]
            if item not in sub.history.booked(user):
                relevant.setdefault(user, set()).add(item)
    f = sub.features
    if cfg.candidate_mode == "upcoming":
        # Sessions that could be booked in the window: starting in it, or
        # starting later but booked in it. Later sessions without a booking yet
        # would be negatives only because the window is censored.
        start = f.start[: len(f)]
        booked_in_window = np.zeros(len(f), dtype=bool)
        booked_in_window[[i for s in relevant.values() for i in s]] = True
        cand = np.flatnonzero((start >= cut) & ((start < end) | booked_in_window))
    else:
        cand = np.arange(len(f))
    pos_of = {int(i): p for p, i in enumerate(cand)}
    out = {}
    for seg in (WARM, COLD):
        users = sorted(
            (u for u in relevant if sub.segment(u) == seg and any(i in pos_of for i in relevant[u])), key=str
        )
        if len(users) > max_users:
            users = [users[i] for i in sorted(rng.choice(len(users), max_users, replace=False))]
        if users:
            out[seg] = _sampled_components(
                sub, users, relevant, cand, pos_of, cut, cfg.validation_sampled_candidates, rng
            )
    return out


def _mixed(comps: dict[str, np.ndarray], share: float) -> dict[str, np.ndarray]:
    out = {c: comps[c] for c in COMPONENTS if c != "collab"}
    out["collab"] = mix_collab(comps["collab_item"], comps["collab_facet"], share)
    return out


def _blend(comps: dict[str, np.ndarray], weights: dict[str, float], share: float) -> np.ndarray:
    mixed = _mixed(comps, share)
    return np.asarray(sum(weights[c] * mixed[c] for c in COMPONENTS))


def _sampled_components(
    sub: BlendModel,
    users: list[Id],
    relevant: dict[Id, set[int]],
    cand: np.ndarray,
    pos_of: dict[int, int],
    cut: float,
    n_sample: int,
    rng: np.random.Generator,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Components over the full candidate set (normalised as at serving time),
    then for each learner its relevant candidates plus random others, in a
    shuffled order so that ties cannot favour the relevant ones."""
    keys = ("content", "collab_item", "collab_facet", "popularity", "trending")
    out = {k: np.zeros((len(users), n_sample)) for k in keys}
    rel = np.zeros((len(users), n_sample), dtype=bool)
    for start in range(0, len(users), 256):
        chunk = users[start : start + 256]
        batch = sub.user_batch(chunk, cut)
        comps, parts = sub.components(batch, cand)
        full = {**comps, **parts}
        for r, user in enumerate(chunk):
            row = start + r
            pos = [pos_of[i] for i in relevant[user] if i in pos_of][:n_sample]
            booked = {pos_of[i] for i in sub.history.booked(user) if i in pos_of}
            blocked = np.zeros(len(cand), dtype=bool)
            blocked[pos] = True
            blocked[list(booked)] = True
            free = np.flatnonzero(~blocked)
            neg = rng.choice(free, size=max(min(n_sample - len(pos), free.size), 0), replace=False)
            cols = np.concatenate([np.array(pos, dtype=np.int64), neg.astype(np.int64)])
            order = rng.permutation(len(cols))
            cols = cols[order]
            is_rel = np.concatenate([np.ones(len(pos), bool), np.zeros(len(neg), bool)])[order]
            width = len(cols)
            for k in keys:
                out[k][row, :width] = full[k][r, cols]
                out[k][row, width:] = -1.0  # padding never ranks
            rel[row, :width] = is_rel
    return out, rel
